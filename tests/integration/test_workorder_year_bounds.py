"""The work-order list and statistics take a year by the local (Beijing) calendar: an order received
at 23:30 on 31 December is that year's, one at 00:10 on 1 January the next's, although both instants
fall on the same UTC day; and the monthly statistics add every day of a month into its row."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.workorders import selectors
from gongkai.workorders.models import WorkOrder
from tests.factories import EDU, bureau

pytestmark = pytest.mark.django_db


def _order(agency, number, at: datetime, *, replied=None):
    aware = timezone.make_aware(at)  # local time, as the import reads a platform's sheet
    return WorkOrder.objects.create(
        agency=agency,
        platform="12345",
        number=number,
        category="consult",
        received_at=aware,
        received_on=at.date(),
        due_on=at.date(),
        state="replied" if replied else "received",
        replied_on=replied,
        first_replied_on=replied,
    )


@pytest.fixture
def edu():
    bureau()
    return Agency.objects.get(code=EDU)


def test_the_year_is_the_local_calendar_year(edu):
    _order(edu, "A", datetime(2026, 12, 31, 23, 30))
    _order(edu, "B", datetime(2027, 1, 1, 0, 10))
    today = date(2027, 1, 5)
    assert [o.number for o in selectors.orders(edu, year=2026, today=today)] == ["A"]
    assert [o.number for o in selectors.orders(edu, year=2027, today=today)] == ["B"]
    assert selectors.year_choices(edu, today) == [2027, 2026]
    rows, total = selectors.statistics(edu, year=2026, by="month")
    assert [(r.label, r.figures.received) for r in rows] == [("12月", 1)] and total.received == 1


def test_the_month_rows_add_up_every_day_and_the_total_is_their_sum(edu):
    for day in (1, 15, 30):
        _order(edu, f"J{day}", datetime(2026, 6, day, 9), replied=date(2026, 6, day))
    _order(edu, "K1", datetime(2026, 7, 1, 9))
    rows, total = selectors.statistics(edu, year=2026, by="month")
    assert [(r.label, r.figures.received, r.figures.replied) for r in rows] == [("6月", 3, 3), ("7月", 1, 0)]
    assert (total.received, total.replied, total.on_time) == (4, 3, 3)
    by_unit, unit_total = selectors.statistics(edu, year=2026, by="unit")
    assert [r.label for r in by_unit] == ["（未分派）"] and unit_total == total


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2026, 12, 7)])
def test_the_demo_holds_last_years_orders_for_the_report_written_in_january(edu, today):
    from gongkai.demo.workorders import seed_workorders

    made = seed_workorders(today=today)
    last = selectors.statistics(edu, year=today.year - 1, by="month")[1]
    assert made >= last.received > 100  # a whole year of every platform
    assert not WorkOrder.objects.filter(received_on__gt=today).exists()

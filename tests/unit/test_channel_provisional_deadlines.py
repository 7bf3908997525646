"""The work-order and proposal deadlines on a calendar whose year is not notified yet: a lower bound
(never later than the date the notice will give) and marked provisional exactly when a missing
notice could still move it. Checked against the notices shipped, each hidden in turn, as the
applications' provisional dates are."""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.proposals.workflow import add_months, due_from_nominal
from gongkai.domain.workorders.workflow import DeadlineRule, Unit, due

FULL = WorkingCalendar.official()
YEARS = [y for y in FULL.covered_years if 2020 <= y <= 2026]


@settings(max_examples=300, deadline=None)
@given(
    year=st.sampled_from(YEARS),
    offset=st.integers(min_value=-31, max_value=364),
    months=st.integers(min_value=1, max_value=3),
)
def test_a_proposal_deadline_counted_before_the_notice_is_never_later_than_the_official_one(year, offset, months):
    hidden = FULL.without_years_from(year)
    assigned = date(year, 1, 1) + timedelta(days=offset)
    nominal = add_months(assigned, months)
    if nominal.year > year:
        return  # beyond the last notice shipped: nothing official to compare with
    guessed, official = due_from_nominal(nominal, calendar=hidden), due_from_nominal(nominal, calendar=FULL)
    if official.provisional:
        return  # late December of the last year shipped: the next notice is missing from FULL too
    assert guessed.due <= official.due
    if guessed.due != official.due:
        assert guessed.provisional  # a date that will move is always marked


@settings(max_examples=300, deadline=None)
@given(
    year=st.sampled_from(YEARS),
    offset=st.integers(min_value=-31, max_value=364),
    amount=st.integers(min_value=1, max_value=20),
)
def test_a_work_order_deadline_in_working_days_is_a_lower_bound_and_marked(year, offset, amount):
    hidden = FULL.without_years_from(year)
    received = datetime(year, 1, 1, 9, 30) + timedelta(days=offset)
    rule = DeadlineRule(amount, Unit.WORKING_DAYS)
    guessed, official = due(received, rule, calendar=hidden), due(received, rule, calendar=FULL)
    if official.provisional:
        return
    assert guessed.due <= official.due
    if guessed.due != official.due:
        assert guessed.provisional


def test_an_hours_rule_is_on_the_clock_and_never_provisional():
    hidden = FULL.without_years_from(2026)
    counted = due(datetime(2025, 12, 31, 20, 0), DeadlineRule(24, Unit.HOURS), calendar=hidden)
    assert (counted.due, counted.provisional) == (date(2026, 1, 1), False)

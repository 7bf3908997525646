"""The provisional calendar: statutory holidays from the law, and never later than the official date.

The property is checked exhaustively on the notices shipped: for each year 2020–2026 the notices
of that year and later are hidden (as in the weeks before the year's notice is published) and
every start from 1 December of the year before to 31 December, every N from 1 to 60 working days,
both conventions, is counted on the hidden and on the full calendar.
"""

from datetime import date, timedelta

import pytest

from gongkai.domain.calendar import (
    MAKEUP_WINDOW_DAYS,
    HolidayNotice,
    HolidayRange,
    WorkingCalendar,
    possible_makeup_days,
    provisional_is_working,
    statutory_holiday_days,
    statutory_holidays,
)
from gongkai.domain.errors import CalendarNotCovered

FULL = WorkingCalendar.official()


def _lunar(y, m, d):
    from lunar_python import Lunar

    s = Lunar.fromYmd(y, m, d).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def test_the_2027_statutory_holidays_by_hand():
    # 2027: 正月初一 is Saturday 2027-02-06 (so 除夕 2027-02-05), 清明 2027-04-05, 端午 (五月初五)
    # 2027-06-09, 中秋 (八月十五) 2027-09-15; from 2025 on 春节 is 除夕–初三 and 劳动节 5-1 and 5-2.
    assert _lunar(2027, 1, 1) == date(2027, 2, 6)
    named = {r.name: (r.start, r.end) for r in statutory_holidays(2027)}
    assert named == {
        "元旦": (date(2027, 1, 1), date(2027, 1, 1)),
        "春节": (date(2027, 2, 5), date(2027, 2, 8)),
        "清明节": (date(2027, 4, 5), date(2027, 4, 5)),
        "劳动节": (date(2027, 5, 1), date(2027, 5, 2)),
        "端午节": (date(2027, 6, 9), date(2027, 6, 9)),
        "中秋节": (date(2027, 9, 15), date(2027, 9, 15)),
        "国庆节": (date(2027, 10, 1), date(2027, 10, 3)),
    }
    assert len(statutory_holiday_days(2027)) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days, by the law


def test_before_2025_the_spring_festival_is_three_days_and_labour_day_one():
    # 2024: 正月初一 2024-02-10; 清明 2024-04-04; 端午 2024-06-10; 中秋 2024-09-17
    named = {r.name: (r.start, r.end) for r in statutory_holidays(2024)}
    assert named["春节"] == (date(2024, 2, 10), date(2024, 2, 12))
    assert named["劳动节"] == (date(2024, 5, 1), date(2024, 5, 1))
    assert named["清明节"] == (date(2024, 4, 4), date(2024, 4, 4))
    assert named["端午节"] == (date(2024, 6, 10), date(2024, 6, 10))
    assert named["中秋节"] == (date(2024, 9, 17), date(2024, 9, 17))
    assert len(statutory_holiday_days(2024)) == 11


@pytest.mark.parametrize("year", range(2019, 2027))
def test_every_statutory_day_is_off_in_the_official_notice(year):
    # The rule's premise: a notice only adds days off to the statutory ones, never removes one.
    assert all(not FULL.is_working_day(d) for d in statutory_holiday_days(year))


@pytest.mark.parametrize("year", range(2019, 2027))
def test_every_official_make_up_day_is_one_the_rule_counts_as_possibly_working(year):
    notice = next(n for n in FULL.notices if n.year == year)
    for d in notice.makeup_workdays:
        assert provisional_is_working(d) or d in possible_makeup_days(year), d
        nearest = min(abs((d - h).days) for y in (year - 1, year, year + 1) for h in statutory_holiday_days(y))
        assert nearest <= MAKEUP_WINDOW_DAYS - 4, (d, nearest)  # a margin of four days in every notice


def test_the_rule_never_makes_a_weekday_off_unless_it_is_statutory_nor_a_far_weekend_working():
    assert provisional_is_working(date(2027, 3, 10))  # a Wednesday
    assert not provisional_is_working(date(2027, 10, 1))  # 国庆, a Friday
    assert not provisional_is_working(date(2027, 7, 17))  # a Saturday far from any holiday
    assert provisional_is_working(date(2027, 9, 26))  # Sunday before 国庆: may be a make-up day


def test_years_before_the_2013_revision_are_refused():
    with pytest.raises(CalendarNotCovered):
        statutory_holidays(2013)


@pytest.mark.parametrize("year", range(2020, 2027))
def test_the_provisional_date_is_never_later_than_the_official_one(year):
    hidden = FULL.without_years_from(year)
    assert max(hidden.covered_years) == year - 1
    compared = provisional_seen = 0
    d = date(year - 1, 12, 1)  # the year boundary: counts from December running into the new year
    while d <= date(year, 12, 31):
        for convention in ("A", "B"):
            for n in range(1, 61):
                official = FULL.due_date(d, n, convention)
                if official.provisional:
                    break  # past the last shipped notice there is no official date to compare with
                provisional = hidden.due_date(d, n, convention)
                assert provisional.due <= official.due, (d, n, convention, provisional, official)
                if provisional.due != official.due:
                    assert provisional.provisional, (d, n, convention)  # a firm date is the official one
                compared += 1
                provisional_seen += provisional.provisional
        d += timedelta(days=1)
    assert compared > 40_000 and provisional_seen > 0.95 * compared * (365 / 396)


def test_a_year_boundary_count_is_provisional_when_it_crosses_the_weekends_the_next_notice_may_claim():
    hidden = FULL.without_years_from(2023)
    # 2022-12-26 (Mon) + 5 working days: the official count skips 元旦 2022-12-31..2023-01-02
    official = FULL.due_date(date(2022, 12, 26), 5)
    provisional = hidden.due_date(date(2022, 12, 26), 5)
    assert official.due == date(2023, 1, 3) and not official.provisional
    assert provisional.provisional and provisional.due <= official.due


def test_entering_the_notice_replaces_the_provisional_rule():
    notice = HolidayNotice(2027, (HolidayRange(date(2027, 2, 5), date(2027, 2, 13), "春节"),), (date(2027, 2, 20),))
    cal = FULL.with_notices([notice])
    assert cal.is_firm(date(2027, 2, 10)) and not cal.is_working_day(date(2027, 2, 10))
    assert not cal.missing_years_between(date(2027, 1, 1), date(2027, 12, 16))
    assert cal.missing_years_between(date(2027, 1, 1), date(2028, 1, 5)) == (2028,)

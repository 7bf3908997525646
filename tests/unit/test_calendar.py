"""The working-day calendar: the gold cases, the 2027 refusal, entered notices, properties."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.calendar import (
    HolidayNotice,
    HolidayRange,
    WorkingCalendar,
    add_working_days,
)
from gongkai.domain.errors import CalendarNotCovered, DomainError, InvalidHolidayNotice

CAL = WorkingCalendar.official()
FIRST, LAST = date(2018, 12, 29), date(2026, 12, 31)
# Starts far enough from the end of coverage that 40 working days still fit inside 2026.
starts = st.dates(min_value=FIRST, max_value=date(2026, 10, 15))


def _gold_cases(shared_dir):
    lines = (shared_dir / "calendar" / "deadline_cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_all_forty_gold_cases_are_reproduced_with_convention_a(shared_dir):
    cases = _gold_cases(shared_dir)
    assert len(cases) == 40
    wrong = [
        (
            c["received"],
            c["working_days"],
            c["due"],
            add_working_days(date.fromisoformat(c["received"]), c["working_days"]).isoformat(),
        )
        for c in cases
        if add_working_days(date.fromisoformat(c["received"]), c["working_days"]).isoformat() != c["due"]
    ]
    assert wrong == []


def test_gold_cases_received_on_a_non_working_day_give_their_stated_convention_b_date(shared_dir):
    checked = 0
    for c in _gold_cases(shared_dir):
        if "Convention B" not in c["why"]:
            continue
        expected_b = c["why"].split("would give ")[1].rstrip(".]")
        received = date.fromisoformat(c["received"])
        assert not CAL.is_working_day(received)
        assert add_working_days(received, c["working_days"], "B").isoformat() == expected_b
        checked += 1
    assert checked == 5


def test_the_shipped_notices_agree_with_the_shared_holiday_data(shared_dir):
    data = json.loads((shared_dir / "calendar" / "holidays.json").read_text(encoding="utf-8"))
    holidays = {
        date.fromordinal(o)
        for year in data.values()
        for start, end in year["holidays"]
        for o in range(date.fromisoformat(start).toordinal(), date.fromisoformat(end).toordinal() + 1)
    }
    workdays = {date.fromisoformat(d) for year in data.values() for d in year["workdays"]}
    d = FIRST
    provisional = []
    while d <= LAST:
        expected = d in workdays or (d.weekday() < 5 and d not in holidays)
        if CAL.is_firm(d):
            assert CAL.is_working_day(d) is expected, d
        else:
            provisional.append(d)
        d += timedelta(days=1)
    # Only the December 2026 weekends the missing 2027 notice may still make 调休上班日 are open.
    assert provisional == [date(2026, 12, 19), date(2026, 12, 20), date(2026, 12, 26), date(2026, 12, 27)]


def test_the_shipped_notices_agree_day_by_day_with_the_chinese_calendar_package():
    chinese_calendar = pytest.importorskip("chinese_calendar")
    d = FIRST
    while d <= LAST:
        if CAL.is_firm(d):
            assert CAL.is_working_day(d) is chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_a_count_reaching_into_2027_gives_a_provisional_date_that_says_why():
    # 2026-12-10 (Thu) + 20: Dec 11, 14-18, 19-20 and 26-27 (weekends the 2027 notice may make
    # 调休上班日), 21-25, 28-31 = 19; 2027-01-01 is 元旦; Sat 2027-01-02 (may be a make-up day) = 20.
    result = CAL.due_date(date(2026, 12, 10), 20)
    assert result.due == date(2027, 1, 2) and result.provisional and result.missing_years == (2027,)
    assert result.basis == "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"
    assert add_working_days(date(2026, 12, 10), 20) == date(2027, 1, 2)


def test_a_count_that_stays_on_firm_days_is_not_provisional():
    result = CAL.due_date(date(2026, 12, 1), 5)
    assert result == type(result)(date(2026, 12, 8), ()) and not result.provisional


def test_a_day_in_2027_is_counted_by_the_provisional_rule_and_is_not_firm():
    assert not CAL.is_firm(date(2027, 1, 4))
    assert CAL.is_working_day(date(2027, 1, 4))  # a Monday: no statutory holiday
    assert not CAL.is_working_day(date(2027, 2, 8))  # 正月初三: statutory
    assert CAL.day_kind(date(2027, 2, 5)) == "provisional_holiday"  # 除夕 (from 2025)
    assert CAL.working_days_between(date(2026, 12, 1), date(2027, 1, 4)) > 0
    assert CAL.missing_years_between(date(2026, 12, 1), date(2026, 12, 18)) == ()
    assert CAL.missing_years_between(date(2026, 12, 1), date(2027, 1, 4)) == (2027,)


def test_the_calendar_never_falls_back_to_monday_to_friday_before_its_first_notice():
    with pytest.raises(CalendarNotCovered) as err:
        add_working_days(date(2018, 6, 1), 5)
    assert err.value.year == 2018


NOTICE_2027 = HolidayNotice(
    year=2027,
    title="国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    holidays=(
        HolidayRange(date(2027, 1, 1), date(2027, 1, 3), "元旦"),
        HolidayRange(date(2027, 2, 6), date(2027, 2, 14), "春节"),
    ),
    makeup_workdays=(date(2027, 2, 20),),
)


def test_an_entered_2027_notice_lets_the_calendar_count_into_2027():
    cal = CAL.with_notices([NOTICE_2027])
    # 2026-12-10 (Thu) + 20 working days: 15 left in December 2026, then 2027-01-04.. (1-1..1-3 off)
    assert cal.add_working_days(date(2026, 12, 10), 20) == date(2027, 1, 8)
    assert cal.is_working_day(date(2027, 2, 20))  # make-up Saturday
    assert not cal.is_working_day(date(2027, 2, 8))  # Monday inside the Spring Festival
    assert 2027 in cal.covered_years


def test_a_notice_with_a_weekday_make_up_day_is_rejected():
    bad = HolidayNotice(2027, (HolidayRange(date(2027, 1, 1), date(2027, 1, 1)),), (date(2027, 2, 22),))
    with pytest.raises(InvalidHolidayNotice) as err:
        bad.validate()
    assert "应为周六或周日" in err.value.message


def test_a_day_cannot_be_both_a_holiday_and_a_make_up_day():
    bad = HolidayNotice(2027, (HolidayRange(date(2027, 2, 6), date(2027, 2, 14)),), (date(2027, 2, 13),))
    assert any("既被录入为放假日又被录入为调休上班日" in p for p in bad.problems())


def test_ranges_must_lie_within_a_month_of_the_notice_year():
    bad = HolidayNotice(2027, (HolidayRange(date(2026, 10, 1), date(2026, 10, 7)),))
    assert any("前后一个月" in p for p in bad.problems())
    ok = HolidayNotice(2027, (HolidayRange(date(2026, 12, 31), date(2027, 1, 2)),))
    assert ok.problems() == []


def test_an_unknown_convention_is_refused():
    with pytest.raises(DomainError):
        add_working_days(date(2024, 3, 1), 5, "C")


# -- properties ---------------------------------------------------------------------------


@given(starts, st.integers(0, 20), st.integers(0, 20))
def test_adding_twenty_then_twenty_equals_adding_forty(start, a, b):
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(starts, st.integers(1, 40), st.sampled_from(["A", "B"]))
def test_the_due_date_is_always_a_working_day(start, n, convention):
    assert CAL.is_working_day(add_working_days(start, n, convention))


@given(starts, starts, st.integers(0, 40), st.sampled_from(["A", "B"]))
def test_the_due_date_is_monotone_in_the_start_date(s1, s2, n, convention):
    early, late = sorted((s1, s2))
    assert add_working_days(early, n, convention) <= add_working_days(late, n, convention)


@given(starts, st.integers(0, 40))
def test_conventions_a_and_b_differ_only_on_non_working_receipt_days(start, n):
    a, b = add_working_days(start, n, "A"), add_working_days(start, n, "B")
    if CAL.is_working_day(start):
        assert a == b
    elif n > 0:
        assert b == add_working_days(start, n + 1, "A")


@given(starts, st.integers(1, 40))
def test_working_days_between_start_and_due_is_exactly_n(start, n):
    assert CAL.working_days_between(start, add_working_days(start, n)) == n


@settings(max_examples=50)
@given(starts, starts)
def test_working_days_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)

"""Routing to units (承办): the assignment's table on the engine and the internal deadline.

The dates are counted by hand from the State Council's 2026 notice (../shared/calendar/holidays.json:
中秋 9月25日—27日, 国庆 10月1日—7日, make-up working days Sunday 9月20日 and Saturday 10月10日) and
checked against that file by a plain count, independently of the domain's calendar.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from gongkai.domain.applications import assignment as asg
from gongkai.domain.applications.assignment import Action, State, internal_due
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError

CAL = WorkingCalendar.official()
UNIT = {"unit_staff"}
OFFICE = {"clerk"}


def _plain_count(shared_dir, start: date, n: int) -> date:
    """The n-th working day after ``start`` counted straight from holidays.json."""
    data = json.loads((shared_dir / "calendar" / "holidays.json").read_text(encoding="utf-8"))
    holidays, workdays = set(), set()
    for year in data.values():
        for a, b in year["holidays"]:
            d, end = date.fromisoformat(a), date.fromisoformat(b)
            while d <= end:
                holidays.add(d)
                d += timedelta(days=1)
        workdays |= {date.fromisoformat(x) for x in year["workdays"]}
    d, left = start, n
    while left:
        d += timedelta(days=1)
        if d in workdays or (d.weekday() < 5 and d not in holidays):
            left -= 1
    return d


# received Tuesday 15 September 2026: 20 working days (第三十三条) — 16,17,18, Sun 20 (make-up),
# 21–24, 28–30, 8 and 9 October, Sat 10 October (make-up), 12–16, 19 → Monday 19 October
RECEIVED = date(2026, 9, 15)
REPLY_DUE = date(2026, 10, 19)


def test_the_hand_counted_dates_agree_with_the_shared_calendar(shared_dir):
    assert _plain_count(shared_dir, RECEIVED, 20) == REPLY_DUE == CAL.add_working_days(RECEIVED, 20)
    assert _plain_count(shared_dir, date(2026, 9, 22), 10) == date(2026, 10, 13)
    assert _plain_count(shared_dir, date(2026, 10, 9), 10) == date(2026, 10, 22)


def test_the_default_internal_deadline_is_ten_working_days_after_the_assignment():
    # assigned Tuesday 22 September: 23, 24, 28, 29, 30, 8 and 9 October, Sat 10 (make-up), 12, 13
    due = internal_due(assigned_on=date(2026, 9, 22), reply_due=REPLY_DUE, calendar=CAL)
    assert (due.due, due.capped, due.note) == (date(2026, 10, 13), False, "")


def test_a_default_reaching_the_statutory_deadline_is_capped_to_the_working_day_before_it():
    # assigned Friday 9 October: ten working days end on 22 October, after the reply is due (19
    # October); the unit gets Friday 16 October, the last working day before it
    due = internal_due(assigned_on=date(2026, 10, 9), reply_due=REPLY_DUE, calendar=CAL)
    assert due.due == date(2026, 10, 16)
    assert due.capped
    assert due.note == (
        "按10个工作日计算的内部办理期限（2026年10月22日）不早于法定答复期限（2026年10月19日），已提前至2026年10月16日"
    )


def test_the_cap_skips_the_national_day_holiday():
    # a reply due Thursday 8 October: the working day before it is Wednesday 30 September (1–7 October off)
    due = internal_due(assigned_on=date(2026, 9, 28), reply_due=date(2026, 10, 8), calendar=CAL)
    assert due.due == date(2026, 9, 30)


def test_a_requested_date_on_or_after_the_statutory_deadline_is_refused_with_the_latest_allowed():
    with pytest.raises(DomainError) as err:
        internal_due(assigned_on=date(2026, 9, 22), reply_due=REPLY_DUE, calendar=CAL, requested=REPLY_DUE)
    assert err.value.message == (
        "内部办理期限（2026年10月19日）应早于法定答复期限（2026年10月19日），最晚为2026年10月16日"
    )
    ok = internal_due(assigned_on=date(2026, 9, 22), reply_due=REPLY_DUE, calendar=CAL, requested=date(2026, 10, 16))
    assert (ok.due, ok.capped) == (date(2026, 10, 16), False)


def test_no_assignment_once_the_statutory_deadline_has_come_or_without_one():
    with pytest.raises(DomainError, match="已到"):
        internal_due(assigned_on=REPLY_DUE, reply_due=REPLY_DUE, calendar=CAL)
    with pytest.raises(DomainError, match="尚无法定答复期限"):
        internal_due(assigned_on=date(2026, 9, 22), reply_due=None, calendar=CAL)
    with pytest.raises(DomainError, match="不是工作日"):  # 国庆
        internal_due(assigned_on=date(2026, 9, 22), reply_due=REPLY_DUE, calendar=CAL, requested=date(2026, 10, 2))
    with pytest.raises(DomainError, match="不能早于交办日期"):
        internal_due(assigned_on=date(2026, 9, 22), reply_due=REPLY_DUE, calendar=CAL, requested=date(2026, 9, 21))


# -- the table -------------------------------------------------------------------------------------

TABLE = [
    # (state, action, roles, allowed target or None)
    (State.ASSIGNED, Action.ACCEPT, UNIT, State.ACCEPTED),
    (State.ASSIGNED, Action.ACCEPT, OFFICE, None),
    (State.ASSIGNED, Action.ANSWER, UNIT, State.ANSWERED),
    (State.ACCEPTED, Action.ANSWER, {"unit_head"}, State.ANSWERED),
    (State.ACCEPTED, Action.ANSWER, OFFICE, None),
    (State.ACCEPTED, Action.RETURN_TO_OFFICE, UNIT, State.RETURNED),
    (State.ACCEPTED, Action.WITHDRAW, OFFICE, State.WITHDRAWN),
    (State.ACCEPTED, Action.WITHDRAW, UNIT, None),
    (State.ANSWERED, Action.RETURN_TO_OFFICE, UNIT, None),
    (State.RETURNED, Action.ACCEPT, UNIT, None),
    (State.WITHDRAWN, Action.ANSWER, UNIT, None),
]


@pytest.mark.parametrize("state,action,roles,target", TABLE)
def test_the_table(state, action, roles, target):
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            asg.WORKFLOW.allowed(state, action, roles)
    else:
        assert asg.WORKFLOW.allowed(state, action, roles).to == target


def test_the_table_is_sound_and_every_end_is_terminal():
    assert asg.WORKFLOW.problems() == []
    assert asg.WORKFLOW.terminal == {State.ANSWERED, State.RETURNED, State.WITHDRAWN}
    assert asg.OPEN_STATES == {State.ASSIGNED, State.ACCEPTED}


def test_refusals_say_why_in_chinese():
    with pytest.raises(TransitionNotAllowed) as err:
        asg.WORKFLOW.allowed(State.ANSWERED, Action.ANSWER, UNIT)
    assert err.value.message == "交办件已“已提交承办意见”，承办已结束，不能再“提交承办意见”"
    with pytest.raises(TransitionNotAllowed) as err:
        asg.WORKFLOW.allowed(State.ASSIGNED, Action.WITHDRAW, UNIT)
    assert err.value.message == "“收回交办”应由经办人或办公室主任操作"


def test_an_answer_needs_the_proposed_outcome_and_its_reasons_and_a_return_its_reason():
    row = asg.WORKFLOW.allowed(State.ACCEPTED, Action.ANSWER, UNIT)
    with pytest.raises(FieldError) as err:
        asg.WORKFLOW.validate(row, {"proposed_outcome": "disclosed"})
    assert err.value.field == "opinion"
    with pytest.raises(FieldError):
        asg.WORKFLOW.validate(row, {"proposed_outcome": "withdrawn", "opinion": "x"})  # the applicant's act
    back = asg.WORKFLOW.allowed(State.ACCEPTED, Action.RETURN_TO_OFFICE, UNIT)
    with pytest.raises(FieldError) as err:
        asg.WORKFLOW.validate(back, {"return_kind": "not_ours"})
    assert err.value.field == "reason"


def test_the_log_names_of_the_steps_are_the_ones_the_clocks_skip():
    assert {asg.log_action(a) for a in Action} | {asg.LOG_ASSIGN, asg.LOG_CHASE, asg.LOG_DUE_MOVED} == set(
        asg.LOG_ACTIONS
    )


@pytest.mark.parametrize(
    "today,level",
    [
        (date(2026, 9, 30), 0),  # the deadline itself
        (date(2026, 10, 1), 0),  # National Day: no working day has passed yet
        (date(2026, 10, 8), 1),  # the first working day after it → the unit
        (date(2026, 10, 9), 1),
        (date(2026, 10, 10), 2),  # Saturday make-up working day: the third → its head
        (date(2026, 10, 12), 2),
        (date(2026, 10, 13), 3),  # the fifth → the office head
        (date(2026, 12, 31), 3),
    ],
)
def test_chasing_counts_working_days_past_the_internal_deadline(today, level):
    assert asg.chase_level(due=date(2026, 9, 30), today=today, calendar=CAL) == level


# -- the internal deadline follows the statutory one (issue 16: "moves when the statutory clock pauses")


def test_a_default_deadline_moves_by_as_many_working_days_as_the_statutory_one():
    # 第三十三条第二款 延期 of 20 working days: the reply due Monday 19 October moves to Monday 16
    # November (20, 21, 22, 23, 26…30, 2…6, 9…13, 16 November); the unit's Tuesday 13 October moves
    # as many working days: to Tuesday 10 November
    moved = asg.follow_reply_due(
        due=date(2026, 10, 13),
        chosen=False,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 11, 16),
        calendar=CAL,
    )
    assert moved == asg.InternalDue(date(2026, 11, 10), False, "")


def test_a_pause_of_five_working_days_moves_the_default_deadline_five():
    # 第三十二条: the consultation's days are not counted; the reply moves 19 → 26 October
    moved = asg.follow_reply_due(
        due=date(2026, 10, 13),
        chosen=False,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 10, 26),
        calendar=CAL,
    )
    assert moved.due == date(2026, 10, 20)  # 14, 15, 16, 19, 20 October


def test_the_offices_chosen_date_stays_unless_it_is_no_longer_before_the_statutory_one():
    kept = asg.follow_reply_due(
        due=date(2026, 10, 13),
        chosen=True,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 11, 16),
        calendar=CAL,
    )
    assert kept == asg.InternalDue(date(2026, 10, 13), False, "")
    # a statutory deadline now on 12 October: the last working day before it is the make-up
    # Saturday 10 October (国庆 notice), and the office is told why in Chinese
    capped = asg.follow_reply_due(
        due=date(2026, 10, 13),
        chosen=True,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 10, 12),
        calendar=CAL,
    )
    assert capped.due == date(2026, 10, 10) and capped.capped
    assert capped.note == (
        "办公室指定的内部办理期限（2026年10月13日）不早于法定答复期限（2026年10月12日），已提前至2026年10月10日"
    )


def test_a_default_deadline_moves_back_with_an_earlier_statutory_one_over_the_holiday():
    # the reply one working day earlier (19 → 16 October): the unit's 13 October goes back one working
    # day, to Monday 12 October
    moved = asg.follow_reply_due(
        due=date(2026, 10, 13),
        chosen=False,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 10, 16),
        calendar=CAL,
    )
    assert moved.due == date(2026, 10, 12)
    # across 国庆 (1–7 October): three working days back from 9 October
    moved = asg.follow_reply_due(
        due=date(2026, 10, 9),
        chosen=False,
        old_reply_due=date(2026, 10, 19),
        new_reply_due=date(2026, 10, 14),
        calendar=CAL,
    )
    # 19 → 14 October is three working days (15, 16, 19): 9 → 8 → 30 September → 29 September
    assert moved.due == date(2026, 9, 29)


def test_the_due_moved_step_is_a_routing_row_the_clocks_skip():
    assert asg.LOG_DUE_MOVED in asg.LOG_ACTIONS
    assert asg.LOG_ACTIONS[asg.LOG_DUE_MOVED] == "内部办理期限随法定期限调整"

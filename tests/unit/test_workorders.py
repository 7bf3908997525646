"""Work orders from hotlines and platforms: the table, the deadline by the platform's rule on the
working calendar, the figures, and the reading of an exported sheet."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.workorders import importing as imp
from gongkai.domain.workorders import workflow as wf
from gongkai.domain.workorders.workflow import Action, DeadlineRule, State, Unit

CAL = WorkingCalendar.official()
TODAY = date(2026, 7, 1)
CLERK = {"clerk"}


# -- the deadline --------------------------------------------------------------------------------------


def test_working_days_skip_the_national_day_holiday():
    # received on Wednesday 30 Sept 2026; 1-7 October are off (国庆节、中秋节): five working days end later
    due = wf.due_date(datetime(2026, 9, 30, 10), DeadlineRule(5, Unit.WORKING_DAYS), calendar=CAL)
    working = [d for d in (date(2026, 9, 30) + timedelta(days=i) for i in range(1, 30)) if CAL.is_working_day(d)]
    assert due == working[4]
    assert due > date(2026, 10, 7)


def test_hours_count_on_the_clock_even_over_a_weekend():
    # 24 hours from Friday 17:00 end on Saturday: an hours rule does not wait for working days
    due = wf.due_date(datetime(2026, 7, 3, 17), DeadlineRule(24, Unit.HOURS), calendar=CAL)
    assert due == date(2026, 7, 4)


@given(
    received=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1)),
    n=st.integers(min_value=1, max_value=20),
)
def test_a_working_day_deadline_is_a_working_day_n_working_days_on(received, n):
    due = wf.due_date(datetime.combine(received, datetime.min.time()), DeadlineRule(n, Unit.WORKING_DAYS), calendar=CAL)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(received, due) == n


@given(hours=st.integers(min_value=1, max_value=24 * 30), minute=st.integers(0, 24 * 60 - 1))
def test_an_hours_deadline_is_never_before_receipt_and_at_most_the_hours_later(hours, minute):
    received = datetime(2026, 5, 1) + timedelta(minutes=minute)
    due = wf.due_date(received, DeadlineRule(hours, Unit.HOURS), calendar=CAL)
    assert received.date() <= due <= (received + timedelta(hours=hours)).date()


def test_a_rule_needs_at_least_one():
    with pytest.raises(DomainError):
        DeadlineRule(0, Unit.HOURS)


def test_on_time_is_replied_on_or_before_the_due_day():
    assert wf.on_time(date(2026, 3, 9), date(2026, 3, 9))
    assert not wf.on_time(date(2026, 3, 9), date(2026, 3, 10))
    assert not wf.on_time(date(2026, 3, 9), None)


# -- the table -----------------------------------------------------------------------------------------


def test_received_assigned_replied_rated_then_reopened():
    t = wf.check_transition(
        State.RECEIVED, Action.ASSIGN, actor_roles=CLERK, fields={"unit": "基础教育科"}, today=TODAY
    )
    assert t.to is State.ASSIGNED
    fields = {"reply_text": "已答复", "replied_on": date(2026, 6, 2)}
    facts = wf.OrderFacts(received_on=date(2026, 6, 1))
    assert (
        wf.check_transition(State.ASSIGNED, Action.REPLY, actor_roles=CLERK, fields=fields, facts=facts, today=TODAY).to
        is State.REPLIED
    )
    rate = {"rating": "satisfied", "rated_on": date(2026, 6, 3)}
    assert (
        wf.check_transition(State.REPLIED, Action.RATE, actor_roles=CLERK, fields=rate, today=TODAY).to is State.CLOSED
    )
    back = wf.check_transition(
        State.CLOSED, Action.REOPEN, actor_roles=CLERK, fields={"comment": "群众不满意"}, today=TODAY
    )
    assert back.to is State.REOPENED
    assert Action.REPLY in wf.available_actions(State.REOPENED, CLERK)


def test_a_reply_cannot_be_rated_before_it_exists_nor_dated_in_the_future():
    with pytest.raises(TransitionNotAllowed, match="不能“登记群众评价”"):
        wf.check_transition(State.ASSIGNED, Action.RATE, actor_roles=CLERK, fields={}, today=TODAY)
    with pytest.raises(FieldError, match="不能晚于今天"):
        wf.check_transition(
            State.ASSIGNED,
            Action.REPLY,
            actor_roles=CLERK,
            fields={"reply_text": "x", "replied_on": date(2026, 7, 2)},
            today=TODAY,
        )
    with pytest.raises(FieldError, match="不能早于受理日期"):
        wf.check_transition(
            State.ASSIGNED,
            Action.REPLY,
            actor_roles=CLERK,
            fields={"reply_text": "x", "replied_on": date(2026, 5, 2)},
            facts=wf.OrderFacts(received_on=date(2026, 6, 1)),
            today=TODAY,
        )


def test_a_reopen_must_say_why_and_a_leader_does_not_handle_orders():
    with pytest.raises(FieldError):
        wf.check_transition(State.REPLIED, Action.REOPEN, actor_roles=CLERK, fields={}, today=TODAY)
    with pytest.raises(TransitionNotAllowed, match="应由"):
        wf.check_transition(State.RECEIVED, Action.ASSIGN, actor_roles={"leader"}, fields={"unit": "x"}, today=TODAY)


def test_the_deadline_counts_only_while_open():
    assert wf.deadline_status(date(2026, 6, 30), today=TODAY, state=State.ASSIGNED).text == "已逾期1日"
    assert wf.deadline_status(date(2026, 6, 30), today=TODAY, state=State.REPLIED) is None


# -- the figures ---------------------------------------------------------------------------------------


def test_the_annual_report_sentence():
    f = wf.Figures(received=13, replied=13, on_time=12, rated=10, satisfied=9)
    assert f.sentence() == "收到工单13件，回复13件，回复率100%"
    assert f.on_time_rate == "92.3%"
    assert f.satisfaction_rate == "90%"
    assert wf.Figures(0, 0, 0, 0, 0).reply_rate == "—"
    # "100%" reads as "all": one unanswered order among 2,000 is 99.95%, as the report's sentence says
    assert wf.Figures(2000, 1999, 1999, 0, 0).reply_rate == "99.95%"
    assert wf.Figures(20000, 1, 1, 0, 0).reply_rate == "0.01%"  # nor "0%" with one answered


@given(st.integers(0, 500).flatmap(lambda r: st.tuples(st.just(r), st.integers(0, r))))
def test_rates_stay_between_nought_and_a_hundred(pair):
    received, replied = pair
    f = wf.Figures(received, replied, replied, 0, 0)
    if received:
        assert 0 <= float(f.reply_rate.rstrip("%")) <= 100


def test_inconsistent_figures_are_refused():
    with pytest.raises(DomainError):
        wf.Figures(received=1, replied=2, on_time=0, rated=0, satisfied=0)


# -- reading a sheet -----------------------------------------------------------------------------------

MAP = imp.DEFAULT_MAPPINGS["12345"]
HEAD = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "承办单位"]


def test_rows_parse_with_their_errors_in_chinese():
    rows = [
        ["GD001", "2026-06-01 09:30", "投诉", "噪音", "学校施工噪音", ""],
        ["GD002", "2026/6/2", "咨询类", "招生", "问招生", "基础教育科"],
        ["GD001", "2026-06-03", "建议", "重复", "", ""],
        ["", "昨天", "吐槽", "", "", ""],
        [None, None, None, None, None, None],
    ]
    parsed = imp.parse_rows(HEAD, rows, MAP, today=TODAY)
    assert [r.line for r in parsed] == [2, 3, 4, 5]
    assert parsed[0].ok and parsed[0].values["received_at"] == datetime(2026, 6, 1, 9, 30)
    assert parsed[1].values["category"] == "consult"
    assert parsed[2].errors == ["工单编号“GD001”与第2行重复"]
    assert parsed[3].errors == [
        "缺少“工单编号”",
        "“受理时间”无法识别：“昨天”，应为日期，如2026-03-01或2026-03-01 09:30",
        "“工单类别”无法识别：“吐槽”，应为咨询、求助、投诉、建议、举报之一",
    ]


def test_columns_are_found_by_header_whatever_their_order():
    head = list(reversed(HEAD))
    parsed = imp.parse_rows(head, [list(reversed(["GD9", "2026年6月1日", "求助", "t", "c", "u"]))], MAP, today=TODAY)
    assert parsed[0].ok and parsed[0].values["number"] == "GD9" and parsed[0].values["unit"] == "u"


def test_a_missing_required_column_refuses_the_sheet():
    with pytest.raises(imp.SheetError, match="找不到“受理时间”"):
        imp.parse_rows(["工单编号", "诉求类型"], [], MAP, today=TODAY)


def test_too_many_rows_refuse_the_sheet():
    rows = [[f"N{i}", "2026-06-01", "咨询"] for i in range(4)]
    with pytest.raises(imp.SheetError, match="超过3行"):
        imp.parse_rows(HEAD[:3], rows, MAP, today=TODAY, max_rows=3)


@given(
    st.lists(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.dates()), max_size=7), max_size=20)
)
def test_no_row_is_lost_whatever_the_cells(rows):
    parsed = imp.parse_rows(HEAD, rows, MAP, today=TODAY)
    non_empty = [r for r in rows if any(str(c).strip() for c in r if c is not None)]
    assert len(parsed) == len(non_empty)
    assert all(r.ok or r.errors for r in parsed)

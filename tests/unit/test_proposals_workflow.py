"""The handling of suggestions and proposals (建议提案办理), from the rules:

- the reply is due three calendar months after 交办 unless the agency sets otherwise (urgent items
  shorter); a period in months ends on the corresponding day of the last month, or on its last day
  when it has none (民法典第二百零二条);
- the agency talks with the deputy or member before replying (办前沟通), the leader signs the reply
  letter (答复函), whose category is A 已解决或采纳 / B 正在解决或列入计划 / C 因条件限制等暂时不能解决;
- the feedback is 满意 / 基本满意 / 不满意; 不满意 leads to a second handling (重新研究办理);
- the reply is published in the column or the choice not to publish it is recorded with the reason.
"""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.proposals import workflow as wf
from gongkai.domain.proposals.workflow import Action, ProposalFacts, State

CLERK, LEADER = {"clerk"}, {"leader"}
TODAY = date(2026, 7, 1)
ASSIGNED = date(2026, 3, 20)


def test_the_category_and_feedback_labels_are_the_official_words():
    assert dict(wf.CATEGORY_LABELS) == {
        "A": "A 已解决或采纳",
        "B": "B 正在解决或列入计划",
        "C": "C 因条件限制等暂时不能解决",
    }
    assert list(wf.SATISFACTION_LABELS.values()) == ["满意", "基本满意", "不满意"]
    assert [s.label for s in State] == ["已交办", "办理中", "答复待签发", "已答复", "已反馈", "二次办理"]


# -- the deadline --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned", "due"),
    [
        (date(2026, 3, 20), date(2026, 6, 20)),  # the corresponding day
        (date(2026, 11, 30), date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 11, 29), date(2027, 2, 28)),
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2026, 10, 31), date(2027, 1, 31)),
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),
    ],
)
def test_three_calendar_months_from_assignment(assigned, due):
    assert wf.due_date(assigned) == due


def test_urgent_items_and_the_agencys_own_months():
    assert wf.due_date(date(2026, 1, 31), urgent=True) == date(2026, 2, 28)
    assert wf.due_date(date(2026, 3, 20), months=2) == date(2026, 5, 20)
    assert wf.due_date(date(2026, 3, 20), urgent=True, urgent_months=2) == date(2026, 5, 20)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 9, 30)), st.integers(min_value=1, max_value=12))
def test_a_months_period_ends_on_the_corresponding_day_or_the_months_last_day(start, months):
    due = wf.add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last)
    assert due > start


@given(st.integers(min_value=2000, max_value=2098))
def test_assigned_on_30_november_is_due_on_the_last_day_of_february(year):
    due = wf.due_date(date(year, 11, 30))
    assert due == date(year + 1, 3, 1) - timedelta(days=1)
    assert due.day == (29 if calendar.isleap(year + 1) else 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 9, 30)))
def test_an_urgent_item_is_never_due_later_than_an_ordinary_one(start):
    assert wf.due_date(start, urgent=True) <= wf.due_date(start)


CALENDAR = WorkingCalendar.official()


@pytest.mark.parametrize(
    ("assigned", "due"),
    [
        (date(2026, 3, 20), date(2026, 6, 22)),  # 06-20: Saturday of the 端午 holiday
        (date(2026, 7, 1), date(2026, 10, 8)),  # 10-01..07: 国庆
        (date(2026, 3, 31), date(2026, 6, 30)),  # a working Tuesday stays
    ],
)
def test_a_last_day_on_a_holiday_or_rest_day_moves_to_the_next_working_day(assigned, due):
    # 民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日
    assert wf.due_date(assigned, calendar=CALENDAR) == due


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)), st.booleans())
def test_the_moved_deadline_is_the_first_working_day_from_the_months_last_day(start, urgent):
    plain = wf.due_date(start, urgent=urgent)
    due = wf.due_date(start, urgent=urgent, calendar=CALENDAR)
    assert due >= plain and CALENDAR.is_working_day(due)
    d = plain
    while d < due:
        assert not CALENDAR.is_working_day(d)
        d += timedelta(days=1)


def test_deadline_status_marks_overdue_only_while_a_reply_is_owed():
    due = date(2026, 6, 20)
    assert wf.deadline_status(due, today=date(2026, 6, 20), state=State.HANDLING).text == "今日到期"
    late = wf.deadline_status(due, today=date(2026, 6, 23), state=State.AWAITING_SIGN)
    assert late.overdue and late.text == "已逾期3日"
    assert wf.deadline_status(due, today=date(2026, 6, 23), state=State.REPLIED) is None


# -- the table -------------------------------------------------------------------------------------------


def _check(state, action, roles=CLERK, facts=ProposalFacts(assigned_on=ASSIGNED), today=TODAY, **fields):
    return wf.check_transition(state, action, actor_roles=roles, fields=fields, facts=facts, today=today)


def test_the_main_path_and_who_takes_each_step():
    assert _check(State.REGISTERED, Action.ACCEPT).to is State.HANDLING
    contact = {"contact_on": date(2026, 4, 1), "contact_way": "phone", "summary": "电话沟通"}
    assert _check(State.HANDLING, Action.CONTACT, **contact).to is State.HANDLING
    facts = ProposalFacts(contacts=1, assigned_on=ASSIGNED)
    reply = {"category": "A", "reply_text": "答复"}
    assert _check(State.HANDLING, Action.SUBMIT_REPLY, facts=facts, **reply).to is State.AWAITING_SIGN
    # the clerk drafts, the leader signs
    with pytest.raises(TransitionNotAllowed, match="应由局领导操作"):
        _check(State.AWAITING_SIGN, Action.SIGN, replied_on=date(2026, 6, 1))
    with pytest.raises(TransitionNotAllowed, match="应由经办人或办公室主任操作"):
        _check(State.HANDLING, Action.SUBMIT_REPLY, roles=LEADER, facts=facts, **reply)
    assert _check(State.AWAITING_SIGN, Action.SIGN, roles=LEADER, replied_on=date(2026, 6, 1)).to is State.REPLIED
    fb = {"satisfaction": "basically_satisfied", "feedback_on": date(2026, 6, 10)}
    assert _check(State.REPLIED, Action.FEEDBACK, **fb).to is State.FED_BACK


def test_no_reply_before_talking_with_the_deputy():
    with pytest.raises(TransitionNotAllowed, match="答复前应与代表委员沟通"):
        _check(State.HANDLING, Action.SUBMIT_REPLY, category="A", reply_text="答复")


def test_the_reply_needs_a_category_from_the_three():
    facts = ProposalFacts(contacts=1)
    with pytest.raises(FieldError, match="请填写“答复类别”"):
        _check(State.HANDLING, Action.SUBMIT_REPLY, facts=facts, reply_text="答复")
    with pytest.raises(FieldError, match="答复类别"):
        _check(State.HANDLING, Action.SUBMIT_REPLY, facts=facts, reply_text="答复", category="D")


def test_dissatisfied_first_time_goes_to_a_second_handling():
    fb = {"satisfaction": "dissatisfied", "feedback_on": date(2026, 6, 10)}
    with pytest.raises(FieldError, match="不满意转二次办理") as err:
        _check(State.REPLIED, Action.FEEDBACK, **fb)
    assert err.value.field == "satisfaction"
    t = _check(State.REPLIED, Action.REHANDLE, feedback_on=date(2026, 6, 10), comment="希望明确时间表")
    assert t.to is State.SECOND_HANDLING
    # in the second round, a 不满意 is recorded and the item ends there; no third handling
    second = ProposalFacts(round=2, contacts=0, assigned_on=ASSIGNED)
    assert _check(State.REPLIED, Action.FEEDBACK, facts=second, **fb).to is State.FED_BACK
    with pytest.raises(TransitionNotAllowed, match="已经二次办理过"):
        _check(State.REPLIED, Action.REHANDLE, facts=second, feedback_on=date(2026, 6, 10), comment="仍不满意")
    assert Action.REHANDLE not in wf.available_actions(State.REPLIED, CLERK, second)


def test_a_returned_second_round_reply_goes_back_to_the_second_handling():
    first = _check(State.AWAITING_SIGN, Action.RETURN_REPLY, roles=LEADER, comment="补充数据")
    assert first.to is State.HANDLING
    second = _check(
        State.AWAITING_SIGN, Action.RETURN_REPLY, roles=LEADER, facts=ProposalFacts(round=2), comment="补充数据"
    )
    assert second.to is State.SECOND_HANDLING
    with pytest.raises(FieldError, match="退回意见"):
        _check(State.AWAITING_SIGN, Action.RETURN_REPLY, roles=LEADER)


def test_the_publication_choice_is_made_once_and_a_withholding_says_why():
    assert _check(State.REPLIED, Action.PUBLISH).to is State.REPLIED
    with pytest.raises(FieldError, match="不公开理由"):
        _check(State.FED_BACK, Action.WITHHOLD, comment="说明")
    assert (
        _check(State.FED_BACK, Action.WITHHOLD, withhold_reason="privacy", comment="涉及学生个人信息").to
        is State.FED_BACK
    )
    done = ProposalFacts(publication="published")
    with pytest.raises(TransitionNotAllowed, match="公开选择只作一次"):
        _check(State.FED_BACK, Action.WITHHOLD, facts=done, withhold_reason="other", comment="x")
    assert not {Action.PUBLISH, Action.WITHHOLD} & set(wf.available_actions(State.FED_BACK, CLERK, done))
    with pytest.raises(TransitionNotAllowed, match="不能“公开复文”"):
        _check(State.HANDLING, Action.PUBLISH)


def test_dates_are_not_in_the_future_nor_before_assignment():
    with pytest.raises(FieldError, match="不能晚于今天"):
        _check(State.AWAITING_SIGN, Action.SIGN, roles=LEADER, replied_on=TODAY + timedelta(days=1))
    with pytest.raises(FieldError, match="不能早于交办日期"):
        _check(State.HANDLING, Action.CONTACT, contact_on=date(2026, 3, 1), contact_way="phone", summary="x")
    with pytest.raises(FieldError, match="不能早于答复日期"):
        _check(
            State.REPLIED,
            Action.FEEDBACK,
            facts=ProposalFacts(replied_on=date(2026, 6, 1)),
            satisfaction="satisfied",
            feedback_on=date(2026, 5, 30),
        )


def test_the_buttons_each_state_offers():
    assert wf.available_actions(State.HANDLING, CLERK) == [Action.CONTACT, Action.SUBMIT_REPLY]
    assert wf.available_actions(State.AWAITING_SIGN, LEADER) == [Action.RETURN_REPLY, Action.SIGN]
    assert wf.available_actions(State.AWAITING_SIGN, CLERK) == []
    assert wf.available_actions(State.REPLIED, CLERK) == [
        Action.FEEDBACK,
        Action.REHANDLE,
        Action.PUBLISH,
        Action.WITHHOLD,
    ]


def test_published_text_has_mobile_and_id_numbers_masked_and_keeps_the_rest():
    text = "王建国代表：联系电话13812345678，身份证110101199001011237，办公电话0000-12345678。"
    out = wf.redact(text)
    assert "13812345678" not in out and "138****5678" in out
    assert "110101199001011237" not in out and "110101************" in out
    assert "王建国代表" in out and "0000-12345678" in out

"""The application workflow (procedure.md §3.1, §3.2): the table, refusals, fields, sign-off, and the
clock events a real walk produces."""

import re
from collections import deque
from datetime import date, datetime

import pytest

from gongkai.domain.applications.sign_off import DEFAULT_SIGN_OFF_POLICY, SIGNABLE_OUTCOMES, SignOffPolicy
from gongkai.domain.applications.workflow import (
    FIELD_SPECS,
    OPEN_STATES,
    SIGN_OFF_SOURCES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    Role,
    State,
    available_actions,
    check_transition,
    drafted_outcome,
    reply_outcomes,
    submission,
    transition_for,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import ClockEvent, DeadlineStatus, EventKind, application_deadlines
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError

CAL = WorkingCalendar.official()
A, S = Action, State
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ALL_ROLES = {r.value for r in Role}
NO_SIGN_OFF = SignOffPolicy.nothing()
D = date(2025, 9, 1)


def reply_code(state: State, action: Action) -> str:
    if action is A.ANSWER_ON_THE_SPOT:
        return "already_public"
    if state is S.RECEIVED:
        return "publication"
    if state is S.REASON_REQUESTED:
        return "excessive_unreasonable"
    return "disclosed"


def valid_fields(state: State, action: Action) -> dict:
    """Fields that make ``action`` valid from ``state`` (with sign-off switched off)."""
    reply = {"outcome_code": reply_code(state, action), "legal_basis": "第三十六条", "replied_on": D}
    consult = {"party": "某科技有限公司", "sent_on": D, "delivered_on": date(2025, 9, 3)}
    return {
        A.CONFIRM_RECEIPT: {"confirmed_on": D},
        A.START_PROCESSING: {},
        A.ANSWER_ON_THE_SPOT: reply,
        A.REQUEST_CORRECTION: {"items": ["所需信息的名称"], "requested_on": D, "period_working_days": 10},
        A.RECEIVE_CORRECTION: {"received_on": D, "continue_state": "in_progress"},
        A.CORRECTION_LAPSED: {"decided_on": D},
        A.ASK_REASON: {"requested_on": D},
        A.REASON_UNREASONABLE: {"legal_basis": "第三十五条"},
        A.SET_DELAY_PERIOD: {"reply_until": date(2025, 12, 31), "notified_on": D},
        A.REASON_ACCEPTED: {},
        A.START_THIRD_PARTY_CONSULTATION: consult,
        A.START_AGENCY_CONSULTATION: {**consult, "party": "市财政局"},
        A.END_CONSULTATION: {
            "party": "某科技有限公司",
            "ended_on": D,
            "response": "agreed",
            "continue_state": "in_progress",
        },
        A.REQUEST_EXTENSION: {"reason": "需要调取档案", "working_days": 20},
        A.APPROVE_EXTENSION: {"working_days": 20, "approved_on": D},
        A.REJECT_EXTENSION: {"comment": "期限内可以办结"},
        A.NOTIFY_FEE: {
            "method": "per_application",
            "month_position": 11,
            "amount": 100,
            "fee_sent_on": D,
            "notice_received_on": D,
        },
        A.FEE_PAID: {"paid_on": D},
        A.FEE_LAPSED: {"decided_on": D},
        A.REPLY: {k: reply[k] for k in ("outcome_code", "legal_basis")},
        A.SUBMIT_REPLY_FOR_SIGN_OFF: {k: reply[k] for k in ("outcome_code", "legal_basis")},
        # the reviews (domain.applications.review); with no review policy a passed draft is ready to issue
        A.SUBMIT_REPLY_FOR_REVIEW: {
            "outcome_code": "partially_disclosed",
            "legal_basis": "第三十七条",
            "review_state": "awaiting_legal_review",
        },
        A.PASS_LEGAL_REVIEW: {
            "outcome_code": "disclosed",
            "legal_basis": "第三十六条",
            "reviewed_state": "reply_ready",
        },
        A.PASS_SECRECY_REVIEW: {
            "outcome_code": "disclosed",
            "legal_basis": "第三十六条",
            "reviewed_state": "reply_ready",
        },
        A.RETURN_FROM_REVIEW: {"comment": "理由不充分", "resume_state": "in_progress"},
        A.SIGN_OFF_REPLY: {
            "outcome_code": "disclosed",
            "legal_basis": "第三十六条",
            **({"signed_state": "reply_signed"} if state is S.AWAITING_SIGN_OFF else {}),
        },
        A.ISSUE_REPLY: {**reply, "outcome_code": "disclosed", "issued_via": "post"},
        A.RETURN_REPLY: {"comment": "依据不充分", "resume_state": "in_progress"},
        A.NOT_AN_APPLICATION: {"kind": "complaint", "decided_on": D},
        A.WITHDRAW: {"withdrawn_on": D},
    }[action]


def move(state, action, roles=frozenset(ALL_ROLES), policy=NO_SIGN_OFF, **overrides):
    fields = {**valid_fields(State(state), Action(action)), **overrides}
    return check_transition(state, action, actor_roles=set(roles), fields=fields, policy=policy)


def refusal(exc_type, *args, **kw) -> DomainError:
    with pytest.raises(exc_type) as info:
        move(*args, **kw)
    assert CHINESE.search(info.value.message), info.value.message
    return info.value


# -- the table covers §3.2 ----------------------------------------------------------------------

# (from, action, outcome or None, to, acting role): every row of procedure.md §3.2 after "submit".
SPEC_ROWS = [
    (S.SUBMITTED, A.CONFIRM_RECEIPT, None, S.RECEIVED, Role.CLERK),
    (S.RECEIVED, A.ANSWER_ON_THE_SPOT, "already_public", S.REPLIED, Role.CLERK),
    (S.IN_PROGRESS, A.ANSWER_ON_THE_SPOT, "not_this_agency", S.REPLIED, Role.CLERK),
    (S.RECEIVED, A.NOT_AN_APPLICATION, None, S.NOT_TREATED_AS_APPLICATION, Role.CLERK),
    (S.RECEIVED, A.REPLY, "publication", S.REPLIED, Role.CLERK),
    (S.RECEIVED, A.REPLY, "duplicate", S.REPLIED, Role.CLERK),
    (S.RECEIVED, A.REQUEST_CORRECTION, None, S.CORRECTION_REQUESTED, Role.CLERK),
    (S.CORRECTION_REQUESTED, A.RECEIVE_CORRECTION, None, S.IN_PROGRESS, Role.APPLICANT),
    (S.CORRECTION_REQUESTED, A.CORRECTION_LAPSED, None, S.DEEMED_ABANDONED_NO_CORRECTION, Role.SYSTEM),
    (S.IN_PROGRESS, A.REPLY, "unclear_after_correction", S.REPLIED, Role.CLERK),
    (S.RECEIVED, A.ASK_REASON, None, S.REASON_REQUESTED, Role.CLERK),
    (S.IN_PROGRESS, A.ASK_REASON, None, S.REASON_REQUESTED, Role.CLERK),
    (S.REASON_REQUESTED, A.REASON_UNREASONABLE, None, S.REPLIED, Role.CLERK),
    (S.REASON_REQUESTED, A.SET_DELAY_PERIOD, None, S.DELAY_PERIOD_SET, Role.CLERK),
    (S.REASON_REQUESTED, A.REASON_ACCEPTED, None, S.IN_PROGRESS, Role.CLERK),
    (S.IN_PROGRESS, A.START_THIRD_PARTY_CONSULTATION, None, S.THIRD_PARTY_CONSULTATION, Role.CLERK),
    (S.THIRD_PARTY_CONSULTATION, A.END_CONSULTATION, None, S.IN_PROGRESS, Role.CLERK),
    (S.IN_PROGRESS, A.START_AGENCY_CONSULTATION, None, S.AGENCY_CONSULTATION, Role.CLERK),
    (S.AGENCY_CONSULTATION, A.END_CONSULTATION, None, S.IN_PROGRESS, Role.SYSTEM),
    (S.IN_PROGRESS, A.REQUEST_EXTENSION, None, S.EXTENSION_REQUESTED, Role.CLERK),
    (S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, None, S.EXTENDED, Role.OFFICE_HEAD),
    (S.IN_PROGRESS, A.NOTIFY_FEE, None, S.FEE_NOTIFIED, Role.CLERK),
    (S.EXTENDED, A.NOTIFY_FEE, None, S.FEE_NOTIFIED, Role.CLERK),
    (S.FEE_NOTIFIED, A.FEE_PAID, None, S.IN_PROGRESS, Role.CLERK),
    (S.FEE_NOTIFIED, A.FEE_LAPSED, None, S.DEEMED_ABANDONED_FEE_UNPAID, Role.SYSTEM),
    (S.IN_PROGRESS, A.REPLY, "disclosed", S.REPLIED, Role.CLERK),
    (S.EXTENDED, A.REPLY, "withheld_state_secret", S.REPLIED, Role.CLERK),
    (S.DELAY_PERIOD_SET, A.REPLY, "partially_disclosed", S.REPLIED, Role.CLERK),
    *[(s, A.WITHDRAW, None, S.WITHDRAWN, Role.APPLICANT) for s in sorted(OPEN_STATES)],
]


@pytest.mark.parametrize("source, action, code, target, role", SPEC_ROWS)
def test_every_row_of_the_procedure_table_is_a_move_the_workflow_allows(source, action, code, target, role):
    extra = {"outcome_code": code} if code and action is not A.REASON_UNREASONABLE else {}
    t = move(source, action, roles={role}, **extra)
    if action in (A.REPLY, A.REASON_UNREASONABLE):
        # issue 14: a reply written without sign-off is 已答复 only once issued (送达, with date and channel)
        assert t.to is S.REPLY_READY and t.outcome_code({}) is None and t.clock_events({}) == ()
        code = code or "excessive_unreasonable"
        t = move(S.REPLY_READY, A.ISSUE_REPLY, roles={role}, outcome_code=code)
        extra = {"outcome_code": code}
        action = A.ISSUE_REPLY
        source = S.REPLY_READY
    assert t.to is target
    if code:
        assert t.outcome_code({**valid_fields(source, action), **extra}) == code


def test_every_state_is_reachable_from_a_new_application_and_every_row_lies_on_some_path():
    start = [submission(None)[0], submission(D)[0]]
    seen, used, queue = set(start), set(), deque(start)
    while queue:
        state = queue.popleft()
        for t in TRANSITIONS:
            if state not in t.sources:
                continue
            used.add((state, t.action))
            targets = [t.to] if t.to is not None else [State(v) for v in FIELD_SPECS[t.to_field].choices]
            for to in targets:
                if to not in seen:
                    seen.add(to)
                    queue.append(to)
    assert seen == set(State)
    assert used == {(s, t.action) for t in TRANSITIONS for s in t.sources}


def test_every_terminal_state_can_be_reached_and_ends_with_its_table_3_outcome():
    ends = {
        S.DEEMED_ABANDONED_NO_CORRECTION: move(S.CORRECTION_REQUESTED, A.CORRECTION_LAPSED),
        S.DEEMED_ABANDONED_FEE_UNPAID: move(S.FEE_NOTIFIED, A.FEE_LAPSED),
        S.NOT_TREATED_AS_APPLICATION: move(S.RECEIVED, A.NOT_AN_APPLICATION),
        S.WITHDRAWN: move(S.IN_PROGRESS, A.WITHDRAW),
    }
    codes = {s: t.outcome_code({}) for s, t in ends.items()}
    assert codes == {
        S.DEEMED_ABANDONED_NO_CORRECTION: "abandoned_no_correction",
        S.DEEMED_ABANDONED_FEE_UNPAID: "abandoned_fee_unpaid",
        S.NOT_TREATED_AS_APPLICATION: "petition_complaint",
        S.WITHDRAWN: "withdrawn",
    }
    assert all(t.to is s for s, t in ends.items())
    # 第三十五条 不予处理 is written as a reply and ends the case as 已答复 when issued, with its outcome
    assert drafted_outcome(A.REASON_UNREASONABLE, {}) == "excessive_unreasonable"
    assert (
        move(S.REPLY_READY, A.ISSUE_REPLY, outcome_code="excessive_unreasonable").outcome_code(
            {"outcome_code": "excessive_unreasonable"}
        )
        == "excessive_unreasonable"
    )


def test_moves_that_do_not_end_the_case_carry_no_outcome():
    assert move(S.IN_PROGRESS, A.REQUEST_EXTENSION).outcome_code({}) is None


def test_every_state_action_and_role_has_a_chinese_label():
    for member in [*State, *Action, *Role]:
        assert CHINESE.search(member.label), member
    assert len({s.label for s in State}) == len(State) and len({a.label for a in Action}) == len(Action)


# -- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", sorted(State))
def test_every_move_the_table_does_not_list_is_refused_with_a_chinese_message_naming_state_and_action(state):
    illegal = [a for a in Action if transition_for(state, a) is None]
    assert illegal
    for action in illegal:
        with pytest.raises(TransitionNotAllowed) as info:
            check_transition(
                state, action, actor_roles=ALL_ROLES, fields=valid_fields(state, action), policy=NO_SIGN_OFF
            )
        assert state.label in info.value.message and action.label in info.value.message


def test_a_closed_case_refuses_every_action_saying_it_has_ended():
    for state in TERMINAL_STATES:
        assert available_actions(state, ALL_ROLES) == []
        for action in Action:
            with pytest.raises(TransitionNotAllowed, match="办理已结束"):
                check_transition(state, action, actor_roles=ALL_ROLES, fields={})


def test_a_move_outside_its_states_says_where_it_is_allowed():
    e = refusal(TransitionNotAllowed, S.RECEIVED, A.REQUEST_EXTENSION)
    assert e.message == "申请处于“已收到”状态，不能“申请延期答复”（仅在“办理中”状态下可以）"


@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda t: t.action.value)
def test_every_role_the_row_does_not_name_is_refused(row):
    state = min(row.sources)
    for role in set(Role) - row.actors:
        e = refusal(TransitionNotAllowed, state, row.action, roles={role})
        assert "应由" in e.message and row.action.label in e.message


def test_only_the_office_head_approves_an_extension_as_article_33_requires():
    assert move(S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, roles={"office_head"}).to is S.EXTENDED
    for roles in ({"clerk"}, {"leader"}, {"applicant"}):
        e = refusal(TransitionNotAllowed, S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, roles=roles)
        assert e.message == "“批准延期答复”应由办公室主任操作"


def test_a_user_holding_several_roles_may_act_in_any_of_them_and_unknown_roles_grant_nothing():
    assert move(S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, roles={"clerk", "office_head"}).to is S.EXTENDED
    refusal(TransitionNotAllowed, S.RECEIVED, A.START_PROCESSING, roles={"admin", "superuser"})


def test_unknown_states_and_actions_are_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的办理状态“archived”"):
        check_transition("archived", "reply", actor_roles=ALL_ROLES, fields={})
    with pytest.raises(DomainError, match="未知的操作“approve”"):
        check_transition("received", "approve", actor_roles=ALL_ROLES, fields={})


# -- required fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda t: t.action.value)
def test_every_required_field_is_enforced_and_the_error_names_it_in_chinese(row):
    state = min(row.sources)
    for name in row.required:
        for blank in (None, "  "):
            e = refusal(FieldError, state, row.action, **{name: blank})
            assert e.field == name and FIELD_SPECS[name].label in e.message


def test_a_correction_notice_lists_what_to_correct_and_exactly_one_period():
    assert (
        move(S.RECEIVED, A.REQUEST_CORRECTION, period_working_days=None, until=date(2025, 9, 30)).to
        is S.CORRECTION_REQUESTED
    )
    e = refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, period_working_days=None)
    assert e.message == "请填写“补正期限（工作日）”或“补正截止日期”"
    e = refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, until=date(2025, 9, 30))
    assert e.field == "until" and "只能填写一项" in e.message
    assert refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, items=[]).message == "请至少列出一项“需要补正的事项”"
    assert refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, items="全部").message == "“需要补正的事项”应逐项列出"
    assert "第2项为空" in refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, items=["文号", ""]).message
    e = refusal(FieldError, S.RECEIVED, A.REQUEST_CORRECTION, period_working_days=None, until=D)
    assert e.message == "“补正截止日期”（2025-09-01）应晚于“发出日期”（2025-09-01）"


@pytest.mark.parametrize("days", [0, 21, -3])
def test_an_extension_outside_one_to_twenty_working_days_is_refused(days):
    for state, action in ((S.IN_PROGRESS, A.REQUEST_EXTENSION), (S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION)):
        e = refusal(FieldError, state, action, working_days=days)
        assert e.field == "working_days" and "延长工作日数" in e.message


def test_an_extension_needs_a_reason():
    assert refusal(FieldError, S.IN_PROGRESS, A.REQUEST_EXTENSION, reason="").message == "请填写“延期理由”"


def test_fields_of_the_wrong_type_are_refused_rather_than_coerced():
    assert "应为日期" in refusal(FieldError, S.SUBMITTED, A.CONFIRM_RECEIPT, confirmed_on="2025-09-01").message
    assert (
        "应为日期" in refusal(FieldError, S.SUBMITTED, A.CONFIRM_RECEIPT, confirmed_on=datetime(2025, 9, 1, 9)).message
    )
    assert "应为整数" in refusal(FieldError, S.IN_PROGRESS, A.REQUEST_EXTENSION, working_days=True).message
    assert "应为整数" in refusal(FieldError, S.IN_PROGRESS, A.REQUEST_EXTENSION, working_days="20").message
    e = refusal(FieldError, S.THIRD_PARTY_CONSULTATION, A.END_CONSULTATION, response="maybe")
    assert e.message == "“征求意见结果”应为同意公开、不同意公开、逾期未答复之一，收到的是“maybe”"


def test_a_consultation_letter_cannot_be_delivered_before_it_was_sent():
    e = refusal(FieldError, S.IN_PROGRESS, A.START_THIRD_PARTY_CONSULTATION, delivered_on=date(2025, 8, 29))
    assert e.field == "delivered_on" and "不早于" in e.message


def test_a_date_set_under_article_35_must_lie_after_the_day_it_is_notified():
    e = refusal(FieldError, S.REASON_REQUESTED, A.SET_DELAY_PERIOD, reply_until=D)
    assert e.field == "reply_until"


def test_a_fee_notice_must_carry_the_amount_the_tariff_computes():
    # 11th application of the month → 100 元 (办法第四条); 45 pages → 15 × 10 = 150 元 (第五条)
    assert move(S.IN_PROGRESS, A.NOTIFY_FEE).to is S.FEE_NOTIFIED
    assert (
        move(S.EXTENDED, A.NOTIFY_FEE, method="per_page", month_position=None, pages=45, amount=150).to
        is S.FEE_NOTIFIED
    )
    e = refusal(FieldError, S.IN_PROGRESS, A.NOTIFY_FEE, amount=50)
    assert e.field == "amount" and e.message.startswith("收费金额应为100元，填写的是50元。按件计收：本自然月第11件申请")
    e = refusal(FieldError, S.IN_PROGRESS, A.NOTIFY_FEE, month_position=3, amount=0)
    assert e.message.startswith("按所选方式不收取信息处理费，无需发出收费通知")
    e = refusal(FieldError, S.IN_PROGRESS, A.NOTIFY_FEE, pages=45)
    assert e.field == "pages" and "只能填写一项" in e.message
    with pytest.raises(DomainError, match="按量计收须提供页数"):
        move(S.IN_PROGRESS, A.NOTIFY_FEE, method="per_page")
    assert "收费方式" in refusal(FieldError, S.IN_PROGRESS, A.NOTIFY_FEE, method="by_weight").message


def test_a_lapse_cannot_be_recorded_before_the_period_it_lapses_has_ended():
    events = [
        ClockEvent(EventKind.RECEIVED, date(2025, 9, 1)),
        ClockEvent(EventKind.CORRECTION_REQUESTED, date(2025, 9, 3), working_days=10),
    ]
    # 10 working days after 2025-09-03: 4, 5, 8–12, 15, 16, 17 → due 2025-09-17
    deadlines = application_deadlines(events, calendar=CAL, today=date(2025, 9, 18))
    fields = {"decided_on": date(2025, 9, 17)}
    with pytest.raises(FieldError, match="补正期限至2025-09-17届满，届满前不能认定“逾期未补正”"):
        check_transition(
            S.CORRECTION_REQUESTED, A.CORRECTION_LAPSED, actor_roles={"system"}, fields=fields, deadlines=deadlines
        )
    fields = {"decided_on": date(2025, 9, 18)}
    t = check_transition(
        S.CORRECTION_REQUESTED, A.CORRECTION_LAPSED, actor_roles={"system"}, fields=fields, deadlines=deadlines
    )
    assert t.to is S.DEEMED_ABANDONED_NO_CORRECTION


# -- outcomes and sign-off -------------------------------------------------------------------------


def test_a_reply_straight_from_received_may_only_point_to_a_publication_or_refuse_a_duplicate():
    assert reply_outcomes(S.RECEIVED, A.REPLY, NO_SIGN_OFF) == ("duplicate", "publication")
    e = refusal(FieldError, S.RECEIVED, A.REPLY, outcome_code="disclosed")
    assert e.field == "outcome_code"
    assert (
        e.message
        == "“已收到”状态下“作出答复”不能作出“予以公开”的决定；可选：“不予处理：重复申请”、“不予处理：要求提供公开出版物”"
    )


def test_an_answer_on_the_spot_may_only_point_the_applicant_somewhere():
    assert reply_outcomes(S.RECEIVED, A.ANSWER_ON_THE_SPOT) == (
        "already_public",
        "special_query_procedure",
        "not_this_agency",
        "publication",
    )
    for code in ("disclosed", "withheld_state_secret", "does_not_exist"):
        refusal(FieldError, S.RECEIVED, A.ANSWER_ON_THE_SPOT, outcome_code=code)


def test_the_endings_with_their_own_action_cannot_be_given_as_a_reply():
    for code in (
        "petition_complaint",
        "excessive_unreasonable",
        "abandoned_no_correction",
        "abandoned_fee_unpaid",
        "withdrawn",
    ):
        refusal(FieldError, S.IN_PROGRESS, A.REPLY, outcome_code=code)
    with pytest.raises(DomainError, match="未知的办理结果|应为"):
        move(S.IN_PROGRESS, A.REPLY, outcome_code="granted")


def test_by_default_every_reply_except_already_public_needs_sign_off():
    assert SIGNABLE_OUTCOMES - DEFAULT_SIGN_OFF_POLICY.outcomes_needing_sign_off == {"already_public"}
    assert (
        move(S.IN_PROGRESS, A.REPLY, policy=DEFAULT_SIGN_OFF_POLICY, outcome_code="already_public").to is S.REPLY_READY
    )
    e = refusal(TransitionNotAllowed, S.IN_PROGRESS, A.REPLY, policy=DEFAULT_SIGN_OFF_POLICY, outcome_code="disclosed")
    assert e.message == "按本机关规定，“予以公开”的答复须经办公室主任或局领导签发，请先“提交签发”"
    refusal(TransitionNotAllowed, S.REASON_REQUESTED, A.REASON_UNREASONABLE, policy=DEFAULT_SIGN_OFF_POLICY)


def test_an_answer_on_the_spot_is_never_held_for_sign_off():
    t = move(S.RECEIVED, A.ANSWER_ON_THE_SPOT, policy=SignOffPolicy.everything(), outcome_code="publication")
    assert t.to is S.REPLIED


def test_a_draft_is_signed_by_the_office_head_then_a_leader_and_then_the_reply_is_issued():
    p = DEFAULT_SIGN_OFF_POLICY
    t = move(S.EXTENDED, A.SUBMIT_REPLY_FOR_SIGN_OFF, roles={"clerk"}, policy=p, outcome_code="withheld_third_party")
    assert t.to is S.AWAITING_SIGN_OFF and t.clock_events({}) == () and not t.irreversible
    first = move(
        S.AWAITING_SIGN_OFF,
        A.SIGN_OFF_REPLY,
        roles={"office_head"},
        policy=p,
        outcome_code="withheld_third_party",
        signed_state="awaiting_leader_sign_off",
    )
    assert first.to is S.AWAITING_LEADER_SIGN_OFF and first.clock_events({}) == ()
    second = move(
        S.AWAITING_LEADER_SIGN_OFF, A.SIGN_OFF_REPLY, roles={"leader"}, policy=p, outcome_code="withheld_third_party"
    )
    assert second.to is S.REPLY_SIGNED and not second.irreversible
    issued = move(S.REPLY_SIGNED, A.ISSUE_REPLY, roles={"clerk"}, policy=p, outcome_code="withheld_third_party")
    assert issued.to is S.REPLIED and issued.irreversible
    assert issued.clock_events(valid_fields(S.REPLY_SIGNED, A.ISSUE_REPLY)) == (ClockEvent(EventKind.REPLIED, D),)
    refusal(TransitionNotAllowed, S.AWAITING_SIGN_OFF, A.SIGN_OFF_REPLY, roles={"clerk"})
    assert available_actions(S.AWAITING_SIGN_OFF, {"leader"}, p, pending_outcome="withheld_third_party") == [
        A.RETURN_REPLY
    ]
    assert available_actions(S.AWAITING_LEADER_SIGN_OFF, {"leader"}, p, pending_outcome="withheld_third_party") == [
        A.SIGN_OFF_REPLY,
        A.RETURN_REPLY,
    ]


@pytest.mark.parametrize("resume", sorted(SIGN_OFF_SOURCES))
def test_a_returned_draft_goes_back_to_the_state_it_was_submitted_from(resume):
    t = move(S.AWAITING_SIGN_OFF, A.RETURN_REPLY, roles={"leader"}, resume_state=resume.value)
    assert t.to is resume and t.action is A.RETURN_REPLY


def test_a_draft_cannot_be_returned_to_a_state_no_draft_comes_from():
    e = refusal(FieldError, S.AWAITING_SIGN_OFF, A.RETURN_REPLY, resume_state="fee_notified")
    assert e.field == "resume_state" and "退回后的办理状态" in e.message


def test_a_draft_must_carry_an_outcome_the_state_allows():
    assert reply_outcomes(S.RECEIVED, A.SUBMIT_REPLY_FOR_SIGN_OFF) == ("duplicate", "publication")
    assert reply_outcomes(S.REASON_REQUESTED, A.SUBMIT_REPLY_FOR_SIGN_OFF) == ("excessive_unreasonable",)
    assert len(reply_outcomes(S.EXTENDED, A.SUBMIT_REPLY_FOR_SIGN_OFF)) == 19
    assert reply_outcomes(S.IN_PROGRESS, A.REQUEST_EXTENSION) == ()
    refusal(FieldError, S.RECEIVED, A.SUBMIT_REPLY_FOR_SIGN_OFF, outcome_code="disclosed")
    assert move(S.REASON_REQUESTED, A.SUBMIT_REPLY_FOR_SIGN_OFF).to is S.AWAITING_SIGN_OFF


def test_the_buttons_follow_the_sign_off_policy():
    clerk = {"clerk"}
    default = available_actions(S.IN_PROGRESS, clerk)
    assert A.REPLY in default and A.SUBMIT_REPLY_FOR_SIGN_OFF in default  # already_public may go directly
    assert A.REPLY not in available_actions(S.RECEIVED, clerk)  # publication and duplicate need sign-off
    assert A.REASON_UNREASONABLE not in available_actions(S.REASON_REQUESTED, clerk)
    everything = available_actions(S.IN_PROGRESS, clerk, SignOffPolicy.everything())
    assert A.REPLY not in everything and A.SUBMIT_REPLY_FOR_SIGN_OFF in everything
    nothing = available_actions(S.RECEIVED, clerk, NO_SIGN_OFF)
    assert A.REPLY in nothing and A.SUBMIT_REPLY_FOR_SIGN_OFF not in nothing
    assert reply_outcomes(S.IN_PROGRESS, A.REPLY) == ("already_public",)
    assert available_actions(S.AWAITING_SIGN_OFF, {"leader"}) == [A.SIGN_OFF_REPLY, A.RETURN_REPLY]
    assert available_actions(S.AWAITING_SIGN_OFF, {"applicant"}) == [A.WITHDRAW]
    assert available_actions(S.EXTENSION_REQUESTED, {"office_head"}) == [A.APPROVE_EXTENSION, A.REJECT_EXTENSION]


def test_every_button_offered_is_a_move_check_transition_accepts():
    for state in OPEN_STATES:
        for role in Role:
            for action in available_actions(state, {role}, NO_SIGN_OFF, pending_outcome="disclosed"):
                assert move(state, action, roles={role}).action is action


def test_a_policy_may_only_hold_back_outcomes_that_are_given_in_a_reply_letter():
    with pytest.raises(DomainError, match="“申请人撤回申请”不以答复书作出，不能设为需要签发"):
        SignOffPolicy(frozenset({"disclosed", "withdrawn"}))
    with pytest.raises(DomainError, match="未知的办理结果代码“refused”"):
        SignOffPolicy(frozenset({"refused"}))


# -- irreversible steps and clock events ---------------------------------------------------------


def test_the_irreversible_moves_are_those_that_end_the_case_or_use_up_a_once_only_step():
    irreversible = {t.action for t in TRANSITIONS if t.irreversible}
    assert irreversible == {
        A.ANSWER_ON_THE_SPOT,
        A.ISSUE_REPLY,
        A.NOT_AN_APPLICATION,
        A.CORRECTION_LAPSED,
        A.FEE_LAPSED,
        A.WITHDRAW,
        A.REQUEST_CORRECTION,
        A.APPROVE_EXTENSION,
        A.SET_DELAY_PERIOD,
        A.NOTIFY_FEE,
    }
    assert all(t.irreversible for t in TRANSITIONS if t.to in TERMINAL_STATES)


def test_each_move_produces_the_clock_event_its_row_names():
    expected = {
        (S.SUBMITTED, A.CONFIRM_RECEIPT): ClockEvent(EventKind.RECEIVED, D),
        (S.RECEIVED, A.REQUEST_CORRECTION): ClockEvent(EventKind.CORRECTION_REQUESTED, D, working_days=10),
        (S.CORRECTION_REQUESTED, A.RECEIVE_CORRECTION): ClockEvent(EventKind.CORRECTION_RECEIVED, D),
        (S.IN_PROGRESS, A.START_THIRD_PARTY_CONSULTATION): ClockEvent(
            EventKind.THIRD_PARTY_CONSULTATION_STARTED, D, delivered_on=date(2025, 9, 3), party="某科技有限公司"
        ),
        (S.IN_PROGRESS, A.START_AGENCY_CONSULTATION): ClockEvent(
            EventKind.AGENCY_CONSULTATION_STARTED, D, delivered_on=date(2025, 9, 3), party="市财政局"
        ),
        (S.AGENCY_CONSULTATION, A.END_CONSULTATION): ClockEvent(
            EventKind.CONSULTATION_ENDED, D, party="某科技有限公司"
        ),
        (S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION): ClockEvent(EventKind.EXTENSION_GRANTED, D, working_days=20),
        (S.REASON_REQUESTED, A.SET_DELAY_PERIOD): ClockEvent(EventKind.DELAY_PERIOD_SET, D, until=date(2025, 12, 31)),
        (S.IN_PROGRESS, A.NOTIFY_FEE): ClockEvent(EventKind.FEE_NOTIFIED, D, delivered_on=D),
        (S.FEE_NOTIFIED, A.FEE_PAID): ClockEvent(EventKind.FEE_PAID, D),
        (S.REPLY_READY, A.ISSUE_REPLY): ClockEvent(EventKind.REPLIED, D),
        (S.FEE_NOTIFIED, A.FEE_LAPSED): ClockEvent(EventKind.CLOSED, D),
        (S.RECEIVED, A.NOT_AN_APPLICATION): ClockEvent(EventKind.CLOSED, D),
        (S.IN_PROGRESS, A.WITHDRAW): ClockEvent(EventKind.WITHDRAWN, D),
    }
    for (state, action), event in expected.items():
        assert move(state, action).clock_events(valid_fields(state, action)) == (event,), action
    # A request for an extension is not an extension: the clock learns of it only on approval.
    for state, action in (
        (S.IN_PROGRESS, A.REQUEST_EXTENSION),
        (S.RECEIVED, A.START_PROCESSING),
        (S.RECEIVED, A.ASK_REASON),
    ):
        assert move(state, action).clock_events(valid_fields(state, action)) == ()


def test_a_withdrawal_before_receipt_starts_no_clock_and_one_after_it_stops_the_clock():
    assert move(S.SUBMITTED, A.WITHDRAW).clock_events({"withdrawn_on": D}) == ()
    assert move(S.CORRECTION_REQUESTED, A.WITHDRAW).clock_events({"withdrawn_on": D}) == (
        ClockEvent(EventKind.WITHDRAWN, D),
    )


def test_a_new_application_is_received_at_once_only_when_its_channel_fixed_the_date():
    assert submission(None) == (S.SUBMITTED, ())
    assert submission(D) == (S.RECEIVED, (ClockEvent(EventKind.RECEIVED, D),))


# -- a whole case on the clocks ------------------------------------------------------------------


class Case:
    """A case as the app would keep it: state and event history, moved only through check_transition."""

    def __init__(self, received_on):
        self.state, events = submission(received_on)
        self.events = list(events)

    def do(self, action, roles, **fields):
        t = check_transition(self.state, action, actor_roles=set(roles), fields=fields)
        self.state = t.to
        self.events += t.clock_events(fields)
        return t

    def deadlines(self, today):
        return {d.key: d for d in application_deadlines(self.events, calendar=CAL, today=today)}


def test_a_walk_through_correction_consultation_extension_and_reply_gives_the_hand_computed_dates():
    # 2025 calendar: 国庆节、中秋节 2025-10-01..10-08 off; make-up working days Sun 09-28 and Sat 10-11.
    case = Case(date(2025, 9, 1))  # Monday, handed in at the counter
    d = case.deadlines(date(2025, 9, 1))
    # 补正 notice: 7 working days after 09-01 → 2, 3, 4, 5, 8, 9, 10 → 2025-09-10
    assert d["correction_notice"].due == date(2025, 9, 10)
    # reply: 20 working days → 09-02..05 (4), 08..12 (9), 15..19 (14), 22..26 (19), make-up Sun 28 (20)
    assert d["reply"].due == date(2025, 9, 28)

    case.do(
        A.REQUEST_CORRECTION,
        {"clerk"},
        items=["所需信息的文号或名称"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    assert case.state is S.CORRECTION_REQUESTED
    d = case.deadlines(date(2025, 9, 3))
    assert d["correction_notice"].status is DeadlineStatus.MET
    # correction period: 10 working days after 09-03 → 4, 5, 8..12, 15, 16, 17 → 2025-09-17
    assert d["correction_period"].due == date(2025, 9, 17)
    assert d["reply"].status is DeadlineStatus.VOID

    case.do(A.RECEIVE_CORRECTION, {"applicant"}, received_on=date(2025, 9, 8), continue_state="in_progress")
    assert case.state is S.IN_PROGRESS
    d = case.deadlines(date(2025, 9, 8))
    # new day 0 = 09-08: 9..12 (4), 15..19 (9), 22..26 (14), Sun 28 (15), 29 (16), 30 (17),
    # 10-01..08 holiday, 10-09 (18), 10-10 (19), make-up Sat 10-11 (20) → 2025-10-11
    assert d["reply"].due == date(2025, 10, 11) and d["reply"].start == date(2025, 9, 8)
    assert d["correction_period"].status is DeadlineStatus.MET

    case.do(
        A.START_THIRD_PARTY_CONSULTATION,
        {"clerk"},
        party="某科技有限公司",
        sent_on=date(2025, 9, 15),
        delivered_on=date(2025, 9, 17),
    )
    assert case.state is S.THIRD_PARTY_CONSULTATION
    d = case.deadlines(date(2025, 9, 17))
    # third party answers within 15 working days of 09-17: 18, 19 (2), 22..26 (7), 28 (8), 29 (9),
    # 30 (10), 10-09 (11), 10 (12), Sat 11 (13), 13 (14), 14 (15) → 2025-10-14
    assert d["consultation_reply"].due == date(2025, 10, 14)
    assert d["reply"].status is DeadlineStatus.PAUSED

    case.do(
        A.END_CONSULTATION,
        {"clerk"},
        party="某科技有限公司",
        ended_on=date(2025, 9, 26),
        response="objected",
        continue_state="in_progress",
    )
    assert case.state is S.IN_PROGRESS
    d = case.deadlines(date(2025, 9, 26))
    # paused (09-15, 09-26]: 16, 17, 18, 19, 22, 23, 24, 25, 26 = 9 working days;
    # 10-11 + 9 → 13..17 (5), 20..23 (9) → 2025-10-23
    assert d["reply"].due == date(2025, 10, 23) and d["reply"].status is DeadlineStatus.RUNNING
    assert d["consultation_reply"].status is DeadlineStatus.MET

    case.do(A.REQUEST_EXTENSION, {"clerk"}, reason="第三方不同意公开，需进一步审查", working_days=20)
    assert case.state is S.EXTENSION_REQUESTED
    assert case.deadlines(date(2025, 10, 9))["reply"].due == date(2025, 10, 23)  # a request changes nothing

    case.do(A.APPROVE_EXTENSION, {"office_head"}, working_days=20, approved_on=date(2025, 10, 10))
    assert case.state is S.EXTENDED
    d = case.deadlines(date(2025, 10, 10))
    # 10-23 + 20 working days → 24 (1), 27..31 (6), 11-03..07 (11), 10..14 (16), 17..20 (20) → 2025-11-20
    assert d["reply"].due == date(2025, 11, 20)
    assert d["extension_decision"].due == date(2025, 10, 23) and d["extension_decision"].status is DeadlineStatus.MET

    reply = {"outcome_code": "withheld_third_party", "legal_basis": "第十五条、第三十二条、第三十六条（三）"}
    case.do(A.SUBMIT_REPLY_FOR_SIGN_OFF, {"clerk"}, **reply)
    assert case.state is S.AWAITING_SIGN_OFF
    case.do(A.SIGN_OFF_REPLY, {"office_head"}, **reply, signed_state="awaiting_leader_sign_off")
    case.do(A.SIGN_OFF_REPLY, {"leader"}, **reply)
    assert case.state is S.REPLY_SIGNED and case.deadlines(date(2025, 11, 13))["reply"].status is DeadlineStatus.RUNNING
    t = case.do(A.ISSUE_REPLY, {"clerk"}, **reply, replied_on=date(2025, 11, 14), issued_via="post")
    assert case.state is S.REPLIED and t.outcome_code(reply) == "withheld_third_party"
    d = case.deadlines(date(2025, 11, 14))
    assert d["reply"].due == date(2025, 11, 20) and d["reply"].status is DeadlineStatus.MET
    assert [e.kind for e in case.events] == [
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_RECEIVED,
        EventKind.THIRD_PARTY_CONSULTATION_STARTED,
        EventKind.CONSULTATION_ENDED,
        EventKind.EXTENSION_GRANTED,
        EventKind.REPLIED,
    ]


def test_a_second_extension_passes_the_state_machine_after_a_fee_but_the_clock_refuses_it():
    # fee_paid returns to 办理中 as §3.2 says; the once-only rule lives with the events.
    case = Case(date(2026, 3, 2))
    case.do(A.START_PROCESSING, {"clerk"})
    case.do(A.REQUEST_EXTENSION, {"clerk"}, reason="需要调取档案", working_days=10)
    case.do(A.APPROVE_EXTENSION, {"office_head"}, working_days=10, approved_on=date(2026, 3, 20))
    case.do(
        A.NOTIFY_FEE,
        {"clerk"},
        method="per_page",
        pages=45,
        amount=150,
        fee_sent_on=date(2026, 3, 23),
        notice_received_on=date(2026, 3, 23),
    )
    case.do(A.FEE_PAID, {"system"}, paid_on=date(2026, 3, 25))
    case.do(A.REQUEST_EXTENSION, {"clerk"}, reason="再次延期", working_days=10)
    case.do(A.APPROVE_EXTENSION, {"office_head"}, working_days=10, approved_on=date(2026, 3, 26))
    with pytest.raises(DomainError, match="延期答复只能一次"):
        case.deadlines(date(2026, 3, 26))

"""The state machine of an application for disclosure (procedure.md §3.1, §3.2) as a transition table.

The table is data (:data:`TRANSITIONS`, run by the engine :mod:`gongkai.domain.workflow`): each row
says from which states an action may be taken, by whom, into which state, which fields it needs, whether it can be taken back, and which
:class:`~gongkai.domain.clocks.ClockEvent` it adds to the case's history. Deadlines are never
stored here: the app appends the events a move produces and runs
:func:`~gongkai.domain.clocks.application_deadlines` over the history, which also refuses the
once-only steps taken twice (a second 补正, extension or fee notice), whatever the state says.

Two approvals are modelled as waiting states, so that "what awaits my approval" is a state filter:

- **Extension** (第三十三条第二款: 经政府信息公开工作机构负责人同意): the clerk's
  ``request_extension`` moves 办理中 to ``extension_requested``; only the office head's
  ``approve_extension`` produces the EXTENSION_GRANTED event (dated the approval day, which the clock
  checks lies before the original deadline); ``reject_extension`` returns to 办理中. The reply
  clock runs on meanwhile: a request is not an extension.
- **Sign-off** (agency rule, :class:`.sign_off.SignOffPolicy`): ``submit_reply_for_sign_off`` moves
  the case to ``awaiting_sign_off``; ``sign_off_reply`` by the first signer of the outcome's chain
  moves it on to ``awaiting_leader_sign_off`` (office head then leader) or to ``reply_signed`` (one
  signer) — the target is the field ``signed_state``, which :func:`signed_state` computes and the
  check verifies —; the leader's ``sign_off_reply`` in ``awaiting_leader_sign_off`` signs it.
  ``return_reply`` sends the draft back to the state it came from (``resume_state``, which the app
  records when the draft is submitted; the table stays free of history). A signed reply is not yet
  a reply: ``issue_reply`` (送达答复, with the date and the channel, once the letter exists) makes
  the case 已答复, and its date is the reply date the clock and table 三 count. A direct ``reply``
  whose outcome the policy puts under sign-off is refused.
- **Direct replies** (an outcome the policy leaves unsigned, and 第三十五条's 不予处理) go the same
  way: ``reply`` / ``reason_unreasonable`` write the reply (``reply_ready``, 答复已作出待送达) and
  ``issue_reply`` makes the case 已答复 once the letter exists and is sent, with its date and
  channel. Until it is issued the clerk may take it back (``return_reply``). Only ``answer_on_the_spot``
  (第三十三条第一款, 当场答复) concludes at once: the answer is given across the desk.

Spec gaps resolved here [I]: §3.2 has no move from 已收到 to 办理中 other than 补正, so
``start_processing`` makes it explicit; a request found to be a 信访/投诉/举报 only after correction
may still be taken out of the procedure from 办理中.

Rules read from the 条例 itself (issue 14):

- 补正 (第三十条) only has to be asked within 7 working days of receipt: it may be asked from
  已收到, 办理中 or a consultation while that window is open, and is refused after it (a consultation
  still open when the corrected application arrives goes on, and pauses the new clock);
- consultations (第三十二条, 第三十四条) may overlap and may follow an extension or a 第三十五条 date:
  第三十二条 makes consulting a third party mandatory whenever disclosure may harm it, and
  第三十三条第三款 excludes the consultation time in every case (the clocks count overlapping
  windows once). Ending one returns to the state the case would be in without it
  (:func:`state_after_consultation`, recorded as ``continue_state``);
- 补正后申请内容仍不明确 needs a correction that was asked and answered (a lapsed one ends the case
  as 逾期未补正, the other row of table 三);
- a fee notice is sent within the handling period and not before the 办法 applied (2021-01-01);
- an extension is requested before the reply period has run out (第三十三条第二款).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from gongkai.domain.applications.fields import FIELDS
from gongkai.domain.applications.sign_off import (
    DECISION_OUTCOMES,
    DEFAULT_SIGN_OFF_POLICY,
    ON_THE_SPOT_OUTCOMES,
    REASON_REQUESTED_OUTCOMES,
    RECEIVED_SHORTCUT_OUTCOMES,
    SIGNABLE_OUTCOMES,
    SignOffPolicy,
)
from gongkai.domain.clocks import ClockEvent, Deadline, DeadlineStatus, EventKind
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fees import fee_for_application
from gongkai.domain.fields import FieldError, FieldKind, FieldSpec
from gongkai.domain.outcomes import OUTCOME_CODES, outcome
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition, Workflow, row


class State(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    REASON_REQUESTED = "reason_requested"
    IN_PROGRESS = "in_progress"
    THIRD_PARTY_CONSULTATION = "third_party_consultation"
    AGENCY_CONSULTATION = "agency_consultation"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENDED = "extended"
    DELAY_PERIOD_SET = "delay_period_set"
    FEE_NOTIFIED = "fee_notified"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    AWAITING_LEADER_SIGN_OFF = "awaiting_leader_sign_off"
    REPLY_SIGNED = "reply_signed"
    REPLY_READY = "reply_ready"
    REPLIED = "replied"
    DEEMED_ABANDONED_NO_CORRECTION = "deemed_abandoned_no_correction"
    DEEMED_ABANDONED_FEE_UNPAID = "deemed_abandoned_fee_unpaid"
    NOT_TREATED_AS_APPLICATION = "not_treated_as_application"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES


_STATE_LABELS = {
    State.SUBMITTED: "待确认收到",
    State.RECEIVED: "已收到",
    State.CORRECTION_REQUESTED: "待补正",
    State.REASON_REQUESTED: "待说明理由",
    State.IN_PROGRESS: "办理中",
    State.THIRD_PARTY_CONSULTATION: "征求第三方意见",
    State.AGENCY_CONSULTATION: "征求其他机关意见",
    State.EXTENSION_REQUESTED: "延期待批准",
    State.EXTENDED: "已延期",
    State.DELAY_PERIOD_SET: "已另行确定期限",
    State.FEE_NOTIFIED: "待缴费",
    State.AWAITING_SIGN_OFF: "答复待签发",
    State.AWAITING_LEADER_SIGN_OFF: "答复待局领导签发",
    State.REPLY_SIGNED: "答复已签发待送达",
    State.REPLY_READY: "答复已作出待送达",
    State.REPLIED: "已答复",
    State.DEEMED_ABANDONED_NO_CORRECTION: "逾期未补正，视为放弃申请",
    State.DEEMED_ABANDONED_FEE_UNPAID: "逾期未缴费，视为放弃申请",
    State.NOT_TREATED_AS_APPLICATION: "不作为政府信息公开申请处理",
    State.WITHDRAWN: "已撤回",
}

# The outcome a terminal state implies; a reply takes its outcome from the action's fields.
TERMINAL_OUTCOMES: Mapping[State, str | None] = MappingProxyType(
    {
        State.REPLIED: None,
        State.DEEMED_ABANDONED_NO_CORRECTION: "abandoned_no_correction",
        State.DEEMED_ABANDONED_FEE_UNPAID: "abandoned_fee_unpaid",
        State.NOT_TREATED_AS_APPLICATION: "petition_complaint",
        State.WITHDRAWN: "withdrawn",
    }
)
TERMINAL_STATES: frozenset[State] = frozenset(TERMINAL_OUTCOMES)
OPEN_STATES: frozenset[State] = frozenset(s for s in State if s not in TERMINAL_STATES)


class Action(StrEnum):
    CONFIRM_RECEIPT = "confirm_receipt"
    START_PROCESSING = "start_processing"
    ANSWER_ON_THE_SPOT = "answer_on_the_spot"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CORRECTION_LAPSED = "correction_lapsed"
    ASK_REASON = "ask_reason"
    REASON_UNREASONABLE = "reason_unreasonable"
    SET_DELAY_PERIOD = "set_delay_period"
    REASON_ACCEPTED = "reason_accepted"
    START_THIRD_PARTY_CONSULTATION = "start_third_party_consultation"
    START_AGENCY_CONSULTATION = "start_agency_consultation"
    END_CONSULTATION = "end_consultation"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    NOTIFY_FEE = "notify_fee"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
    REPLY = "reply"
    SUBMIT_REPLY_FOR_SIGN_OFF = "submit_reply_for_sign_off"
    SIGN_OFF_REPLY = "sign_off_reply"
    RETURN_REPLY = "return_reply"
    ISSUE_REPLY = "issue_reply"
    NOT_AN_APPLICATION = "not_an_application"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.CONFIRM_RECEIPT: "确认收到",
    Action.START_PROCESSING: "开始办理",
    Action.ANSWER_ON_THE_SPOT: "当场答复",
    Action.REQUEST_CORRECTION: "发出补正告知",
    Action.RECEIVE_CORRECTION: "收到补正材料",
    Action.CORRECTION_LAPSED: "逾期未补正",
    Action.ASK_REASON: "要求说明理由",
    Action.REASON_UNREASONABLE: "理由不合理，不予处理",
    Action.SET_DELAY_PERIOD: "另行确定答复期限",
    Action.REASON_ACCEPTED: "理由合理，继续办理",
    Action.START_THIRD_PARTY_CONSULTATION: "征求第三方意见",
    Action.START_AGENCY_CONSULTATION: "征求其他机关意见",
    Action.END_CONSULTATION: "征求意见结束",
    Action.REQUEST_EXTENSION: "申请延期答复",
    Action.APPROVE_EXTENSION: "批准延期答复",
    Action.REJECT_EXTENSION: "不同意延期",
    Action.NOTIFY_FEE: "发出收费通知",
    Action.FEE_PAID: "已缴费",
    Action.FEE_LAPSED: "逾期未缴费",
    Action.REPLY: "作出答复",
    Action.SUBMIT_REPLY_FOR_SIGN_OFF: "提交签发",
    Action.SIGN_OFF_REPLY: "签发答复",
    Action.RETURN_REPLY: "退回修改",
    Action.ISSUE_REPLY: "送达答复",
    Action.NOT_AN_APPLICATION: "不作为申请处理（信访、投诉、举报）",
    Action.WITHDRAW: "撤回申请",
}

# Where a draft reply may come from, hence where a returned draft may go back to.
SIGN_OFF_SOURCES: frozenset[State] = frozenset(
    {State.RECEIVED, State.IN_PROGRESS, State.EXTENDED, State.DELAY_PERIOD_SET, State.REASON_REQUESTED}
)

# How a signed reply reached the applicant (第四十条 leaves the form to the request and the agency).
ISSUE_CHANNELS: Mapping[str, str] = MappingProxyType(
    {"post": "邮寄", "email": "电子邮件", "in_person": "当面领取", "online": "网上申请平台", "fax": "传真"}
)
AWAITING_SIGNATURE: frozenset[State] = frozenset({State.AWAITING_SIGN_OFF, State.AWAITING_LEADER_SIGN_OFF})
# A reply decided (signed, or needing no signature) that waits to be issued (送达).
READY_TO_ISSUE: frozenset[State] = frozenset({State.REPLY_SIGNED, State.REPLY_READY})
# A reply written and not yet issued: its outcome is the case's ``pending_outcome``.
DRAFT_STATES: frozenset[State] = AWAITING_SIGNATURE | READY_TO_ISSUE

# Where a consultation may be begun, and where the case goes when one ends (another may still run).
CONSULTATION_SOURCES: frozenset[State] = frozenset(
    {
        State.IN_PROGRESS,
        State.EXTENDED,
        State.DELAY_PERIOD_SET,
        State.THIRD_PARTY_CONSULTATION,
        State.AGENCY_CONSULTATION,
    }
)
CONSULTATION_RETURNS: frozenset[State] = CONSULTATION_SOURCES
# 第三十条: a 补正 may be asked while its 7 working days last, from wherever the office is handling
# the request (a consultation may already run); the corrected application goes back there
# (``continue_state``: a consultation still open, else 办理中).
CORRECTION_SOURCES: frozenset[State] = frozenset(
    {State.RECEIVED, State.IN_PROGRESS, State.THIRD_PARTY_CONSULTATION, State.AGENCY_CONSULTATION}
)

FIELD_SPECS: Mapping[str, FieldSpec] = MappingProxyType(
    {
        **FIELDS,
        "resume_state": FieldSpec(
            "resume_state",
            "退回后的办理状态",
            FieldKind.CHOICE,
            choices=MappingProxyType({s.value: s.label for s in State if s in SIGN_OFF_SOURCES}),
        ),
        "signed_state": FieldSpec(
            "signed_state",
            "签发后的办理状态",
            FieldKind.CHOICE,
            choices=MappingProxyType({s.value: s.label for s in (State.AWAITING_LEADER_SIGN_OFF, State.REPLY_SIGNED)}),
        ),
        "issued_via": FieldSpec("issued_via", "送达方式", FieldKind.CHOICE, choices=ISSUE_CHANNELS),
        "continue_state": FieldSpec(
            "continue_state",
            "征求意见结束后的办理状态",
            FieldKind.CHOICE,
            choices=MappingProxyType({s.value: s.label for s in State if s in CONSULTATION_RETURNS}),
        ),
    }
)


_S, _A, _R, _K = State, Action, Role, EventKind
_CLERK = frozenset({Role.CLERK})
_HEADS = frozenset({Role.OFFICE_HEAD, Role.LEADER})
_DECIDING = frozenset({State.IN_PROGRESS, State.EXTENDED, State.DELAY_PERIOD_SET})
_REPLY_FIELDS = ("outcome_code", "legal_basis", "replied_on")
_REPLIED_ON = (("on", "replied_on"),)
_CONSULT = (("on", "sent_on"), ("delivered_on", "delivered_on"), ("party", "party"))


# Which field names a reply's outcome (the other endings carry a fixed one).
_REPLY_OUTCOME = "outcome_code"


def _row(action: Action, sources: Iterable[State], to: State | None, actors: Iterable[Role], **kw: Any) -> Transition:
    if to is State.REPLIED and "outcome" not in kw:
        kw["outcome_field"] = _REPLY_OUTCOME
    return row(action, sources, to, actors, **kw)


TRANSITIONS: tuple[Transition, ...] = (
    _row(
        _A.CONFIRM_RECEIPT,
        {_S.SUBMITTED},
        _S.RECEIVED,
        _CLERK,
        required=("confirmed_on",),
        optional=("arrived_on",),
        event=_K.RECEIVED,
        event_fields=(("on", "confirmed_on"),),
        basis="第三十一条",
    ),
    _row(_A.START_PROCESSING, {_S.RECEIVED}, _S.IN_PROGRESS, _CLERK),
    _row(
        _A.ANSWER_ON_THE_SPOT,
        {_S.RECEIVED, _S.IN_PROGRESS},
        _S.REPLIED,
        _CLERK,
        required=_REPLY_FIELDS,
        irreversible=True,
        event=_K.REPLIED,
        event_fields=_REPLIED_ON,
        basis="第三十三条第一款",
    ),
    _row(
        _A.REQUEST_CORRECTION,
        CORRECTION_SOURCES,
        _S.CORRECTION_REQUESTED,
        _CLERK,
        required=("items", "requested_on"),
        one_of=(("period_working_days", "until"),),
        irreversible=True,
        event=_K.CORRECTION_REQUESTED,
        event_fields=(("on", "requested_on"), ("working_days", "period_working_days"), ("until", "until")),
        basis="第三十条",
    ),
    _row(
        _A.RECEIVE_CORRECTION,
        {_S.CORRECTION_REQUESTED},
        None,
        {_R.CLERK, _R.APPLICANT},
        required=("received_on", "continue_state"),
        to_field="continue_state",
        event=_K.CORRECTION_RECEIVED,
        event_fields=(("on", "received_on"),),
        basis="第三十条",
    ),
    _row(
        _A.CORRECTION_LAPSED,
        {_S.CORRECTION_REQUESTED},
        _S.DEEMED_ABANDONED_NO_CORRECTION,
        {_R.SYSTEM, _R.CLERK},
        required=("decided_on",),
        irreversible=True,
        event=_K.CLOSED,
        event_fields=(("on", "decided_on"),),
        outcome="abandoned_no_correction",
        basis="第三十条",
    ),
    _row(
        _A.ASK_REASON,
        {_S.RECEIVED, _S.IN_PROGRESS},
        _S.REASON_REQUESTED,
        _CLERK,
        required=("requested_on",),
        basis="第三十五条",
    ),
    _row(
        _A.REASON_UNREASONABLE,
        {_S.REASON_REQUESTED},
        _S.REPLY_READY,
        _CLERK,
        required=("legal_basis",),
        basis="第三十五条",
    ),
    _row(
        _A.SET_DELAY_PERIOD,
        {_S.REASON_REQUESTED},
        _S.DELAY_PERIOD_SET,
        _CLERK,
        required=("reply_until", "notified_on"),
        irreversible=True,
        event=_K.DELAY_PERIOD_SET,
        event_fields=(("on", "notified_on"), ("until", "reply_until")),
        basis="第三十五条",
    ),
    _row(_A.REASON_ACCEPTED, {_S.REASON_REQUESTED}, _S.IN_PROGRESS, _CLERK, basis="第三十五条"),
    _row(
        _A.START_THIRD_PARTY_CONSULTATION,
        CONSULTATION_SOURCES,
        _S.THIRD_PARTY_CONSULTATION,
        _CLERK,
        required=("party", "sent_on", "delivered_on"),
        event=_K.THIRD_PARTY_CONSULTATION_STARTED,
        event_fields=_CONSULT,
        basis="第三十二条",
    ),
    _row(
        _A.START_AGENCY_CONSULTATION,
        CONSULTATION_SOURCES,
        _S.AGENCY_CONSULTATION,
        _CLERK,
        required=("party", "sent_on", "delivered_on"),
        event=_K.AGENCY_CONSULTATION_STARTED,
        event_fields=_CONSULT,
        basis="第三十四条",
    ),
    _row(
        _A.END_CONSULTATION,
        {_S.THIRD_PARTY_CONSULTATION, _S.AGENCY_CONSULTATION},
        None,
        {_R.CLERK, _R.SYSTEM},
        required=("party", "ended_on", "response", "continue_state"),
        to_field="continue_state",
        event=_K.CONSULTATION_ENDED,
        event_fields=(("on", "ended_on"), ("party", "party")),
        basis="第三十二条、第三十四条",
    ),
    _row(
        _A.REQUEST_EXTENSION,
        {_S.IN_PROGRESS},
        _S.EXTENSION_REQUESTED,
        _CLERK,
        required=("reason", "working_days"),
        basis="第三十三条第二款",
    ),
    _row(
        _A.APPROVE_EXTENSION,
        {_S.EXTENSION_REQUESTED},
        _S.EXTENDED,
        {_R.OFFICE_HEAD},
        required=("working_days", "approved_on"),
        irreversible=True,
        event=_K.EXTENSION_GRANTED,
        event_fields=(("on", "approved_on"), ("working_days", "working_days")),
        basis="第三十三条第二款",
    ),
    _row(_A.REJECT_EXTENSION, {_S.EXTENSION_REQUESTED}, _S.IN_PROGRESS, {_R.OFFICE_HEAD}, required=("comment",)),
    _row(
        _A.NOTIFY_FEE,
        {_S.IN_PROGRESS, _S.EXTENDED},
        _S.FEE_NOTIFIED,
        _CLERK,
        required=("method", "amount", "fee_sent_on", "notice_received_on"),
        one_of=(("month_position", "pages"),),
        irreversible=True,
        event=_K.FEE_NOTIFIED,
        event_fields=(("on", "fee_sent_on"), ("delivered_on", "notice_received_on")),
        basis="条例第四十二条、国办函〔2020〕109号",
    ),
    _row(
        _A.FEE_PAID,
        {_S.FEE_NOTIFIED},
        _S.IN_PROGRESS,
        {_R.CLERK, _R.SYSTEM},
        required=("paid_on",),
        event=_K.FEE_PAID,
        event_fields=(("on", "paid_on"),),
    ),
    _row(
        _A.FEE_LAPSED,
        {_S.FEE_NOTIFIED},
        _S.DEEMED_ABANDONED_FEE_UNPAID,
        {_R.SYSTEM, _R.CLERK},
        required=("decided_on",),
        irreversible=True,
        event=_K.CLOSED,
        event_fields=(("on", "decided_on"),),
        outcome="abandoned_fee_unpaid",
        basis="国办函〔2020〕109号",
    ),
    _row(
        _A.REPLY,
        {_S.RECEIVED} | _DECIDING,
        _S.REPLY_READY,
        _CLERK,
        required=("outcome_code", "legal_basis"),
        basis="第三十三条、第三十六条",
    ),
    _row(
        _A.SUBMIT_REPLY_FOR_SIGN_OFF,
        SIGN_OFF_SOURCES,
        _S.AWAITING_SIGN_OFF,
        _CLERK,
        required=("outcome_code", "legal_basis"),
    ),
    _row(
        _A.SIGN_OFF_REPLY,
        {_S.AWAITING_SIGN_OFF},
        None,
        _HEADS,
        required=("outcome_code", "legal_basis", "signed_state"),
        to_field="signed_state",
    ),
    _row(
        _A.SIGN_OFF_REPLY,
        {_S.AWAITING_LEADER_SIGN_OFF},
        _S.REPLY_SIGNED,
        {_R.LEADER},
        required=("outcome_code", "legal_basis"),
    ),
    _row(
        _A.RETURN_REPLY, AWAITING_SIGNATURE, None, _HEADS, required=("comment", "resume_state"), to_field="resume_state"
    ),
    # A reply decided without sign-off may still be taken back by the clerk before it goes out.
    _row(
        _A.RETURN_REPLY, {_S.REPLY_READY}, None, _CLERK, required=("comment", "resume_state"), to_field="resume_state"
    ),
    _row(
        _A.ISSUE_REPLY,
        READY_TO_ISSUE,
        _S.REPLIED,
        _CLERK,
        required=(*_REPLY_FIELDS, "issued_via"),
        irreversible=True,
        event=_K.REPLIED,
        event_fields=_REPLIED_ON,
        basis="第四十条",
    ),
    _row(
        _A.NOT_AN_APPLICATION,
        {_S.RECEIVED, _S.IN_PROGRESS},
        _S.NOT_TREATED_AS_APPLICATION,
        _CLERK,
        required=("kind", "decided_on"),
        optional=("referred_to",),
        irreversible=True,
        event=_K.CLOSED,
        event_fields=(("on", "decided_on"),),
        outcome="petition_complaint",
        basis="第三十九条第一款",
    ),
    # Withdrawn before receipt was fixed: no clock was ever started, so no event.
    _row(
        _A.WITHDRAW,
        {_S.SUBMITTED},
        _S.WITHDRAWN,
        {_R.APPLICANT, _R.CLERK},
        required=("withdrawn_on",),
        irreversible=True,
        outcome="withdrawn",
    ),
    _row(
        _A.WITHDRAW,
        OPEN_STATES - {_S.SUBMITTED},
        _S.WITHDRAWN,
        {_R.APPLICANT, _R.CLERK},
        required=("withdrawn_on",),
        irreversible=True,
        event=_K.WITHDRAWN,
        event_fields=(("on", "withdrawn_on"),),
        outcome="withdrawn",
    ),
)

# A case starts 待确认收到, or 已收到 when its channel fixed the receipt date (see submission()).
WORKFLOW: Workflow[State, Action] = Workflow(
    subject="申请",
    state_word="办理状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial={State.SUBMITTED, State.RECEIVED},
    terminal=TERMINAL_STATES,
    terminal_note="办理已结束，",
)


def _check_endings() -> None:
    # The engine checks the table's shape; here, that each ending carries the outcome its state implies.
    for t in TRANSITIONS:
        if t.to in TERMINAL_STATES - {State.REPLIED} and t.outcome != TERMINAL_OUTCOMES[t.to]:
            raise RuntimeError(f"transition table, {t.action}: {t.to}: outcome {t.outcome}")


_check_endings()


# -- outcomes a reply may carry -----------------------------------------------------------------

_REPLY_OUTCOMES_BY_STATE: Mapping[State, frozenset[str]] = MappingProxyType(
    {
        State.RECEIVED: RECEIVED_SHORTCUT_OUTCOMES,
        State.IN_PROGRESS: DECISION_OUTCOMES,
        State.EXTENDED: DECISION_OUTCOMES,
        State.DELAY_PERIOD_SET: DECISION_OUTCOMES,
        State.REASON_REQUESTED: REASON_REQUESTED_OUTCOMES,
    }
)
_DIRECT_REPLIES = frozenset({Action.REPLY, Action.REASON_UNREASONABLE})
# The moves that write a reply to be issued later (the case's pending outcome).
DRAFTING_ACTIONS: frozenset[Action] = _DIRECT_REPLIES | {Action.SUBMIT_REPLY_FOR_SIGN_OFF}
# A drafting move whose outcome is fixed by the move itself (第三十五条: 不予处理).
_FIXED_DRAFT_OUTCOMES: Mapping[Action, str] = MappingProxyType({Action.REASON_UNREASONABLE: "excessive_unreasonable"})


def drafted_outcome(action: Action | str, fields: Mapping[str, Any]) -> str:
    """The outcome a drafting move writes into the reply it prepares (``""`` for other moves)."""
    action = WORKFLOW.action(action)
    if action not in DRAFTING_ACTIONS:
        return ""
    return _FIXED_DRAFT_OUTCOMES.get(action) or str(fields.get("outcome_code") or "")


def _allowed_outcomes(state: State, row: Transition) -> frozenset[str]:
    if row.outcome is not None:
        return frozenset({row.outcome})
    if row.action is Action.ANSWER_ON_THE_SPOT:
        return ON_THE_SPOT_OUTCOMES
    if row.action in (Action.SIGN_OFF_REPLY, Action.ISSUE_REPLY):
        return SIGNABLE_OUTCOMES
    return _REPLY_OUTCOMES_BY_STATE.get(state, frozenset())


def reply_outcomes(
    state: State | str, action: Action | str, policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY
) -> tuple[str, ...]:
    """The outcome codes the form of ``action`` may offer in ``state``, in table 三 order."""
    state, action = WORKFLOW.state(state), WORKFLOW.action(action)
    row = WORKFLOW.transition_for(state, action)
    if row is None or (row.to is not State.REPLIED and action not in DRAFTING_ACTIONS):
        return ()
    allowed = _allowed_outcomes(state, row)
    if action in _DIRECT_REPLIES:
        allowed = frozenset(c for c in allowed if not policy.needs_sign_off(c))
    return tuple(c for c in OUTCOME_CODES if c in allowed)


# -- checks that relate fields to each other ----------------------------------------------------


def _label(name: str) -> str:
    return FIELD_SPECS[name].label


def _not_before(fields: Mapping[str, Any], later: str, earlier: str, *, strictly: bool = False) -> None:
    a, b = fields.get(later), fields.get(earlier)
    if a is None or b is None:
        return
    if a < b or (strictly and a == b):
        word = "晚于" if strictly else "不早于"
        raise FieldError(later, f"“{_label(later)}”（{a}）应{word}“{_label(earlier)}”（{b}）")


def _check_outcome(state: State, row: Transition, fields: Mapping[str, Any], policy: SignOffPolicy) -> None:
    code = row.outcome or _FIXED_DRAFT_OUTCOMES.get(row.action) or str(fields["outcome_code"])
    allowed = _allowed_outcomes(state, row)
    if code not in allowed:
        options = "、".join(f"“{outcome(c).label}”" for c in OUTCOME_CODES if c in allowed)
        raise FieldError(
            "outcome_code",
            f"“{state.label}”状态下“{row.action.label}”不能作出“{outcome(code).label}”的决定；可选：{options}",
        )
    if row.action in _DIRECT_REPLIES and policy.needs_sign_off(code):
        raise TransitionNotAllowed(
            f"按本机关规定，“{outcome(code).label}”的答复须经办公室主任或局领导签发，请先“{Action.SUBMIT_REPLY_FOR_SIGN_OFF.label}”"
        )


def _check_fee(fields: Mapping[str, Any]) -> None:
    quote = fee_for_application(
        method=fields["method"], month_position=fields.get("month_position"), pages=fields.get("pages")
    )
    if quote.amount == 0:
        raise FieldError("amount", f"按所选方式不收取信息处理费，无需发出收费通知。{quote.explanation}")
    if fields["amount"] != quote.amount:
        raise FieldError("amount", f"收费金额应为{quote.amount}元，填写的是{fields['amount']}元。{quote.explanation}")


# 《政府信息公开信息处理费管理办法》 applies from 1 January 2021 (国办函〔2020〕109号).
FEES_APPLY_FROM = date(2021, 1, 1)


def _deadline(deadlines: Sequence[Deadline] | None, key: str) -> Deadline | None:
    return next((d for d in deadlines or () if d.key == key), None)


def _check_fee_in_time(fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
    sent = fields["fee_sent_on"]
    if sent < FEES_APPLY_FROM:
        raise FieldError(
            "fee_sent_on", f"《政府信息公开信息处理费管理办法》自{FEES_APPLY_FROM}起施行，{sent}不能发出收费通知"
        )
    _not_before(fields, "notice_received_on", "fee_sent_on")
    reply = _deadline(deadlines, "reply")
    if reply is not None and sent > reply.due:
        raise FieldError(
            "fee_sent_on",
            f"收费通知应在申请的办理期限内发出（国办函〔2020〕109号）；答复期限已于{reply.due}届满，{sent}不能再发出",
        )


def _check_correction_window(fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
    _not_before(fields, "until", "requested_on", strictly=True)
    window = _deadline(deadlines, "correction_notice")
    if window is not None and fields["requested_on"] > window.due:
        raise FieldError(
            "requested_on",
            f"补正应自收到申请之日起7个工作日内一次性告知（第三十条），期限已于{window.due}届满",
        )


def _check_extension_in_time(deadlines: Sequence[Deadline] | None) -> None:
    reply = _deadline(deadlines, "reply")
    if reply is not None and reply.status is DeadlineStatus.MISSED:
        raise TransitionNotAllowed(
            f"答复期限已于{reply.due}届满，不能再申请延期：延期须在答复期限内经政府信息公开工作机构负责人同意（第三十三条第二款）"
        )


def _check_correction_answered(code: str, deadlines: Sequence[Deadline] | None) -> None:
    # Table 三 row （四）3 counts only applications still unclear after a correction the applicant made.
    if code != "unclear_after_correction" or deadlines is None:
        return
    period = _deadline(deadlines, "correction_period")
    if period is None or period.status is not DeadlineStatus.MET:
        raise FieldError(
            "outcome_code",
            "“补正后申请内容仍不明确”须先发出补正告知并收到申请人的补正（第三十条）；未补正的按“逾期未补正”处理",
        )


def _check_lapse(row: Transition, fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
    # A lapse may be recorded only after the period it lapses has ended (the app passes the deadlines).
    key = "correction_period" if row.action is Action.CORRECTION_LAPSED else "fee_payment"
    due = next((d for d in deadlines or () if d.key == key), None)
    if due is not None and fields["decided_on"] <= due.due:
        raise FieldError("decided_on", f"{due.label}至{due.due}届满，届满前不能认定“{row.action.label}”")


_EXTRA: Mapping[Action, Callable[[Mapping[str, Any]], None]] = MappingProxyType(
    {
        Action.SET_DELAY_PERIOD: lambda f: _not_before(f, "reply_until", "notified_on", strictly=True),
        Action.START_THIRD_PARTY_CONSULTATION: lambda f: _not_before(f, "delivered_on", "sent_on"),
        Action.START_AGENCY_CONSULTATION: lambda f: _not_before(f, "delivered_on", "sent_on"),
        Action.NOTIFY_FEE: _check_fee,
        Action.CONFIRM_RECEIPT: lambda f: _not_before(f, "confirmed_on", "arrived_on"),
    }
)


# -- public API ---------------------------------------------------------------------------------


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: set[str] | frozenset[str],
    fields: Mapping[str, Any],
    policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY,
    deadlines: Sequence[Deadline] | None = None,
) -> Transition:
    """The row that allows this move, with ``to`` resolved; raises with a Chinese message otherwise.

    TransitionNotAllowed: the state, the actor or the sign-off policy forbids the move.
    FieldError (a DomainError with ``field``): a field is missing or invalid.
    ``deadlines`` (the case's current clocks), when given, keep a lapse from being recorded early,
    a 补正 from being asked after its window, a fee notice from being sent after the reply period,
    an extension from being requested after it, and 补正后仍不明确 from being given without a 补正.
    """
    state = WORKFLOW.state(state)
    row = WORKFLOW.check(state, action, actor_roles=actor_roles, fields=fields)
    action = row.action
    if row.to is State.REPLIED or action in DRAFTING_ACTIONS or action is Action.SIGN_OFF_REPLY:
        _check_outcome(state, row, fields, policy)
        _check_correction_answered(
            row.outcome or drafted_outcome(action, fields) or str(fields["outcome_code"]), deadlines
        )
    if action in (Action.CORRECTION_LAPSED, Action.FEE_LAPSED):
        _check_lapse(row, fields, deadlines)
    if action is Action.REQUEST_CORRECTION:
        _check_correction_window(fields, deadlines)
    if action is Action.NOTIFY_FEE:
        _check_fee_in_time(fields, deadlines)
    if action is Action.REQUEST_EXTENSION:
        _check_extension_in_time(deadlines)
    if action is Action.SIGN_OFF_REPLY:
        row = _check_signer(state, row, actor_roles, fields, policy)
    extra = _EXTRA.get(action)
    if extra is not None:
        extra(fields)
    return row


def available_actions(
    state: State | str,
    actor_roles: set[str] | frozenset[str],
    policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY,
    pending_outcome: str | None = None,
) -> list[Action]:
    """The buttons to show: actions allowed in ``state`` for these roles, in table order.

    A reply button is left out when the policy leaves it no outcome to give (every one needs
    sign-off), and 提交签发 when no outcome reachable from here needs it. With the draft's
    ``pending_outcome``, 签发答复 is shown only to the role whose signature is next in the chain.
    """
    state = WORKFLOW.state(state)

    def keep(row: Transition) -> bool:
        if row.action is Action.SIGN_OFF_REPLY and pending_outcome is not None:
            signer = next_signer(state, pending_outcome, policy)
            return signer is not None and signer.value in actor_roles
        if row.action in _DIRECT_REPLIES:
            return bool(reply_outcomes(state, row.action, policy))
        if row.action is Action.SUBMIT_REPLY_FOR_SIGN_OFF:
            return any(policy.needs_sign_off(c) for c in _REPLY_OUTCOMES_BY_STATE[state])
        return True

    return WORKFLOW.available_actions(state, actor_roles, keep)


def transition_for(state: State | str, action: Action | str) -> Transition | None:
    """The table row for (state, action), unchecked (for showing a form's fields)."""
    return WORKFLOW.transition_for(state, action)


def next_signer(state: State | str, outcome_code: str, policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY) -> Role | None:
    """Who signs next a draft reply with ``outcome_code`` that is in ``state`` (None: nobody)."""
    state = WORKFLOW.state(state)
    signers = policy.signers(outcome_code) if outcome_code else ()
    if not signers:
        return None
    if state is State.AWAITING_SIGN_OFF:
        return signers[0]
    if state is State.AWAITING_LEADER_SIGN_OFF:
        # the office head has signed; the leader's signature is the one awaited, even when the agency
        # has since changed this outcome's chain (a draft never waits for a signer nobody can be)
        return Role.LEADER
    return None


def signed_state(state: State | str, outcome_code: str, policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY) -> State:
    """Where a signature in ``state`` takes the draft: to the leader when the chain has a second signer."""
    signers = policy.signers(outcome_code)
    if WORKFLOW.state(state) is State.AWAITING_SIGN_OFF and len(signers) > 1:
        return State.AWAITING_LEADER_SIGN_OFF
    return State.REPLY_SIGNED


def _check_signer(
    state: State,
    row: Transition,
    actor_roles: set[str] | frozenset[str],
    fields: Mapping[str, Any],
    policy: SignOffPolicy,
) -> Transition:
    code = str(fields["outcome_code"])
    signer = next_signer(state, code, policy)
    chain = policy.chain(code)
    if signer is None or signer.value not in actor_roles:
        who = signer.label if signer is not None else "签发人"
        raise TransitionNotAllowed(f"按本机关规定，“{outcome(code).label}”的答复由{chain.label}；现在应由{who}签发")
    expected = signed_state(state, code, policy)
    if row.to is not expected:
        raise FieldError("signed_state", f"签发后应为“{expected.label}”（{chain.label}）")
    return row


def state_after_consultation(events: Sequence[ClockEvent], ending_party: str) -> State:
    """Where a case goes when the consultation of ``ending_party`` ends (the ``continue_state``).

    Another consultation still open keeps the case in its state (a third party first, whose
    objection decides more); otherwise the case is back where the procedure stood: under a
    第三十五条 date, extended, or simply 办理中.
    """
    open_kinds: dict[str, EventKind] = {}
    extended = delayed = False
    for e in sorted(events, key=lambda e: e.on):
        if e.kind in (EventKind.THIRD_PARTY_CONSULTATION_STARTED, EventKind.AGENCY_CONSULTATION_STARTED):
            open_kinds[e.party] = e.kind
        elif e.kind is EventKind.CONSULTATION_ENDED:
            open_kinds.pop(e.party, None)
        elif e.kind is EventKind.EXTENSION_GRANTED:
            extended = True
        elif e.kind is EventKind.DELAY_PERIOD_SET:
            delayed = True
    open_kinds.pop(ending_party, None)
    if EventKind.THIRD_PARTY_CONSULTATION_STARTED in open_kinds.values():
        return State.THIRD_PARTY_CONSULTATION
    if open_kinds:
        return State.AGENCY_CONSULTATION
    if delayed:
        return State.DELAY_PERIOD_SET
    return State.EXTENDED if extended else State.IN_PROGRESS


def submission(received_on: date | None) -> tuple[State, tuple[ClockEvent, ...]]:
    """State and history of a new application: 已收到 with its receipt event when the channel fixed
    the receipt date (receipt.receipt_date), else 待确认收到 with no clock yet."""
    if received_on is None:
        return State.SUBMITTED, ()
    return State.RECEIVED, (ClockEvent(EventKind.RECEIVED, received_on),)

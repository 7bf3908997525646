"""The transition table of an application (:data:`TRANSITIONS`) and the engine built on it
(:data:`WORKFLOW`, :mod:`gongkai.domain.workflow`), with the fields its rows ask for.

Each row says from which states an action may be taken, by whom, into which state, which fields it
needs, whether it can be taken back, the article it rests on, and which clock event it adds to the
case's history. The checks that relate fields to each other or to the clocks are in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from gongkai.domain.applications.fields import FIELDS
from gongkai.domain.applications.states import (
    AWAITING_REVIEW,
    AWAITING_SIGNATURE,
    CONSULTATION_RETURNS,
    CONSULTATION_SOURCES,
    CORRECTION_SOURCES,
    OPEN_STATES,
    READY_TO_ISSUE,
    SIGN_OFF_SOURCES,
    TERMINAL_OUTCOMES,
    TERMINAL_STATES,
    Action,
    State,
)
from gongkai.domain.clocks import EventKind
from gongkai.domain.fields import FieldKind, FieldSpec
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition, Workflow, row

# How a signed reply reached the applicant (第四十条 leaves the form to the request and the agency).
ISSUE_CHANNELS: Mapping[str, str] = MappingProxyType(
    {"post": "邮寄", "email": "电子邮件", "in_person": "当面领取", "online": "网上申请平台", "fax": "传真"}
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
        # where a submitted draft goes first, and where a passed review sends it (.review)
        "review_state": FieldSpec(
            "review_state",
            "提交后的办理状态",
            FieldKind.CHOICE,
            choices=MappingProxyType({s.value: s.label for s in State if s in AWAITING_REVIEW}),
        ),
        "reviewed_state": FieldSpec(
            "reviewed_state",
            "审核通过后的办理状态",
            FieldKind.CHOICE,
            choices=MappingProxyType(
                {s.value: s.label for s in (State.AWAITING_SECRECY_REVIEW, State.AWAITING_SIGN_OFF, State.REPLY_READY)}
            ),
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
        required=("method", "amount", "fee_sent_on"),
        # served later as a rule: the delivery record gives it (domain.applications.serving)
        optional=("notice_received_on", "month_position_reason", "register_count"),
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
    # 法制审核 / 保密审查 of a draft reply (.review): agency rules; the reply clock runs on (第三十三条第三款
    # excludes only consultations), so no row here adds a clock event.
    _row(
        _A.SUBMIT_REPLY_FOR_REVIEW,
        SIGN_OFF_SOURCES,
        None,
        _CLERK,
        required=("outcome_code", "legal_basis", "review_state"),
        to_field="review_state",
    ),
    _row(
        _A.PASS_LEGAL_REVIEW,
        {_S.AWAITING_LEGAL_REVIEW},
        None,
        {_R.LEGAL_REVIEWER},
        required=("outcome_code", "legal_basis", "reviewed_state"),
        optional=("comment",),
        to_field="reviewed_state",
        labels={"comment": "审核意见"},
    ),
    _row(
        _A.PASS_SECRECY_REVIEW,
        {_S.AWAITING_SECRECY_REVIEW},
        None,
        {_R.CONFIDENTIALITY_REVIEWER},
        required=("outcome_code", "legal_basis", "reviewed_state"),
        optional=("comment",),
        to_field="reviewed_state",
        labels={"comment": "审查意见"},
        basis="第十七条",
    ),
    _row(
        _A.RETURN_FROM_REVIEW,
        {_S.AWAITING_LEGAL_REVIEW},
        None,
        {_R.LEGAL_REVIEWER},
        required=("comment", "resume_state"),
        to_field="resume_state",
        returns=True,
        labels={"comment": "退回意见"},
    ),
    _row(
        _A.RETURN_FROM_REVIEW,
        {_S.AWAITING_SECRECY_REVIEW},
        None,
        {_R.CONFIDENTIALITY_REVIEWER},
        required=("comment", "resume_state"),
        to_field="resume_state",
        returns=True,
        labels={"comment": "退回意见"},
        basis="第十七条",
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

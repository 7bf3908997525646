"""The states and actions of an application for disclosure, with their Chinese labels, and the
groups of states the table and the rules refer to (terminal, open, where a draft or a consultation
may start)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


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
    AWAITING_LEGAL_REVIEW = "awaiting_legal_review"
    AWAITING_SECRECY_REVIEW = "awaiting_secrecy_review"
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
    State.AWAITING_LEGAL_REVIEW: "答复待法制审核",
    State.AWAITING_SECRECY_REVIEW: "答复待保密审查",
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
    SUBMIT_REPLY_FOR_REVIEW = "submit_reply_for_review"
    PASS_LEGAL_REVIEW = "pass_legal_review"
    PASS_SECRECY_REVIEW = "pass_secrecy_review"
    RETURN_FROM_REVIEW = "return_from_review"
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
    Action.SUBMIT_REPLY_FOR_REVIEW: "提交审核",
    Action.PASS_LEGAL_REVIEW: "法制审核通过",
    Action.PASS_SECRECY_REVIEW: "保密审查通过",
    Action.RETURN_FROM_REVIEW: "审核退回",
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

AWAITING_SIGNATURE: frozenset[State] = frozenset({State.AWAITING_SIGN_OFF, State.AWAITING_LEADER_SIGN_OFF})
# A draft reply waiting for the agency's 法制审核 or 保密审查 (.review), before any signature.
AWAITING_REVIEW: frozenset[State] = frozenset({State.AWAITING_LEGAL_REVIEW, State.AWAITING_SECRECY_REVIEW})
# A reply decided (signed, or needing no signature) that waits to be issued (送达).
READY_TO_ISSUE: frozenset[State] = frozenset({State.REPLY_SIGNED, State.REPLY_READY})
# A reply written and not yet issued: its outcome is the case's ``pending_outcome``.
DRAFT_STATES: frozenset[State] = AWAITING_REVIEW | AWAITING_SIGNATURE | READY_TO_ISSUE

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

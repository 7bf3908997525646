"""The application's own rules beside its table: which outcomes a reply may carry from where, who
signs a draft next, and the checks that relate a move's fields to each other, to the fee rules and
to the case's clocks (第三十条, 第三十三条第二款, 国办函〔2020〕109号). :func:`.workflow.check_transition`
runs them after the engine's check of the row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any

from gongkai.domain.applications.register import check_month_position
from gongkai.domain.applications.review import NO_REVIEW, ReviewPolicy, after_review, first_review
from gongkai.domain.applications.sign_off import (
    DECISION_OUTCOMES,
    DEFAULT_SIGN_OFF_POLICY,
    ON_THE_SPOT_OUTCOMES,
    REASON_REQUESTED_OUTCOMES,
    RECEIVED_SHORTCUT_OUTCOMES,
    SIGNABLE_OUTCOMES,
    SignOffPolicy,
)
from gongkai.domain.applications.states import AWAITING_REVIEW, Action, State
from gongkai.domain.applications.transitions import FIELD_SPECS, WORKFLOW
from gongkai.domain.clocks import Deadline, DeadlineStatus
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fees import FeeMethod, fee_for_application
from gongkai.domain.fields import FieldError
from gongkai.domain.outcomes import OUTCOME_CODES, outcome
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition

# -- outcomes a reply may carry -----------------------------------------------------------------

REPLY_OUTCOMES_BY_STATE: Mapping[State, frozenset[str]] = MappingProxyType(
    {
        State.RECEIVED: RECEIVED_SHORTCUT_OUTCOMES,
        State.IN_PROGRESS: DECISION_OUTCOMES,
        State.EXTENDED: DECISION_OUTCOMES,
        State.DELAY_PERIOD_SET: DECISION_OUTCOMES,
        State.REASON_REQUESTED: REASON_REQUESTED_OUTCOMES,
    }
)
DIRECT_REPLIES = frozenset({Action.REPLY, Action.REASON_UNREASONABLE})
# The moves that write a reply to be issued later (the case's pending outcome).
DRAFTING_ACTIONS: frozenset[Action] = DIRECT_REPLIES | {
    Action.SUBMIT_REPLY_FOR_SIGN_OFF,
    Action.SUBMIT_REPLY_FOR_REVIEW,
}
# The moves of a reviewer on a draft that passes (.review).
REVIEW_PASSES: frozenset[Action] = frozenset({Action.PASS_LEGAL_REVIEW, Action.PASS_SECRECY_REVIEW})
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
    if row.action in (Action.SIGN_OFF_REPLY, Action.ISSUE_REPLY) or row.action in REVIEW_PASSES:
        return SIGNABLE_OUTCOMES
    return REPLY_OUTCOMES_BY_STATE.get(state, frozenset())


def reply_outcomes(
    state: State | str,
    action: Action | str,
    policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY,
    review: ReviewPolicy = NO_REVIEW,
) -> tuple[str, ...]:
    """The outcome codes the form of ``action`` may offer in ``state``, in table 三 order: a draft
    whose outcome the agency has reviewed goes by 提交审核, and only by it."""
    state, action = WORKFLOW.state(state), WORKFLOW.action(action)
    row = WORKFLOW.transition_for(state, action)
    if row is None or (row.to is not State.REPLIED and action not in DRAFTING_ACTIONS):
        return ()
    allowed = _allowed_outcomes(state, row)
    if action in DIRECT_REPLIES:
        allowed = frozenset(c for c in allowed if not policy.needs_sign_off(c) and not review.needs_review(c))
    elif action is Action.SUBMIT_REPLY_FOR_SIGN_OFF:
        allowed = frozenset(c for c in allowed if not review.needs_review(c))
    elif action is Action.SUBMIT_REPLY_FOR_REVIEW:
        allowed = frozenset(c for c in allowed if review.needs_review(c))
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


def check_outcome(
    state: State, row: Transition, fields: Mapping[str, Any], policy: SignOffPolicy, review: ReviewPolicy = NO_REVIEW
) -> None:
    code = row.outcome or _FIXED_DRAFT_OUTCOMES.get(row.action) or str(fields["outcome_code"])
    allowed = _allowed_outcomes(state, row)
    if code not in allowed:
        options = "、".join(f"“{outcome(c).label}”" for c in OUTCOME_CODES if c in allowed)
        raise FieldError(
            "outcome_code",
            f"“{state.label}”状态下“{row.action.label}”不能作出“{outcome(code).label}”的决定；可选：{options}",
        )
    if row.action in DIRECT_REPLIES and policy.needs_sign_off(code):
        raise TransitionNotAllowed(
            f"按本机关规定，“{outcome(code).label}”的答复须经办公室主任或局领导签发，请先“{Action.SUBMIT_REPLY_FOR_SIGN_OFF.label}”"
        )
    check_review_route(state, row, code, fields, policy, review)


def _review_words(code: str, review: ReviewPolicy) -> str:
    return "和".join(s.label.removeprefix("答复待") for s in review.reviews(code))


def check_review_route(
    state: State, row: Transition, code: str, fields: Mapping[str, Any], policy: SignOffPolicy, review: ReviewPolicy
) -> None:
    """A draft whose outcome the agency reviews goes to its reviews before any signature or issue, and
    only such a draft goes to review; a passed review sends it where :func:`.review.after_review` says."""
    needs = review.needs_review(code)
    if needs and (row.action in DIRECT_REPLIES or row.action is Action.SUBMIT_REPLY_FOR_SIGN_OFF):
        raise TransitionNotAllowed(
            f"按本机关规定，“{outcome(code).label}”的答复须先经{_review_words(code, review)}，"
            f"请“{Action.SUBMIT_REPLY_FOR_REVIEW.label}”"
        )
    if row.action is Action.SUBMIT_REPLY_FOR_REVIEW:
        first = first_review(code, review)
        if first is None:
            raise TransitionNotAllowed(f"按本机关规定，“{outcome(code).label}”的答复不需要审核")
        if row.to is not first:
            raise FieldError("review_state", f"提交后应为“{first.label}”")
    if row.action in REVIEW_PASSES and state in AWAITING_REVIEW:
        expected = after_review(state, code, review, policy)
        if row.to is not expected:
            raise FieldError("reviewed_state", f"审核通过后应为“{expected.label}”")


def _check_fee(fields: Mapping[str, Any]) -> None:
    check_month_position(
        register_count=fields.get("register_count") if fields["method"] == FeeMethod.PER_APPLICATION else None,
        typed=fields.get("month_position"),
        reason=fields.get("month_position_reason"),
    )
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


def check_fee_in_time(fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
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


def check_correction_window(fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
    _not_before(fields, "until", "requested_on", strictly=True)
    window = _deadline(deadlines, "correction_notice")
    if window is not None and fields["requested_on"] > window.due:
        raise FieldError(
            "requested_on",
            f"补正应自收到申请之日起7个工作日内一次性告知（第三十条），期限已于{window.due}届满",
        )


def check_extension_in_time(deadlines: Sequence[Deadline] | None) -> None:
    reply = _deadline(deadlines, "reply")
    if reply is not None and reply.status is DeadlineStatus.MISSED:
        raise TransitionNotAllowed(
            f"答复期限已于{reply.due}届满，不能再申请延期：延期须在答复期限内经政府信息公开工作机构负责人同意（第三十三条第二款）"
        )


def check_correction_answered(code: str, deadlines: Sequence[Deadline] | None) -> None:
    # Table 三 row （四）3 counts only applications still unclear after a correction the applicant made.
    if code != "unclear_after_correction" or deadlines is None:
        return
    period = _deadline(deadlines, "correction_period")
    if period is None or period.status is not DeadlineStatus.MET:
        raise FieldError(
            "outcome_code",
            "“补正后申请内容仍不明确”须先发出补正告知并收到申请人的补正（第三十条）；未补正的按“逾期未补正”处理",
        )


def check_lapse(row: Transition, fields: Mapping[str, Any], deadlines: Sequence[Deadline] | None) -> None:
    # A lapse may be recorded only after the period it lapses has ended (the app passes the deadlines).
    key = "correction_period" if row.action is Action.CORRECTION_LAPSED else "fee_payment"
    due = next((d for d in deadlines or () if d.key == key), None)
    if due is None and key == "fee_payment" and deadlines is not None and any(d.key == "reply" for d in deadlines):
        # the window runs from the day the notice was served (国办函〔2020〕109号): unknown, it cannot end
        raise FieldError(
            "decided_on", "收费通知的送达日期尚未登记，缴费期限无从起算，不能认定“逾期未缴费”；请先登记送达"
        )
    if due is not None and fields["decided_on"] <= due.due:
        raise FieldError("decided_on", f"{due.label}至{due.due}届满，届满前不能认定“{row.action.label}”")


FIELD_ORDER_CHECKS: Mapping[Action, Callable[[Mapping[str, Any]], None]] = MappingProxyType(
    {
        Action.SET_DELAY_PERIOD: lambda f: _not_before(f, "reply_until", "notified_on", strictly=True),
        Action.START_THIRD_PARTY_CONSULTATION: lambda f: _not_before(f, "delivered_on", "sent_on"),
        Action.START_AGENCY_CONSULTATION: lambda f: _not_before(f, "delivered_on", "sent_on"),
        Action.NOTIFY_FEE: _check_fee,
        Action.CONFIRM_RECEIPT: lambda f: _not_before(f, "confirmed_on", "arrived_on"),
    }
)


# -- who signs next ---------------------------------------------------------------------------


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


def check_signer(
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

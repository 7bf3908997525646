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

The parts: :mod:`.states` (the states, actions and groups of states), :mod:`.transitions` (the
table, its fields and :data:`WORKFLOW`), :mod:`.rules` (the outcomes a reply may carry, the signer
chain, the checks across fields and clocks). This module is the API the app calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from gongkai.domain.applications.review import (
    DEFAULT_REVIEW_POLICY,
    NO_REVIEW,
    ReviewPolicy,
    after_review,
    first_review,
)
from gongkai.domain.applications.rules import (
    DIRECT_REPLIES,
    DRAFTING_ACTIONS,
    FEES_APPLY_FROM,
    FIELD_ORDER_CHECKS,
    REPLY_OUTCOMES_BY_STATE,
    REVIEW_PASSES,
    check_correction_answered,
    check_correction_window,
    check_extension_in_time,
    check_fee_in_time,
    check_lapse,
    check_outcome,
    check_signer,
    drafted_outcome,
    next_signer,
    reply_outcomes,
    signed_state,
)
from gongkai.domain.applications.sign_off import DEFAULT_SIGN_OFF_POLICY, SignOffPolicy
from gongkai.domain.applications.states import (
    AWAITING_REVIEW,
    AWAITING_SIGNATURE,
    CONSULTATION_RETURNS,
    CONSULTATION_SOURCES,
    CORRECTION_SOURCES,
    DRAFT_STATES,
    OPEN_STATES,
    READY_TO_ISSUE,
    SIGN_OFF_SOURCES,
    TERMINAL_OUTCOMES,
    TERMINAL_STATES,
    Action,
    State,
)
from gongkai.domain.applications.transitions import FIELD_SPECS, ISSUE_CHANNELS, TRANSITIONS, WORKFLOW
from gongkai.domain.clocks import ClockEvent, Deadline, EventKind
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition

__all__ = [
    "AWAITING_REVIEW",
    "AWAITING_SIGNATURE",
    "DEFAULT_REVIEW_POLICY",
    "NO_REVIEW",
    "REVIEW_PASSES",
    "ReviewPolicy",
    "after_review",
    "first_review",
    "CONSULTATION_RETURNS",
    "CONSULTATION_SOURCES",
    "CORRECTION_SOURCES",
    "DRAFTING_ACTIONS",
    "DRAFT_STATES",
    "FEES_APPLY_FROM",
    "FIELD_SPECS",
    "ISSUE_CHANNELS",
    "OPEN_STATES",
    "READY_TO_ISSUE",
    "SIGN_OFF_SOURCES",
    "TERMINAL_OUTCOMES",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "WORKFLOW",
    "Action",
    "Role",
    "State",
    "Transition",
    "available_actions",
    "check_transition",
    "drafted_outcome",
    "next_signer",
    "reply_outcomes",
    "signed_state",
    "state_after_consultation",
    "submission",
    "transition_for",
]


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: set[str] | frozenset[str],
    fields: Mapping[str, Any],
    policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY,
    deadlines: Sequence[Deadline] | None = None,
    review: ReviewPolicy = NO_REVIEW,
) -> Transition:
    """The row that allows this move, with ``to`` resolved; raises with a Chinese message otherwise.

    TransitionNotAllowed: the state, the actor or the sign-off policy forbids the move.
    FieldError (a DomainError with ``field``): a field is missing or invalid.
    ``deadlines`` (the case's current clocks), when given, keep a lapse from being recorded early,
    a 补正 from being asked after its window, a fee notice from being sent after the reply period,
    an extension from being requested after it, and 补正后仍不明确 from being given without a 补正.
    ``review``: the agency's 法制审核 / 保密审查 settings (.review); none when not given.
    """
    state = WORKFLOW.state(state)
    row = WORKFLOW.check(state, action, actor_roles=actor_roles, fields=fields)
    action = row.action
    if (
        row.to is State.REPLIED
        or action in DRAFTING_ACTIONS
        or action is Action.SIGN_OFF_REPLY
        or action in REVIEW_PASSES
    ):
        check_outcome(state, row, fields, policy, review)
        check_correction_answered(
            row.outcome or drafted_outcome(action, fields) or str(fields["outcome_code"]), deadlines
        )
    if action in (Action.CORRECTION_LAPSED, Action.FEE_LAPSED):
        check_lapse(row, fields, deadlines)
    if action is Action.REQUEST_CORRECTION:
        check_correction_window(fields, deadlines)
    if action is Action.NOTIFY_FEE:
        check_fee_in_time(fields, deadlines)
    if action is Action.REQUEST_EXTENSION:
        check_extension_in_time(deadlines)
    if action is Action.SIGN_OFF_REPLY:
        row = check_signer(state, row, actor_roles, fields, policy)
    extra = FIELD_ORDER_CHECKS.get(action)
    if extra is not None:
        extra(fields)
    return row


def available_actions(
    state: State | str,
    actor_roles: set[str] | frozenset[str],
    policy: SignOffPolicy = DEFAULT_SIGN_OFF_POLICY,
    pending_outcome: str | None = None,
    review: ReviewPolicy = NO_REVIEW,
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
        if row.action in DIRECT_REPLIES or row.action is Action.SUBMIT_REPLY_FOR_REVIEW:
            return bool(reply_outcomes(state, row.action, policy, review))
        if row.action is Action.SUBMIT_REPLY_FOR_SIGN_OFF:
            return any(policy.needs_sign_off(c) and not review.needs_review(c) for c in REPLY_OUTCOMES_BY_STATE[state])
        return True

    return WORKFLOW.available_actions(state, actor_roles, keep)


def transition_for(state: State | str, action: Action | str) -> Transition | None:
    """The table row for (state, action), unchecked (for showing a form's fields)."""
    return WORKFLOW.transition_for(state, action)


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

"""The review of a document before proactive disclosure, as a transition table.

拟文科室、办公室、局领导三级审核制, with the 保密审查 in between: the drafting office (经办人)
submits, the office (办公室主任) checks, the confidentiality reviewer (保密审查员) reviews —
涉密信息不公开、公开信息不涉密 — the leader (局领导) approves, and the office or the clerk publishes::

    草稿 ─submit→ 办公室主任审核 ─office_approve→ 保密审查 ─confidentiality_pass→ 局领导审批
    ─leader_approve→ 已批准待公开 ─publish→ 已公开 ─unpublish→ 已下架
    (office_return / confidentiality_fail / leader_return → 退回修改 ─resubmit→ 办公室主任审核)
    (withdraw, before any publication → 已撤回)

The table is data (:data:`TRANSITIONS`, run by the engine :mod:`gongkai.domain.workflow`): sources,
target, roles, required and optional fields,
whether the move asks for confirmation, and the result it records (同意 / 退回 / 通过 / 未通过).

Two rules do not depend on the state alone and are checked from :class:`DocumentFacts`, which the
app passes in (the domain reads no database):

- **Confidentiality** (条例第十七条): a document whose confidentiality review has not passed *for its
  current version* cannot be published, whatever its state says.
- **Interpretation** (谁起草、谁解读; 同步起草、同步审签、同步部署): a policy document flagged
  ``needs_interpretation`` cannot be published until its linked interpretation is approved by the
  leader or published (``interpretation_ready``). Publishing the policy publishes its approved
  interpretations with it (同步发布, :func:`published_with_policy`); an interpretation is not
  published before the policy it explains (``interprets_unpublished_policy``).

**Revisions** [I]. A published document is never changed in place: ``revise`` (修订) opens a new
version, which goes through the same review while the published version stays on the public
column (``DocumentFacts.is_public``); ``publish`` then replaces it, and the public page shows the
revision date. ``discard_revision`` (放弃修订) drops a revision under way. ``withdraw`` (撤回) is only
for documents never published; a published one is taken down by ``unpublish`` (下架（停止公开）), with its
reason, for good.

Spec gap resolved here [I]: the brief's states have no name for "approved by the leader, not yet
published"; :attr:`State.APPROVED` (已批准待公开) is that state, and what "the interpretation is
approved" means.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from gongkai.domain.disclosure.catalogue import RegistrationError
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldError, FieldKind, FieldSpec, field_registry
from gongkai.domain.roles import Role, known_roles
from gongkai.domain.workflow import Transition, Workflow, row


class State(StrEnum):
    DRAFT = "draft"
    OFFICE_REVIEW = "office_review"
    CONFIDENTIALITY_REVIEW = "confidentiality_review"
    LEADER_APPROVAL = "leader_approval"
    APPROVED = "approved"
    PUBLISHED = "published"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    UNPUBLISHED = "unpublished"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES


_STATE_LABELS = {
    State.DRAFT: "草稿",
    State.OFFICE_REVIEW: "办公室主任审核",
    State.CONFIDENTIALITY_REVIEW: "保密审查",
    State.LEADER_APPROVAL: "局领导审批",
    State.APPROVED: "已批准待公开",
    State.PUBLISHED: "已公开",
    State.RETURNED: "退回修改",
    State.WITHDRAWN: "已撤回",
    State.UNPUBLISHED: "已下架",
}

TERMINAL_STATES: frozenset[State] = frozenset({State.WITHDRAWN, State.UNPUBLISHED})
# Before (re)publication: the states a version passes through on its way to the public.
PRE_PUBLICATION_STATES: frozenset[State] = frozenset(
    {
        State.DRAFT,
        State.OFFICE_REVIEW,
        State.CONFIDENTIALITY_REVIEW,
        State.LEADER_APPROVAL,
        State.APPROVED,
        State.RETURNED,
    }
)
# The states in which the content of the working version may be edited.
EDITABLE_STATES: frozenset[State] = frozenset({State.DRAFT, State.RETURNED})
# An interpretation in one of these states counts as approved (leader-approved or published).
INTERPRETATION_READY_STATES: frozenset[State] = frozenset({State.APPROVED, State.PUBLISHED})


class Action(StrEnum):
    SUBMIT = "submit"
    OFFICE_APPROVE = "office_approve"
    OFFICE_RETURN = "office_return"
    CONFIDENTIALITY_PASS = "confidentiality_pass"
    CONFIDENTIALITY_FAIL = "confidentiality_fail"
    LEADER_APPROVE = "leader_approve"
    LEADER_RETURN = "leader_return"
    PUBLISH = "publish"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    REVISE = "revise"
    DISCARD_REVISION = "discard_revision"
    UNPUBLISH = "unpublish"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.SUBMIT: "提交审核",
    Action.OFFICE_APPROVE: "办公室主任审核通过",
    Action.OFFICE_RETURN: "办公室主任退回修改",
    Action.CONFIDENTIALITY_PASS: "保密审查通过",
    Action.CONFIDENTIALITY_FAIL: "保密审查不通过",
    Action.LEADER_APPROVE: "局领导审批同意",
    Action.LEADER_RETURN: "局领导退回修改",
    Action.PUBLISH: "发布公开",
    Action.RESUBMIT: "修改后重新提交",
    Action.WITHDRAW: "撤回（不予公开）",
    Action.REVISE: "修订已公开文件",
    Action.DISCARD_REVISION: "放弃修订",
    # not 撤回…: 撤回（不予公开） is the button of a document never published; this one takes a
    # published document off the column, and its state reads 已下架
    Action.UNPUBLISH: "下架（停止公开）",
}


class Result(StrEnum):
    """What a review decision concluded, as recorded in the decision log."""

    APPROVED = "approved"
    RETURNED = "returned"
    PASSED = "passed"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return _RESULT_LABELS[self]


_RESULT_LABELS = {Result.APPROVED: "同意", Result.RETURNED: "退回", Result.PASSED: "通过", Result.FAILED: "未通过"}

# Why a confidentiality review fails (条例第十四条至第十六条), optional beside the reason itself.
CONFIDENTIALITY_CONCERNS: Mapping[str, str] = MappingProxyType(
    {
        "state_secret": "涉及国家秘密",
        "prohibited": "法律、行政法规禁止公开",
        "security": "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
        "third_party": "涉及商业秘密、个人隐私",
        "internal": "属于内部事务信息或过程性信息",
        "other": "其他不宜公开的内容",
    }
)

FIELD_SPECS: Mapping[str, FieldSpec] = field_registry(
    FieldSpec("comment", "审核意见", FieldKind.TEXT),
    FieldSpec("reason", "理由", FieldKind.TEXT),
    FieldSpec("concern", "不宜公开的情形", FieldKind.CHOICE, choices=CONFIDENTIALITY_CONCERNS),
    FieldSpec("published_on", "公开日期", FieldKind.DATE),
    FieldSpec("unpublished_on", "下架日期", FieldKind.DATE),
)


@dataclass(frozen=True)
class DocumentFacts:
    """What the rules need to know about a document beyond its state (the app reads it from the database).

    ``current_version``: the version under work (the published one, or the revision under review);
    ``confidentiality_passed_version``: the last version whose confidentiality review passed;
    ``interpretation_ready``: a linked interpretation is leader-approved or published;
    ``is_public``: some version of the document is on the public column.
    """

    current_version: int = 1
    confidentiality_passed_version: int | None = None
    needs_interpretation: bool = False
    interpretation_ready: bool = False
    formed_on: date | None = None
    is_public: bool = False
    interprets_unpublished_policy: bool = False  # an interpretation whose policy is not public yet


K = TypeVar("K", bound=Hashable)
_S, _A, _R = State, Action, Role
_DRAFTERS = frozenset({Role.CLERK, Role.OFFICE_HEAD})


def _row(action: Action, sources: Iterable[State], to: State, actors: Iterable[Role], **kw: Any) -> Transition:
    return row(action, sources, to, actors, returns=to is State.RETURNED, **kw)


TRANSITIONS: tuple[Transition, ...] = (
    _row(_A.SUBMIT, {_S.DRAFT}, _S.OFFICE_REVIEW, _DRAFTERS, optional=("comment",)),
    _row(
        _A.OFFICE_APPROVE,
        {_S.OFFICE_REVIEW},
        _S.CONFIDENTIALITY_REVIEW,
        {_R.OFFICE_HEAD},
        optional=("comment",),
        result=Result.APPROVED,
    ),
    _row(
        _A.OFFICE_RETURN,
        {_S.OFFICE_REVIEW},
        _S.RETURNED,
        {_R.OFFICE_HEAD},
        required=("comment",),
        result=Result.RETURNED,
    ),
    _row(
        _A.CONFIDENTIALITY_PASS,
        {_S.CONFIDENTIALITY_REVIEW},
        _S.LEADER_APPROVAL,
        {_R.CONFIDENTIALITY_REVIEWER},
        optional=("comment",),
        result=Result.PASSED,
        basis="第十七条",
    ),
    _row(
        _A.CONFIDENTIALITY_FAIL,
        {_S.CONFIDENTIALITY_REVIEW},
        _S.RETURNED,
        {_R.CONFIDENTIALITY_REVIEWER},
        required=("reason",),
        optional=("concern",),
        result=Result.FAILED,
        basis="第十四条至第十七条",
    ),
    _row(
        _A.LEADER_APPROVE, {_S.LEADER_APPROVAL}, _S.APPROVED, {_R.LEADER}, optional=("comment",), result=Result.APPROVED
    ),
    _row(
        _A.LEADER_RETURN, {_S.LEADER_APPROVAL}, _S.RETURNED, {_R.LEADER}, required=("comment",), result=Result.RETURNED
    ),
    _row(
        _A.PUBLISH,
        {_S.APPROVED},
        _S.PUBLISHED,
        {_R.OFFICE_HEAD, _R.CLERK},
        required=("published_on",),
        irreversible=True,
        basis="第二十六条",
    ),
    _row(_A.RESUBMIT, {_S.RETURNED}, _S.OFFICE_REVIEW, _DRAFTERS, optional=("comment",)),
    _row(
        _A.WITHDRAW,
        PRE_PUBLICATION_STATES,
        _S.WITHDRAWN,
        _DRAFTERS,
        required=("reason",),
        irreversible=True,
        public=False,
    ),
    _row(_A.REVISE, {_S.PUBLISHED}, _S.DRAFT, _DRAFTERS, required=("reason",), public=True),
    _row(
        _A.DISCARD_REVISION,
        PRE_PUBLICATION_STATES,
        _S.PUBLISHED,
        _DRAFTERS,
        required=("reason",),
        irreversible=True,
        public=True,
    ),
    _row(
        _A.UNPUBLISH,
        {_S.PUBLISHED},
        _S.UNPUBLISHED,
        {_R.OFFICE_HEAD, _R.LEADER},
        required=("reason", "unpublished_on"),
        irreversible=True,
    ),
)

WORKFLOW: Workflow[State, Action] = Workflow(
    subject="文件",
    state_word="文件状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial={State.DRAFT},
    terminal=TERMINAL_STATES,
)

# The moves that take a document forward: a state with one of them, for a role, is in that role's queue.
QUEUE_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.SUBMIT,
        Action.RESUBMIT,
        Action.OFFICE_APPROVE,
        Action.CONFIDENTIALITY_PASS,
        Action.LEADER_APPROVE,
        Action.PUBLISH,
    }
)


# -- the two rules beyond the state ------------------------------------------------------------------


def publication_blockers(facts: DocumentFacts) -> list[str]:
    """Why the current version may not be published (Chinese), empty if nothing stands in the way."""
    out: list[str] = []
    passed, current = facts.confidentiality_passed_version, facts.current_version
    if passed != current:
        if passed is None:
            out.append("本文件尚未通过保密审查，不得公开（涉密信息不公开、公开信息不涉密）")
        else:
            out.append(f"保密审查通过的是第{passed}版，当前为第{current}版，须对当前版本重新进行保密审查后方可公开")
    if facts.needs_interpretation and not facts.interpretation_ready:
        out.append("本政策文件须与政策解读同步发布，关联的解读材料尚未经领导审批，暂不能公开")
    if facts.interprets_unpublished_policy:
        out.append("政策解读与所解读的政策文件同步发布：所解读的政策文件尚未公开，发布该政策文件时本解读将一并发布")
    return out


def published_with_policy(interpretation_states: Mapping[K, State | str]) -> list[K]:
    """同步发布: of a policy's interpretations (key → state), those that go public with it — the
    ones approved and waiting for publication. The others keep their own course (a published one
    is already public; one still in review is published on its own once the policy is public)."""
    return [k for k, s in interpretation_states.items() if State(s) is State.APPROVED]


# -- public API ------------------------------------------------------------------------------------


acting_role = WORKFLOW.acting_role


def _check_public(row: Transition, facts: DocumentFacts) -> None:
    if row.public is None or row.public == facts.is_public:
        return
    if row.action is Action.WITHDRAW:
        raise TransitionNotAllowed(
            f"文件已有公开版本，不能“{Action.WITHDRAW.label}”；放弃本次修订请“{Action.DISCARD_REVISION.label}”，"
            f"撤下已公开的文件请“{Action.UNPUBLISH.label}”"
        )
    raise TransitionNotAllowed(f"文件尚未公开，不能“{row.action.label}”")


def _check_dates(row: Transition, fields: Mapping[str, Any], facts: DocumentFacts, today: date | None) -> None:
    for name in ("published_on", "unpublished_on"):
        if name not in row.field_names or fields.get(name) is None:
            continue
        value = fields[name]
        label = FIELD_SPECS[name].label
        if today is not None and value > today:
            raise FieldError(name, f"{label}{value}晚于今天（{today}）")
        if facts.formed_on is not None and value < facts.formed_on:
            raise FieldError(name, f"{label}{value}早于成文日期{facts.formed_on}")


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: set[str] | frozenset[str],
    fields: Mapping[str, Any],
    facts: DocumentFacts = DocumentFacts(),
    today: date | None = None,
) -> Transition:
    """The row that allows this move; raises with a Chinese message otherwise.

    TransitionNotAllowed: the state, the role, publication status or a publication rule forbids it.
    FieldError (with ``field``): a field is missing or invalid.
    """
    state, action = WORKFLOW.state(state), WORKFLOW.action(action)
    if state is State.PUBLISHED and action is Action.WITHDRAW:
        raise TransitionNotAllowed(
            f"文件已公开，不能“{action.label}”；如需撤下，请“{Action.UNPUBLISH.label}”并说明理由"
        )
    row = WORKFLOW.allowed(state, action, actor_roles)
    _check_public(row, facts)
    WORKFLOW.validate(row, fields)
    if action is Action.PUBLISH:
        blockers = publication_blockers(facts)
        if blockers:
            raise TransitionNotAllowed("；".join(blockers))
    _check_dates(row, fields, facts, today)
    return row


def available_actions(
    state: State | str, actor_roles: set[str] | frozenset[str], facts: DocumentFacts | None = None
) -> list[Action]:
    """The buttons to show for these roles in ``state``, in table order.

    With ``facts``, moves that depend on publication status are filtered (撤回 vs 放弃修订);
    发布公开 stays listed even when :func:`publication_blockers` stands in its way, so the page
    can say why.
    """

    def keep(row: Transition) -> bool:
        return facts is None or row.public is None or row.public == facts.is_public

    return WORKFLOW.available_actions(state, actor_roles, keep)


def transition_for(state: State | str, action: Action | str) -> Transition | None:
    """The table row for (state, action), unchecked (for showing a form's fields)."""
    return WORKFLOW.transition_for(state, action)


def awaiting_states(actor_roles: Iterable[str]) -> frozenset[State]:
    """The states in which a document waits for someone holding ``actor_roles`` (their queue)."""
    roles = known_roles(actor_roles)
    return frozenset(s for t in TRANSITIONS if t.action in QUEUE_ACTIONS and roles & t.actors for s in t.sources)


def check_edit(state: State | str, actor_roles: Iterable[str]) -> None:
    """May the working version's content be edited now? Raises TransitionNotAllowed (Chinese) if not.

    A published document is edited by revising it (``revise``), which the app does when asked to
    save changes to a published document; under review, a document must first be returned.
    """
    state = WORKFLOW.state(state)
    if not known_roles(actor_roles) & _DRAFTERS:
        raise TransitionNotAllowed("只有经办人或办公室主任可以修改文件内容")
    if state in EDITABLE_STATES or state is State.PUBLISHED:
        return
    if state.is_terminal:
        raise TransitionNotAllowed(f"文件已“{state.label}”，不能再修改")
    raise TransitionNotAllowed(f"文件处于“{state.label}”阶段，不能修改内容；如需修改，请审核人退回")


def check_revision_reason(state: State | str, reason: str) -> None:
    """A published document is changed only by a revision (修订), and a revision gives its reason —
    also when only its files change. Raises RegistrationError on ``reason`` (Chinese) otherwise."""
    if WORKFLOW.state(state) is State.PUBLISHED and not (reason or "").strip():
        raise RegistrationError("reason", "修改已公开的文件须填写修订理由")

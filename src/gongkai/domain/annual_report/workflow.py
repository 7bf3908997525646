"""The sign-off of a year's annual report, as a transition table.

The clerk (经办人) writes the prose and submits; the office head (办公室主任) checks first, the leader
(局领导) approves second; the approved report is frozen and then published in the column's 年报 section::

    编写中 ─submit→ 办公室主任审核 ─office_approve→ 局领导审批 ─leader_approve→ 已审定 ─publish→ 已公开
    (office_return / leader_return, with a comment → 编写中)
    (revise, from 已审定 or 已公开, with a reason → 编写中: a new version; the published one stays public)

The table is data (:data:`TRANSITIONS`, run by the engine :mod:`gongkai.domain.workflow`); the
comment is the one field, required for returns and revisions and labelled per move (退回意见, 修订理由).
Submitting is refused while the report is not ready (:class:`Readiness`, which the app computes from
the tables and the prose): a consistency rule of the format failing, a required checklist point or
a prose section empty, or a figure quoted in the prose that differs from the tables. Every refusal
says why, in Chinese.

The tables and the prose are copied into the version when it is submitted; from then on the
version's content is what the reviewers see. The leader's approval freezes the version for good:
a later change is a new version (``revise``) with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldKind, FieldSpec, field_registry
from gongkai.domain.roles import Role, known_roles
from gongkai.domain.workflow import Transition, Workflow, row


class State(StrEnum):
    # The member names are those of the document review's states (one vocabulary); the values are
    # what the database holds.
    DRAFT = "drafting"
    OFFICE_REVIEW = "office_review"
    LEADER_APPROVAL = "leader_review"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.DRAFT: "编写中",
    State.OFFICE_REVIEW: "办公室主任审核",
    State.LEADER_APPROVAL: "局领导审批",
    State.APPROVED: "已审定",
    State.PUBLISHED: "已公开",
}

# The states in which the version under work is frozen (approved by the leader).
FROZEN_STATES: frozenset[State] = frozenset({State.APPROVED, State.PUBLISHED})
# The states in which the version's content is the snapshot taken at submission, not the live data.
SNAPSHOT_STATES: frozenset[State] = frozenset(State) - {State.DRAFT}


class Action(StrEnum):
    SUBMIT = "submit"
    OFFICE_APPROVE = "office_approve"
    OFFICE_RETURN = "office_return"
    LEADER_APPROVE = "leader_approve"
    LEADER_RETURN = "leader_return"
    PUBLISH = "publish"
    REVISE = "revise"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.SUBMIT: "提交审核",
    Action.OFFICE_APPROVE: "办公室主任审核通过",
    Action.OFFICE_RETURN: "办公室主任退回修改",
    Action.LEADER_APPROVE: "局领导审定",
    Action.LEADER_RETURN: "局领导退回修改",
    Action.PUBLISH: "公开发布",
    Action.REVISE: "修订（生成新版本）",
}


class Result(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {Result.APPROVED: "同意", Result.RETURNED: "退回"}[self]


# One field, the comment; each move names it as its form shows it.
FIELD_SPECS: Mapping[str, FieldSpec] = field_registry(FieldSpec("comment", "意见", FieldKind.TEXT))


def _row(
    action: Action,
    sources: Iterable[State],
    to: State,
    actors: Iterable[Role],
    *,
    comment: str,
    needs_comment: bool = False,
    **kw: Any,
) -> Transition:
    # a return says why and a revision gives its reason: there the comment is required
    where = "required" if needs_comment else "optional"
    return row(
        action,
        sources,
        to,
        actors,
        labels={"comment": comment},
        **{where: ("comment",)},
        returns=kw.get("result") is Result.RETURNED,
        **kw,
    )


_S, _A, _R = State, Action, Role

TRANSITIONS: tuple[Transition, ...] = (
    _row(_A.SUBMIT, {_S.DRAFT}, _S.OFFICE_REVIEW, {_R.CLERK}, comment="提交说明"),
    _row(
        _A.OFFICE_APPROVE,
        {_S.OFFICE_REVIEW},
        _S.LEADER_APPROVAL,
        {_R.OFFICE_HEAD},
        result=Result.APPROVED,
        comment="审核意见",
    ),
    _row(
        _A.OFFICE_RETURN,
        {_S.OFFICE_REVIEW},
        _S.DRAFT,
        {_R.OFFICE_HEAD},
        needs_comment=True,
        result=Result.RETURNED,
        comment="退回意见",
    ),
    _row(
        _A.LEADER_APPROVE,
        {_S.LEADER_APPROVAL},
        _S.APPROVED,
        {_R.LEADER},
        irreversible=True,
        freezes=True,
        result=Result.APPROVED,
        comment="审批意见",
    ),
    _row(
        _A.LEADER_RETURN,
        {_S.LEADER_APPROVAL},
        _S.DRAFT,
        {_R.LEADER},
        needs_comment=True,
        result=Result.RETURNED,
        comment="退回意见",
    ),
    _row(
        _A.PUBLISH,
        {_S.APPROVED},
        _S.PUBLISHED,
        {_R.CLERK, _R.OFFICE_HEAD, _R.LEADER},
        irreversible=True,
        comment="备注",
    ),
    _row(
        _A.REVISE,
        {_S.APPROVED, _S.PUBLISHED},
        _S.DRAFT,
        {_R.CLERK, _R.OFFICE_HEAD},
        needs_comment=True,
        irreversible=True,
        comment="修订理由",
    ),
)

# No terminal state: a published report can still be revised (a new version).
WORKFLOW: Workflow[State, Action] = Workflow(
    subject="年度报告",
    state_word="年度报告状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial={State.DRAFT},
)


# -- errors ------------------------------------------------------------------------------------------


class SubmissionBlocked(TransitionNotAllowed):
    """The report is not ready to be submitted; ``problems`` lists why, each in Chinese."""

    code = "submission_blocked"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("报告尚不能提交审核：" + "；".join(problems))


# -- readiness ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """What stands in the way of submitting, as the app found it (each entry Chinese, already worded).

    ``consistency_errors``: failing consistency rules of the tables (severity error);
    ``missing_points``: required checklist points not covered (e.g. "一、总体情况：政府信息管理");
    ``empty_sections``: titles of required prose sections with no text;
    ``prose_problems``: figures in the prose that differ from the tables;
    ``register_problems``: cells or prose the register contradicts (:mod:`.register_checks`);
    ``register_warnings``: figures of the other channels (建议提案, 工单, 新媒体) the prose quotes and
    their registers contradict (:mod:`.channel_prose`) — shown, never blocking: a register may hold
    less than the agency counts.
    """

    consistency_errors: tuple[str, ...] = ()
    missing_points: tuple[str, ...] = ()
    empty_sections: tuple[str, ...] = ()
    prose_problems: tuple[str, ...] = ()
    register_problems: tuple[str, ...] = ()
    register_warnings: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.blockers()

    def blockers(self) -> list[str]:
        out: list[str] = []
        if self.consistency_errors:
            out.append("表格未通过一致性检查（" + "；".join(self.consistency_errors) + "）")
        if self.empty_sections:
            out.append("以下必填部分尚未填写：" + "、".join(self.empty_sections))
        if self.missing_points:
            out.append("以下必须说明的要点尚未写到：" + "、".join(self.missing_points))
        if self.prose_problems:
            out.append("正文引用的数字与表格不一致（" + "；".join(self.prose_problems) + "）")
        if self.register_problems:
            out.append("表格或正文与办理登记不一致（" + "；".join(self.register_problems) + "）")
        return out


# -- public API --------------------------------------------------------------------------------------


acting_role = WORKFLOW.acting_role
transition_for = WORKFLOW.transition_for


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: Iterable[str],
    fields: Mapping[str, Any],
    facts: Readiness = Readiness(),
    year: int | None = None,
    today: date | None = None,
) -> Transition:
    """The row that allows this move; raises a DomainError with a Chinese message otherwise.

    With the report's ``year`` and ``today``, submitting, approving and publishing are refused
    before the year has ended (:func:`check_year_ended`).

    TransitionNotAllowed: the state or the role forbids it; FieldError (``field`` "comment"): a
    return or revision says nothing; SubmissionBlocked (a TransitionNotAllowed, with ``problems``):
    the report is not ready.
    """
    row = WORKFLOW.check(state, action, actor_roles=actor_roles, fields=fields)
    if year is not None and today is not None:
        check_year_ended(row.action, year=year, today=today)
    if row.action is Action.SUBMIT:
        blockers = facts.blockers()
        if blockers:
            raise SubmissionBlocked(blockers)
    return row


# The moves that say the year's figures are final: a report covers the whole calendar year
# (条例第五十条: 上一年度 …; 第四十九条: published by 31 January of the next year), so none of them can
# come before 31 December has passed. Drafting (and returning a draft) can.
YEAR_END_MOVES: frozenset[Action] = frozenset(
    {Action.SUBMIT, Action.OFFICE_APPROVE, Action.LEADER_APPROVE, Action.PUBLISH}
)


def check_year_ended(action: Action | str, *, year: int, today: date) -> None:
    """Refuse a move of :data:`YEAR_END_MOVES` on ``year``'s report while the year is not over."""
    action = WORKFLOW.action(action)
    if action in YEAR_END_MOVES and today <= date(year, 12, 31):
        raise TransitionNotAllowed(
            f"{year}年度报告的统计期至{year}年12月31日，年度结束前不能“{action.label}”"
            f"（条例第四十九条、第五十条：年度报告报告的是上一年度的情况，于次年1月31日前公布）；可以继续编写"
        )


def available_actions(state: State | str, actor_roles: Iterable[str]) -> list[Action]:
    """The moves to offer someone holding ``actor_roles`` in ``state``, in table order (submit is offered
    even when the report is not ready, so the page can say why)."""
    return WORKFLOW.available_actions(state, actor_roles)


def check_edit(state: State | str, roles: Iterable[str]) -> None:
    """May the prose be changed now? Only the clerk, only while drafting; raises TransitionNotAllowed."""
    state = WORKFLOW.state(state)
    if Role.CLERK not in known_roles(roles):
        raise TransitionNotAllowed("年度报告正文由经办人编写，您没有修改权限")
    if state is State.DRAFT:
        return
    if state in FROZEN_STATES:
        raise TransitionNotAllowed(
            f"年度报告已“{state.label}”，本版本已冻结，不能再修改；如需修改，请“{Action.REVISE.label}”并说明理由"
        )
    raise TransitionNotAllowed(f"年度报告处于“{state.label}”阶段，不能修改；如需修改，请审核人退回")


def awaiting_roles(state: State | str) -> frozenset[Role]:
    """Whose move it is in ``state``: the roles of its forward moves (not returns or revisions)."""
    state = WORKFLOW.state(state)
    return frozenset(
        r
        for t in TRANSITIONS
        if state in t.sources and not t.returns and t.action is not Action.REVISE
        for r in t.actors
    )

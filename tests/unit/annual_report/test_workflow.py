"""The sign-off of the annual report: the transition table, the roles, the comments, and the
readiness rule that keeps an unfinished or inconsistent report from being submitted."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.workflow import (
    FROZEN_STATES,
    SNAPSHOT_STATES,
    TRANSITIONS,
    Action,
    Readiness,
    Result,
    State,
    SubmissionBlocked,
    acting_role,
    available_actions,
    awaiting_roles,
    check_edit,
    check_transition,
    transition_for,
)
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.roles import Role

A, S, R = Action, State, Role
CHINESE = re.compile(r"[\u4e00-\u9fff]")
STAFF = ("clerk", "office_head", "leader", "confidentiality_reviewer", "supervisor")

# (state, action, role, target): every allowed move, one line each
EXPECTED = [
    (S.DRAFT, A.SUBMIT, R.CLERK, S.OFFICE_REVIEW),
    (S.OFFICE_REVIEW, A.OFFICE_APPROVE, R.OFFICE_HEAD, S.LEADER_APPROVAL),
    (S.OFFICE_REVIEW, A.OFFICE_RETURN, R.OFFICE_HEAD, S.DRAFT),
    (S.LEADER_APPROVAL, A.LEADER_APPROVE, R.LEADER, S.APPROVED),
    (S.LEADER_APPROVAL, A.LEADER_RETURN, R.LEADER, S.DRAFT),
    (S.APPROVED, A.PUBLISH, R.CLERK, S.PUBLISHED),
    (S.APPROVED, A.PUBLISH, R.OFFICE_HEAD, S.PUBLISHED),
    (S.APPROVED, A.PUBLISH, R.LEADER, S.PUBLISHED),
    (S.APPROVED, A.REVISE, R.CLERK, S.DRAFT),
    (S.APPROVED, A.REVISE, R.OFFICE_HEAD, S.DRAFT),
    (S.PUBLISHED, A.REVISE, R.CLERK, S.DRAFT),
    (S.PUBLISHED, A.REVISE, R.OFFICE_HEAD, S.DRAFT),
]
ALLOWED = {(s, a, r) for s, a, r, _ in EXPECTED}


@pytest.mark.parametrize(("state", "action", "role", "target"), EXPECTED)
def test_each_allowed_move_leads_to_its_state(state, action, role, target):
    row = check_transition(state, action, actor_roles={role.value}, fields={"comment": "理由"})
    assert row.to is target
    assert acting_role(row, {role.value}) is role


def test_the_table_holds_exactly_the_expected_moves():
    table = {(s, t.action, r) for t in TRANSITIONS for s in t.sources for r in t.actors}
    assert table == ALLOWED


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", STAFF)
def test_every_other_move_is_refused_in_chinese(state, action, role):
    if (state, action, Role(role)) in ALLOWED:
        return
    with pytest.raises(TransitionNotAllowed) as err:
        check_transition(state, action, actor_roles={role}, fields={"comment": "理由"})
    assert CHINESE.search(err.value.message)


def test_a_move_from_the_wrong_state_names_the_state_and_where_it_is_allowed():
    with pytest.raises(TransitionNotAllowed) as err:
        check_transition(S.DRAFT, A.LEADER_APPROVE, actor_roles={"leader"}, fields={})
    assert "编写中" in err.value.message and "局领导审批" in err.value.message


def test_a_move_by_the_wrong_role_names_who_may_take_it():
    with pytest.raises(TransitionNotAllowed) as err:
        check_transition(S.OFFICE_REVIEW, A.OFFICE_APPROVE, actor_roles={"clerk"}, fields={})
    assert "办公室主任" in err.value.message


def test_the_office_head_cannot_approve_in_the_leaders_place():
    with pytest.raises(TransitionNotAllowed):
        check_transition(S.LEADER_APPROVAL, A.LEADER_APPROVE, actor_roles={"office_head"}, fields={})


def test_the_leader_cannot_skip_the_office_heads_review():
    with pytest.raises(TransitionNotAllowed):
        check_transition(S.OFFICE_REVIEW, A.LEADER_APPROVE, actor_roles={"leader"}, fields={})


@pytest.mark.parametrize(
    ("state", "action", "role", "label"),
    [
        (S.OFFICE_REVIEW, A.OFFICE_RETURN, "office_head", "退回意见"),
        (S.LEADER_APPROVAL, A.LEADER_RETURN, "leader", "退回意见"),
        (S.APPROVED, A.REVISE, "clerk", "修订理由"),
        (S.PUBLISHED, A.REVISE, "office_head", "修订理由"),
    ],
)
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_a_return_or_a_revision_without_a_reason_is_refused(state, action, role, label, comment):
    with pytest.raises(FieldError) as err:
        check_transition(state, action, actor_roles={role}, fields={"comment": comment})
    assert err.value.field == "comment"
    assert err.value.message == f"请填写“{label}”"


def test_approvals_need_no_comment():
    assert (
        check_transition(S.OFFICE_REVIEW, A.OFFICE_APPROVE, actor_roles={"office_head"}, fields={}).to
        is S.LEADER_APPROVAL
    )
    assert check_transition(S.LEADER_APPROVAL, A.LEADER_APPROVE, actor_roles={"leader"}, fields={}).to is S.APPROVED


def test_only_the_leaders_approval_freezes_the_report():
    assert [t.action for t in TRANSITIONS if t.freezes] == [A.LEADER_APPROVE]
    assert FROZEN_STATES == {S.APPROVED, S.PUBLISHED}


def test_approving_publishing_and_revising_ask_for_confirmation():
    assert {t.action for t in TRANSITIONS if t.irreversible} == {A.LEADER_APPROVE, A.PUBLISH, A.REVISE}


def test_decisions_record_agreement_or_return():
    results = {t.action: t.result for t in TRANSITIONS}
    assert results[A.OFFICE_APPROVE] is Result.APPROVED and results[A.LEADER_APPROVE] is Result.APPROVED
    assert results[A.OFFICE_RETURN] is Result.RETURNED and results[A.LEADER_RETURN] is Result.RETURNED
    assert results[A.SUBMIT] is None
    assert Result.RETURNED.label == "退回"


def test_every_state_and_action_has_a_chinese_label():
    for item in [*State, *Action]:
        assert CHINESE.search(item.label)


def test_the_version_is_a_snapshot_from_submission_on():
    assert S.DRAFT not in SNAPSHOT_STATES
    assert SNAPSHOT_STATES == {S.OFFICE_REVIEW, S.LEADER_APPROVAL, S.APPROVED, S.PUBLISHED}


# -- readiness ---------------------------------------------------------------------------------------


def test_a_ready_report_may_be_submitted():
    assert Readiness().ready
    assert (
        check_transition(S.DRAFT, A.SUBMIT, actor_roles={"clerk"}, fields={}, facts=Readiness()).to is S.OFFICE_REVIEW
    )


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (Readiness(consistency_errors=("表三“（七）总计”不等于各项之和",)), "一致性检查"),
        (Readiness(empty_sections=("五、存在的主要问题及改进情况",)), "五、存在的主要问题及改进情况"),
        (Readiness(missing_points=("一、总体情况：政府信息管理",)), "政府信息管理"),
        (Readiness(prose_problems=("正文称收到申请5件，表三为4件",)), "与表格不一致"),
    ],
)
def test_submitting_is_refused_while_anything_stands_in_the_way(facts, words):
    assert not facts.ready
    with pytest.raises(SubmissionBlocked) as err:
        check_transition(S.DRAFT, A.SUBMIT, actor_roles={"clerk"}, fields={}, facts=facts)
    assert words in err.value.message
    assert err.value.problems and all(CHINESE.search(p) for p in err.value.problems)


def test_every_problem_is_named_when_several_stand_in_the_way():
    facts = Readiness(
        consistency_errors=("a错误",), missing_points=("b要点",), empty_sections=("c部分",), prose_problems=("d数字",)
    )
    with pytest.raises(SubmissionBlocked) as err:
        check_transition(S.DRAFT, A.SUBMIT, actor_roles={"clerk"}, fields={}, facts=facts)
    assert len(err.value.problems) == 4
    for word in ("a错误", "b要点", "c部分", "d数字"):
        assert word in err.value.message


def test_the_role_is_checked_before_readiness():
    with pytest.raises(TransitionNotAllowed) as err:
        check_transition(S.DRAFT, A.SUBMIT, actor_roles={"leader"}, fields={}, facts=Readiness(empty_sections=("五",)))
    assert not isinstance(err.value, SubmissionBlocked)


def test_readiness_does_not_matter_for_the_reviewers():
    blocked = Readiness(prose_problems=("x",))
    assert (
        check_transition(S.OFFICE_REVIEW, A.OFFICE_APPROVE, actor_roles={"office_head"}, fields={}, facts=blocked).to
        is S.LEADER_APPROVAL
    )


# -- editing, buttons, queues ------------------------------------------------------------------------


def test_the_clerk_edits_only_while_drafting():
    check_edit(S.DRAFT, {"clerk"})
    for state in (S.OFFICE_REVIEW, S.LEADER_APPROVAL):
        with pytest.raises(TransitionNotAllowed, match="退回"):
            check_edit(state, {"clerk"})
    for state in FROZEN_STATES:
        with pytest.raises(TransitionNotAllowed, match="冻结"):
            check_edit(state, {"clerk"})


@pytest.mark.parametrize("role", ["office_head", "leader", "supervisor"])
def test_nobody_but_the_clerk_edits_the_prose(role):
    with pytest.raises(TransitionNotAllowed, match="经办人"):
        check_edit(S.DRAFT, {role})


def test_the_buttons_follow_the_table():
    assert available_actions(S.DRAFT, {"clerk"}) == [A.SUBMIT]
    assert available_actions(S.OFFICE_REVIEW, {"office_head"}) == [A.OFFICE_APPROVE, A.OFFICE_RETURN]
    assert available_actions(S.LEADER_APPROVAL, {"leader"}) == [A.LEADER_APPROVE, A.LEADER_RETURN]
    assert available_actions(S.APPROVED, {"clerk"}) == [A.PUBLISH, A.REVISE]
    assert available_actions(S.APPROVED, {"leader"}) == [A.PUBLISH]
    assert available_actions(S.PUBLISHED, {"leader"}) == []
    assert available_actions(S.DRAFT, {"supervisor"}) == []


def test_whose_move_it_is():
    assert awaiting_roles(S.DRAFT) == {R.CLERK}
    assert awaiting_roles(S.OFFICE_REVIEW) == {R.OFFICE_HEAD}
    assert awaiting_roles(S.LEADER_APPROVAL) == {R.LEADER}
    assert awaiting_roles(S.PUBLISHED) == frozenset()


def test_unknown_states_and_actions_are_domain_errors():
    with pytest.raises(DomainError, match="未知"):
        check_transition("lost", "submit", actor_roles={"clerk"}, fields={})
    with pytest.raises(DomainError, match="未知"):
        check_transition("drafting", "burn", actor_roles={"clerk"}, fields={})
    assert transition_for(S.DRAFT, A.PUBLISH) is None


# -- any walk ----------------------------------------------------------------------------------------

moves = st.lists(
    st.tuples(st.sampled_from(list(Action)), st.sampled_from(STAFF), st.booleans(), st.booleans()), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(moves)
def test_in_any_walk_a_report_is_published_only_after_both_approvals_in_order(walk):
    state, approvals = S.DRAFT, []
    for action, role, ready, commented in walk:
        facts = Readiness() if ready else Readiness(empty_sections=("六、其他需要报告的事项",))
        try:
            row = check_transition(
                state, action, actor_roles={role}, fields={"comment": "意见" if commented else ""}, facts=facts
            )
        except DomainError as err:
            assert CHINESE.search(err.message)
            continue
        if action is A.SUBMIT:
            assert ready and role == "clerk"
            approvals = []
        if row.returns or action is A.REVISE:
            assert commented
            approvals = []
        if row.result is Result.APPROVED:
            approvals.append(role)
        if row.to is S.PUBLISHED:
            assert approvals == ["office_head", "leader"]
        state = row.to


def test_submitting_approving_and_publishing_wait_for_the_end_of_the_year():
    from datetime import date

    import pytest as _pytest

    from gongkai.domain.annual_report.workflow import Action as _A
    from gongkai.domain.annual_report.workflow import State as _S
    from gongkai.domain.annual_report.workflow import check_transition as _check
    from gongkai.domain.errors import TransitionNotAllowed as _Refused

    with _pytest.raises(_Refused, match="2026年12月31日"):
        _check(
            _S.OFFICE_REVIEW,
            _A.OFFICE_APPROVE,
            actor_roles={"office_head"},
            fields={"comment": ""},
            year=2026,
            today=date(2026, 12, 31),
        )
    assert (
        _check(
            _S.OFFICE_REVIEW,
            _A.OFFICE_APPROVE,
            actor_roles={"office_head"},
            fields={"comment": ""},
            year=2026,
            today=date(2027, 1, 1),
        ).to
        is _S.LEADER_APPROVAL
    )
    # a return is not a year-end move: a draft can go back in December
    assert (
        _check(
            _S.OFFICE_REVIEW,
            _A.OFFICE_RETURN,
            actor_roles={"office_head"},
            fields={"comment": "请补充"},
            year=2026,
            today=date(2026, 12, 7),
        ).to
        is _S.DRAFT
    )

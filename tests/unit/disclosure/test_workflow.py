"""The review workflow of proactive disclosure: every transition, the roles, the fields, and the two
rules beyond the state (confidentiality review of the current version; the linked interpretation)."""

import re
from datetime import date

import pytest

from gongkai.domain.disclosure.workflow import (
    EDITABLE_STATES,
    FIELD_SPECS,
    PRE_PUBLICATION_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    DocumentFacts,
    Result,
    Role,
    State,
    acting_role,
    available_actions,
    awaiting_states,
    check_edit,
    check_transition,
    publication_blockers,
    transition_for,
)
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError

A, S, R = Action, State, Role
CHINESE = re.compile(r"[\u4e00-\u9fff]")
D = date(2026, 3, 2)
READY = DocumentFacts(current_version=1, confidentiality_passed_version=1, formed_on=date(2026, 2, 27))
REVISING = DocumentFacts(
    current_version=2, confidentiality_passed_version=1, is_public=True, formed_on=date(2026, 2, 27)
)


def fields_for(row) -> dict:
    values = {
        "comment": "请补充依据",
        "reason": "内容调整",
        "concern": "third_party",
        "published_on": D,
        "unpublished_on": D,
    }
    return {n: values[n] for n in row.required}


def facts_for(row, state) -> DocumentFacts:
    if row.public:
        return (
            REVISING if state is not S.PUBLISHED else DocumentFacts(1, 1, is_public=True, formed_on=date(2026, 2, 27))
        )
    return READY


# (state, action, role, expected target): the whole table, one line per allowed move
EXPECTED = (
    [
        (S.DRAFT, A.SUBMIT, R.CLERK, S.OFFICE_REVIEW),
        (S.OFFICE_REVIEW, A.OFFICE_APPROVE, R.OFFICE_HEAD, S.CONFIDENTIALITY_REVIEW),
        (S.OFFICE_REVIEW, A.OFFICE_RETURN, R.OFFICE_HEAD, S.RETURNED),
        (S.CONFIDENTIALITY_REVIEW, A.CONFIDENTIALITY_PASS, R.CONFIDENTIALITY_REVIEWER, S.LEADER_APPROVAL),
        (S.CONFIDENTIALITY_REVIEW, A.CONFIDENTIALITY_FAIL, R.CONFIDENTIALITY_REVIEWER, S.RETURNED),
        (S.LEADER_APPROVAL, A.LEADER_APPROVE, R.LEADER, S.APPROVED),
        (S.LEADER_APPROVAL, A.LEADER_RETURN, R.LEADER, S.RETURNED),
        (S.APPROVED, A.PUBLISH, R.OFFICE_HEAD, S.PUBLISHED),
        (S.APPROVED, A.PUBLISH, R.CLERK, S.PUBLISHED),
        (S.RETURNED, A.RESUBMIT, R.CLERK, S.OFFICE_REVIEW),
        (S.PUBLISHED, A.REVISE, R.CLERK, S.DRAFT),
        (S.PUBLISHED, A.UNPUBLISH, R.OFFICE_HEAD, S.UNPUBLISHED),
        (S.PUBLISHED, A.UNPUBLISH, R.LEADER, S.UNPUBLISHED),
    ]
    + [(s, A.WITHDRAW, R.CLERK, S.WITHDRAWN) for s in sorted(PRE_PUBLICATION_STATES)]
    + [(s, A.DISCARD_REVISION, R.OFFICE_HEAD, S.PUBLISHED) for s in sorted(PRE_PUBLICATION_STATES)]
)


@pytest.mark.parametrize(("state", "action", "role", "target"), EXPECTED)
def test_every_move_of_the_table(state, action, role, target):
    row = transition_for(state, action)
    assert row is not None
    got = check_transition(
        state, action, actor_roles={role.value}, fields=fields_for(row), facts=facts_for(row, state), today=D
    )
    assert got.to is target
    assert acting_role(got, {role.value, "supervisor"}) is role


def test_the_table_has_exactly_these_moves():
    pairs = {(s, t.action) for t in TRANSITIONS for s in t.sources}
    assert pairs == {(s, a) for s, a, _r, _t in EXPECTED}


@pytest.mark.parametrize("state", sorted(State))
@pytest.mark.parametrize("action", sorted(Action))
def test_a_move_not_in_the_table_is_refused_in_chinese(state, action):
    if transition_for(state, action) is not None:
        return
    with pytest.raises(TransitionNotAllowed) as err:
        check_transition(state, action, actor_roles={r.value for r in Role}, fields={}, facts=READY)
    assert CHINESE.search(err.value.message) and state.label in err.value.message


@pytest.mark.parametrize(("state", "action", "role", "target"), EXPECTED)
def test_other_roles_may_not_make_the_move(state, action, role, target):
    row = transition_for(state, action)
    for other in Role:
        if other in row.actors:
            continue
        with pytest.raises(TransitionNotAllowed, match="应由"):
            check_transition(
                state, action, actor_roles={other.value}, fields=fields_for(row), facts=facts_for(row, state)
            )


def test_the_supervisor_and_unknown_roles_can_do_nothing():
    for state in State:
        assert available_actions(state, {"supervisor", "nobody"}) == []


@pytest.mark.parametrize("action", [A.OFFICE_RETURN, A.LEADER_RETURN])
def test_a_return_needs_a_comment(action):
    state = S.OFFICE_REVIEW if action is A.OFFICE_RETURN else S.LEADER_APPROVAL
    role = R.OFFICE_HEAD if action is A.OFFICE_RETURN else R.LEADER
    for empty in ({}, {"comment": ""}, {"comment": "   "}):
        with pytest.raises(FieldError) as err:
            check_transition(state, action, actor_roles={role.value}, fields=empty)
        assert err.value.field == "comment" and "审核意见" in err.value.message


def test_a_failed_confidentiality_review_gives_its_reason_and_sends_the_document_back():
    with pytest.raises(FieldError) as err:
        check_transition(
            S.CONFIDENTIALITY_REVIEW,
            A.CONFIDENTIALITY_FAIL,
            actor_roles={"confidentiality_reviewer"},
            fields={"concern": "state_secret"},
        )
    assert err.value.field == "reason"
    row = check_transition(
        S.CONFIDENTIALITY_REVIEW,
        A.CONFIDENTIALITY_FAIL,
        actor_roles={"confidentiality_reviewer"},
        fields={"reason": "附件含学生身份证号", "concern": "third_party"},
    )
    assert row.to is S.RETURNED and row.result is Result.FAILED
    with pytest.raises(FieldError, match="不宜公开的情形"):
        check_transition(
            S.CONFIDENTIALITY_REVIEW,
            A.CONFIDENTIALITY_FAIL,
            actor_roles={"confidentiality_reviewer"},
            fields={"reason": "x", "concern": "gossip"},
        )


def test_review_decisions_record_their_result():
    results = {t.action: t.result for t in TRANSITIONS}
    assert results[A.OFFICE_APPROVE] is Result.APPROVED and results[A.LEADER_APPROVE] is Result.APPROVED
    assert results[A.OFFICE_RETURN] is Result.RETURNED and results[A.LEADER_RETURN] is Result.RETURNED
    assert results[A.CONFIDENTIALITY_PASS] is Result.PASSED and results[A.CONFIDENTIALITY_FAIL] is Result.FAILED
    assert results[A.SUBMIT] is None and results[A.PUBLISH] is None


# -- the confidentiality rule --------------------------------------------------------------------------


def _publish(facts: DocumentFacts, on: date = D):
    return check_transition(
        S.APPROVED, A.PUBLISH, actor_roles={"office_head"}, fields={"published_on": on}, facts=facts, today=D
    )


def test_a_document_never_passed_by_the_confidentiality_review_cannot_be_published():
    with pytest.raises(TransitionNotAllowed, match="尚未通过保密审查"):
        _publish(DocumentFacts(current_version=1, confidentiality_passed_version=None))


def test_a_pass_for_an_earlier_version_does_not_cover_the_current_one():
    with pytest.raises(TransitionNotAllowed, match="通过的是第1版，当前为第2版"):
        _publish(DocumentFacts(current_version=2, confidentiality_passed_version=1, is_public=True))


def test_a_pass_for_the_current_version_allows_publication():
    assert _publish(DocumentFacts(current_version=3, confidentiality_passed_version=3)).to is S.PUBLISHED


def test_no_role_gets_around_the_confidentiality_rule():
    for role in Role:
        with pytest.raises(TransitionNotAllowed):
            check_transition(
                S.APPROVED,
                A.PUBLISH,
                actor_roles={role.value},
                fields={"published_on": D},
                facts=DocumentFacts(confidentiality_passed_version=None),
            )


# -- the interpretation rule ---------------------------------------------------------------------------


def test_a_policy_needing_an_interpretation_waits_for_the_approved_interpretation():
    waiting = DocumentFacts(1, 1, needs_interpretation=True, interpretation_ready=False)
    with pytest.raises(TransitionNotAllowed, match="政策解读"):
        _publish(waiting)
    assert _publish(DocumentFacts(1, 1, needs_interpretation=True, interpretation_ready=True)).to is S.PUBLISHED
    # a document without the flag does not care
    assert _publish(DocumentFacts(1, 1, needs_interpretation=False, interpretation_ready=False)).to is S.PUBLISHED


def test_both_blockers_are_named_together():
    blockers = publication_blockers(DocumentFacts(2, None, needs_interpretation=True))
    assert len(blockers) == 2
    with pytest.raises(TransitionNotAllowed) as err:
        _publish(DocumentFacts(2, None, needs_interpretation=True))
    assert "保密审查" in err.value.message and "政策解读" in err.value.message
    assert publication_blockers(READY) == []


# -- dates and fields ------------------------------------------------------------------------------------


def test_publication_date_lies_between_formation_and_today():
    facts = DocumentFacts(1, 1, formed_on=date(2026, 2, 27))
    with pytest.raises(FieldError, match="晚于今天"):
        _publish(facts, date(2026, 3, 3))
    with pytest.raises(FieldError, match="早于成文日期"):
        _publish(facts, date(2026, 2, 26))
    with pytest.raises(FieldError) as err:
        check_transition(S.APPROVED, A.PUBLISH, actor_roles={"clerk"}, fields={}, facts=facts)
    assert err.value.field == "published_on"
    with pytest.raises(FieldError, match="应为日期"):
        check_transition(
            S.APPROVED, A.PUBLISH, actor_roles={"clerk"}, fields={"published_on": "2026-03-02"}, facts=facts
        )


def test_unpublishing_needs_a_reason_and_a_date_and_is_irreversible():
    facts = DocumentFacts(1, 1, is_public=True)
    with pytest.raises(FieldError) as err:
        check_transition(
            S.PUBLISHED, A.UNPUBLISH, actor_roles={"office_head"}, fields={"unpublished_on": D}, facts=facts
        )
    assert err.value.field == "reason"
    row = check_transition(
        S.PUBLISHED,
        A.UNPUBLISH,
        actor_roles={"office_head"},
        fields={"reason": "文件内容已过时", "unpublished_on": D},
        facts=facts,
    )
    assert row.irreversible and row.to in TERMINAL_STATES
    with pytest.raises(TransitionNotAllowed, match="已下架"):
        check_transition(S.UNPUBLISHED, A.PUBLISH, actor_roles={"office_head"}, fields={"published_on": D}, facts=READY)


def test_withdrawal_is_only_before_any_publication():
    assert (
        check_transition(
            S.OFFICE_REVIEW, A.WITHDRAW, actor_roles={"clerk"}, fields={"reason": "不再公开"}, facts=READY
        ).to
        is S.WITHDRAWN
    )
    with pytest.raises(TransitionNotAllowed, match="放弃修订"):
        check_transition(S.OFFICE_REVIEW, A.WITHDRAW, actor_roles={"clerk"}, fields={"reason": "x"}, facts=REVISING)
    with pytest.raises(TransitionNotAllowed, match="尚未公开"):
        check_transition(S.DRAFT, A.DISCARD_REVISION, actor_roles={"clerk"}, fields={"reason": "x"}, facts=READY)
    with pytest.raises(TransitionNotAllowed, match="已公开"):
        check_transition(S.PUBLISHED, A.WITHDRAW, actor_roles={"clerk"}, fields={"reason": "x"}, facts=READY)


def test_the_whole_walk_of_a_document():
    state, facts = S.DRAFT, DocumentFacts(current_version=1, formed_on=date(2026, 2, 27))
    walk = [
        (A.SUBMIT, "clerk", {}),
        (A.OFFICE_RETURN, "office_head", {"comment": "文号有误"}),
        (A.RESUBMIT, "clerk", {"comment": "已更正"}),
        (A.OFFICE_APPROVE, "office_head", {}),
        (A.CONFIDENTIALITY_PASS, "confidentiality_reviewer", {}),
        (A.LEADER_APPROVE, "leader", {"comment": "同意公开"}),
        (A.PUBLISH, "office_head", {"published_on": D}),
    ]
    for action, role, fields in walk:
        row = check_transition(state, action, actor_roles={role}, fields=fields, facts=facts, today=D)
        state = row.to
        if action is A.CONFIDENTIALITY_PASS:
            facts = DocumentFacts(current_version=1, confidentiality_passed_version=1, formed_on=facts.formed_on)
    assert state is S.PUBLISHED


# -- buttons, queues, editing ---------------------------------------------------------------------------


def test_available_actions_per_role():
    assert available_actions(S.DRAFT, {"clerk"}, READY) == [A.SUBMIT, A.WITHDRAW]
    assert available_actions(S.DRAFT, {"clerk"}, REVISING) == [A.SUBMIT, A.DISCARD_REVISION]
    assert available_actions(S.DRAFT, {"clerk"}) == [A.SUBMIT, A.WITHDRAW, A.DISCARD_REVISION]
    assert available_actions(S.OFFICE_REVIEW, {"office_head"}, READY) == [A.OFFICE_APPROVE, A.OFFICE_RETURN, A.WITHDRAW]
    assert available_actions(S.CONFIDENTIALITY_REVIEW, {"confidentiality_reviewer"}) == [
        A.CONFIDENTIALITY_PASS,
        A.CONFIDENTIALITY_FAIL,
    ]
    assert available_actions(S.LEADER_APPROVAL, {"leader"}) == [A.LEADER_APPROVE, A.LEADER_RETURN]
    # 发布公开 stays listed although blocked: the page says why
    assert A.PUBLISH in available_actions(S.APPROVED, {"clerk"}, DocumentFacts(confidentiality_passed_version=None))
    assert available_actions(S.PUBLISHED, {"leader"}, REVISING) == [A.UNPUBLISH]
    for state in TERMINAL_STATES:
        assert available_actions(state, {r.value for r in Role}) == []


def test_queues():
    assert awaiting_states({"clerk"}) == {S.DRAFT, S.RETURNED, S.APPROVED}
    assert awaiting_states({"office_head"}) == {S.DRAFT, S.RETURNED, S.OFFICE_REVIEW, S.APPROVED}
    assert awaiting_states({"confidentiality_reviewer"}) == {S.CONFIDENTIALITY_REVIEW}
    assert awaiting_states({"leader"}) == {S.LEADER_APPROVAL}
    assert awaiting_states({"supervisor"}) == frozenset()


def test_content_is_edited_only_in_draft_or_returned_or_by_revising_a_published_document():
    for state in State:
        if state in EDITABLE_STATES or state is S.PUBLISHED:
            check_edit(state, {"clerk"})
            continue
        with pytest.raises(TransitionNotAllowed) as err:
            check_edit(state, {"clerk"})
        assert CHINESE.search(err.value.message)
    with pytest.raises(TransitionNotAllowed, match="经办人或办公室主任"):
        check_edit(S.DRAFT, {"leader", "confidentiality_reviewer"})


def test_labels_are_chinese_and_unknown_values_are_refused():
    for enum in (State, Action, Role, Result):
        for member in enum:
            assert CHINESE.search(member.label)
    for spec in FIELD_SPECS.values():
        assert CHINESE.search(spec.label)
    with pytest.raises(DomainError, match="未知的文件状态"):
        check_transition("lost", "submit", actor_roles={"clerk"}, fields={})
    with pytest.raises(DomainError, match="未知的操作"):
        check_transition("draft", "shred", actor_roles={"clerk"}, fields={})

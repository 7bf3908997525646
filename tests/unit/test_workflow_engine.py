"""The workflow engine: the check and its Chinese refusals, the table's self-check, the history contract,
and the workflows built on it (their tables pass the self-check; one vocabulary across them)."""

import re
from enum import StrEnum

import pytest

from gongkai.domain.annual_report import workflow as annual
from gongkai.domain.applications import workflow as applications
from gongkai.domain.disclosure import workflow as disclosure
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError, FieldKind, FieldSpec, field_registry
from gongkai.domain.proposals import workflow as proposals
from gongkai.domain.roles import STAFF_ROLES, Role
from gongkai.domain.workflow import Workflow, row
from gongkai.domain.workorders import workflow as workorders

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WORKFLOWS = {
    "applications": applications.WORKFLOW,
    "disclosure": disclosure.WORKFLOW,
    "annual": annual.WORKFLOW,
    "proposals": proposals.WORKFLOW,
    "workorders": workorders.WORKFLOW,
}


LABELS = {"open": "待办", "checked": "已核", "done": "办结", "check": "核对", "send_back": "退回", "close": "办结归档"}


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return LABELS[self.value]


class S(Labelled):
    OPEN, CHECKED, DONE = "open", "checked", "done"


class A(Labelled):
    CHECK, SEND_BACK, CLOSE = "check", "send_back", "close"


SPECS = field_registry(
    FieldSpec("comment", "意见", FieldKind.TEXT), FieldSpec("count", "件数", FieldKind.INTEGER, minimum=1)
)
ROWS = (
    row(A.CHECK, {S.OPEN}, S.CHECKED, {Role.CLERK}, optional=("count",)),
    row(
        A.SEND_BACK,
        {S.CHECKED},
        S.OPEN,
        {Role.OFFICE_HEAD},
        required=("comment",),
        returns=True,
        labels={"comment": "退回意见"},
    ),
    row(A.CLOSE, {S.CHECKED}, S.DONE, {Role.OFFICE_HEAD, Role.LEADER}, irreversible=True),
)


def toy(rows=ROWS, states=S, actions=A, **kw) -> Workflow:
    args = dict(
        subject="事项",
        state_word="事项状态",
        states=states,
        actions=actions,
        transitions=rows,
        field_specs=SPECS,
        initial={S.OPEN},
        terminal={S.DONE},
    )
    return Workflow(**{**args, **kw})


def test_a_move_the_table_allows_returns_its_row():
    wf = toy()
    t = wf.check(S.OPEN, "check", actor_roles={"clerk", "stranger"}, fields={"count": 2})
    assert (t.action, t.to, t.button) == (A.CHECK, S.CHECKED, "核对")


def test_the_wrong_state_is_refused_naming_where_the_move_is_allowed():
    with pytest.raises(TransitionNotAllowed) as err:
        toy().check(S.OPEN, A.CLOSE, actor_roles={"leader"}, fields={})
    assert err.value.message == "事项处于“待办”状态，不能“办结归档”（仅在“已核”状态下可以）"


def test_a_finished_piece_of_work_says_so():
    with pytest.raises(TransitionNotAllowed) as err:
        toy(terminal_note="办理已结束，").check(S.DONE, A.CHECK, actor_roles={"clerk"}, fields={})
    assert err.value.message == "事项已“办结”，办理已结束，不能再“核对”"


def test_the_wrong_role_is_refused_naming_who_may_act():
    with pytest.raises(TransitionNotAllowed) as err:
        toy().check(S.CHECKED, A.CLOSE, actor_roles={"clerk"}, fields={})
    assert err.value.message == "“办结归档”应由办公室主任或局领导操作"


def test_fields_are_checked_with_the_label_of_the_row():
    wf = toy()
    with pytest.raises(FieldError) as err:
        wf.check(S.CHECKED, A.SEND_BACK, actor_roles={"office_head"}, fields={"comment": "  "})
    assert (err.value.field, err.value.message) == ("comment", "请填写“退回意见”")
    with pytest.raises(FieldError, match="件数"):
        wf.check(S.OPEN, A.CHECK, actor_roles={"clerk"}, fields={"count": 0})
    assert wf.field_label(ROWS[1], "comment") == "退回意见" and wf.field_label(ROWS[0], "count") == "件数"


def test_unknown_values_are_domain_errors_naming_what_they_are():
    with pytest.raises(DomainError, match="未知的事项状态"):
        toy().check("lost", A.CHECK, actor_roles={"clerk"}, fields={})
    with pytest.raises(DomainError, match="未知的操作"):
        toy().check(S.OPEN, "burn", actor_roles={"clerk"}, fields={})


def test_buttons_follow_the_table_roles_and_the_workflows_own_filter():
    wf = toy()
    assert wf.available_actions(S.CHECKED, {"office_head"}) == [A.SEND_BACK, A.CLOSE]
    assert wf.available_actions(S.CHECKED, {"office_head"}, keep=lambda t: not t.irreversible) == [A.SEND_BACK]
    assert wf.available_actions(S.CHECKED, {"clerk"}) == []
    assert wf.transition_for(S.OPEN, A.CLOSE) is None


def test_the_acting_role_is_the_first_held_in_role_order():
    wf = toy()
    assert wf.acting_role(ROWS[2], {"leader", "office_head"}) is Role.OFFICE_HEAD
    with pytest.raises(TransitionNotAllowed):
        wf.acting_role(ROWS[2], {"clerk"})


def test_the_history_contract_records_role_comment_and_the_other_fields():
    wf = toy()
    t = wf.check(S.CHECKED, A.SEND_BACK, actor_roles={"office_head"}, fields={"comment": " 补充材料 "})
    move = wf.move(t, from_state="checked", actor_roles={"office_head"}, fields={"comment": " 补充材料 ", "x": ""})
    assert (move.action, move.from_state, move.to_state, move.role, move.comment, dict(move.details)) == (
        "send_back",
        "checked",
        "open",
        "office_head",
        "补充材料",
        {},
    )
    assert move.change_reason("李华") == "李华：退回"
    t = wf.check(S.OPEN, A.CHECK, actor_roles={"clerk"}, fields={"count": 3})
    assert dict(wf.move(t, from_state=S.OPEN, actor_roles={"clerk"}, fields={"count": 3}).details) == {"count": 3}


# -- the self-check: a broken table cannot be built ------------------------------------------------


def _broken(**kw) -> str:
    with pytest.raises(RuntimeError) as err:
        toy(**kw)
    return str(err.value)


def test_a_pair_of_state_and_action_names_one_row():
    assert "open twice" in _broken(rows=ROWS + (row(A.CHECK, {S.OPEN}, S.DONE, {Role.CLERK}),))


def test_no_move_leaves_a_terminal_state():
    assert "from terminal done" in _broken(rows=ROWS + (row(A.CHECK, {S.DONE}, S.OPEN, {Role.CLERK}),))


def test_every_field_has_a_spec():
    assert "unknown field page" in _broken(
        rows=(row(A.CHECK, {S.OPEN}, S.CHECKED, {Role.CLERK}, required=("page",)), *ROWS[1:])
    )


def test_a_return_must_say_why():
    assert "a return must say why" in _broken(
        rows=(ROWS[0], row(A.SEND_BACK, {S.CHECKED}, S.OPEN, {Role.OFFICE_HEAD}, returns=True), ROWS[2])
    )


def test_every_state_is_reachable_and_has_a_way_out():
    problems = _broken(rows=(ROWS[0], ROWS[1]))
    assert "done: unreachable" in problems and "checked" not in problems.split("unreachable")[0]
    assert "close: not in the table" in problems
    assert "checked: no way out" in _broken(rows=(ROWS[0],), actions=A, terminal=set())


def test_targets_are_states():
    assert "is not a state" in _broken(rows=(row(A.CHECK, {S.OPEN}, "checked", {Role.CLERK}), *ROWS[1:]))


def test_button_words_are_unique_also_before_a_bracket_or_a_slash(monkeypatch):
    monkeypatch.setitem(LABELS, "check", "撤回（不予办理）")
    monkeypatch.setitem(LABELS, "close", "撤回/下架")
    assert "button word “撤回” of close also begins check" in _broken()
    monkeypatch.setitem(LABELS, "close", "撤回（不予办理）")
    assert "button word “撤回”" in _broken()


# -- the workflows on the engine -------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKFLOWS)
def test_each_workflows_table_passes_the_self_check(name):
    assert WORKFLOWS[name].problems() == []


@pytest.mark.parametrize("name", WORKFLOWS)
def test_button_words_are_unique_within_each_workflow(name):
    words = [a.label for a in WORKFLOWS[name].actions]
    assert len(words) == len(set(words)) and all(CHINESE.search(w) for w in words)


def test_the_two_ways_to_take_a_document_out_read_differently():
    withdraw, unpublish = disclosure.Action.WITHDRAW.label, disclosure.Action.UNPUBLISH.label
    assert withdraw.startswith("撤回") and not unpublish.startswith("撤回")
    assert unpublish.startswith("下架") and disclosure.State.UNPUBLISHED.label == "已下架"


def test_the_review_stages_have_one_name_in_both_reviews():
    for review in (disclosure, annual):
        assert review.State.OFFICE_REVIEW.label == "办公室主任审核"
        assert review.State.LEADER_APPROVAL.label == "局领导审批"
        assert review.State.DRAFT in review.WORKFLOW.initial
    assert disclosure.Action.OFFICE_APPROVE.label == annual.Action.OFFICE_APPROVE.label == "办公室主任审核通过"
    assert disclosure.Action.OFFICE_RETURN.label == annual.Action.OFFICE_RETURN.label == "办公室主任退回修改"
    assert disclosure.Action.LEADER_RETURN.label == annual.Action.LEADER_RETURN.label == "局领导退回修改"


def test_the_staff_roles_keep_the_values_the_database_holds():
    assert [(r.value, r.label) for r in STAFF_ROLES] == [
        ("clerk", "经办人"),
        ("office_head", "办公室主任"),
        ("leader", "局领导"),
        ("confidentiality_reviewer", "保密审查员"),
        ("supervisor", "上级政务公开办"),
        ("unit_staff", "承办人"),
        ("unit_head", "股室负责人"),
        ("legal_reviewer", "法制审核人员"),
    ]

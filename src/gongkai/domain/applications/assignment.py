"""Internal routing (承办): the office sends a case to the units that hold the information.

The disclosure office receives an application, but the information sits with a 股室, a 直属单位 or a
school. The office assigns the case to one or more units at once (会签), each with an internal
deadline; a unit signs for it, then supplies what it found (files) and a 拟办意见 (the outcome it
proposes and why), or returns it with a reason (不属于本单位: the office assigns it elsewhere)::

    已交办 ─accept→ 承办中 ─answer→ 已提交承办意见
       │               │
       └──── return_to_office (with a reason) ──→ 已退回
       └──── withdraw (the office) ───────────→ 已收回

Each assignment runs this table on the engine (:mod:`gongkai.domain.workflow`). Nothing here moves
the case itself: the statutory clocks run on the case's own log, and the office alone replies. The
internal deadline is always before the statutory reply deadline (:func:`internal_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldKind, FieldSpec, field_registry
from gongkai.domain.outcomes import OUTCOMES
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition, Workflow, row

# The per-agency default of the internal deadline, in working days after the assignment.
DEFAULT_INTERNAL_WORKING_DAYS = 10


class State(StrEnum):
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    ANSWERED = "answered"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


_STATE_LABELS = {
    State.ASSIGNED: "已交办",
    State.ACCEPTED: "承办中",
    State.ANSWERED: "已提交承办意见",
    State.RETURNED: "已退回",
    State.WITHDRAWN: "已收回",
}

# The states in which the unit still owes an answer (the internal deadline counts).
OPEN_STATES: frozenset[State] = frozenset({State.ASSIGNED, State.ACCEPTED})


class Action(StrEnum):
    ACCEPT = "accept"
    ANSWER = "answer"
    RETURN_TO_OFFICE = "return_to_office"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ACCEPT: "签收",
    Action.ANSWER: "提交承办意见",
    Action.RETURN_TO_OFFICE: "退回办公室",
    Action.WITHDRAW: "收回交办",
}

# Why a unit returns a case. 不属于本单位 asks the office to assign it elsewhere.
RETURN_KINDS = {
    "not_ours": "不属于本单位",
    "other": "其他原因",
}

# The outcomes a unit may propose: the reply outcomes of 第三十六条 as the letters name them.
# (not those only the applicant's own conduct brings about: a withdrawal, a lapsed correction or fee)
_NOT_PROPOSED = {"withdrawn", "abandoned_no_correction", "abandoned_fee_unpaid"}
PROPOSED_OUTCOMES = {o.code: o.label for o in OUTCOMES if o.code not in _NOT_PROPOSED}

_UNIT = (Role.UNIT_STAFF, Role.UNIT_HEAD)
_OFFICE = (Role.CLERK, Role.OFFICE_HEAD)

FIELD_SPECS = field_registry(
    FieldSpec("proposed_outcome", "拟办结果", FieldKind.CHOICE, choices=PROPOSED_OUTCOMES),
    FieldSpec("opinion", "拟办意见（理由）", FieldKind.TEXT),
    FieldSpec("return_kind", "退回原因类别", FieldKind.CHOICE, choices=RETURN_KINDS),
    FieldSpec("reason", "退回理由", FieldKind.TEXT),
    FieldSpec("comment", "说明", FieldKind.TEXT),
)

TRANSITIONS: tuple[Transition[State, Action], ...] = (
    row(Action.ACCEPT, [State.ASSIGNED], State.ACCEPTED, _UNIT, optional=("comment",)),
    row(
        Action.ANSWER,
        [State.ASSIGNED, State.ACCEPTED],
        State.ANSWERED,
        _UNIT,
        required=("proposed_outcome", "opinion"),
        irreversible=True,
    ),
    row(
        Action.RETURN_TO_OFFICE,
        [State.ASSIGNED, State.ACCEPTED],
        State.RETURNED,
        _UNIT,
        required=("return_kind", "reason"),
        returns=True,
        irreversible=True,
    ),
    row(Action.WITHDRAW, [State.ASSIGNED, State.ACCEPTED], State.WITHDRAWN, _OFFICE, optional=("comment",)),
)

WORKFLOW: Workflow[State, Action] = Workflow(
    subject="交办件",
    state_word="承办状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial=[State.ASSIGNED],
    terminal=[State.ANSWERED, State.RETURNED, State.WITHDRAWN],
    terminal_note="承办已结束，",
)

# What the case log (CaseEvent.action) calls each step of an assignment; the case's clocks skip them.
LOG_ASSIGN = "unit_assign"
LOG_ACTIONS: dict[str, str] = {
    LOG_ASSIGN: "交办承办单位",
    "unit_accept": "承办单位签收",
    "unit_answer": "承办单位提交承办意见",
    "unit_return_to_office": "承办单位退回办公室",
    "unit_withdraw": "办公室收回交办",
    "unit_chase": "督办",
    "unit_due_moved": "内部办理期限随法定期限调整",
}
LOG_CHASE = "unit_chase"
LOG_DUE_MOVED = "unit_due_moved"


def log_action(action: Action | str) -> str:
    """The case-log name of an assignment action (``unit_accept``…)."""
    return f"unit_{Action(action).value}"


@dataclass(frozen=True)
class InternalDue:
    due: date
    capped: bool  # the default would have reached the statutory deadline: the day before it is taken
    note: str  # said to the office (and kept in the log) when capped


def _last_working_day_before(d: date, calendar: WorkingCalendar) -> date:
    day = d - timedelta(days=1)
    for _ in range(40):  # the longest run of non-working days (the Spring Festival) is far shorter
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    raise DomainError(f"{d}之前没有工作日")


def internal_due(
    *,
    assigned_on: date,
    reply_due: date | None,
    calendar: WorkingCalendar,
    working_days: int = DEFAULT_INTERNAL_WORKING_DAYS,
    requested: date | None = None,
) -> InternalDue:
    """The unit's internal deadline: ``requested`` if the office gave one, else ``working_days``
    working days after ``assigned_on``; always before the statutory ``reply_due``.

    A requested date on or after the statutory deadline is refused; a default that reaches it is
    capped to the last working day before it, and the office is told. The unit must be able to
    answer before the office replies (第三十三条: 20 working days, the office needs time to draft,
    have the reply signed and send it).
    """
    if reply_due is None:
        raise DomainError("该申请尚无法定答复期限（未确认收到或期限暂停计算），暂不能设定内部办理期限")
    if reply_due <= assigned_on:
        raise DomainError(f"法定答复期限（{_cn(reply_due)}）已到，不能再交办承办单位，请由办公室直接答复")
    if requested is not None:
        if requested < assigned_on:
            raise DomainError(f"内部办理期限（{_cn(requested)}）不能早于交办日期（{_cn(assigned_on)}）")
        if requested >= reply_due:
            raise DomainError(
                f"内部办理期限（{_cn(requested)}）应早于法定答复期限（{_cn(reply_due)}），"
                f"最晚为{_cn(_last_working_day_before(reply_due, calendar))}"
            )
        if not calendar.is_working_day(requested):
            raise DomainError(f"内部办理期限（{_cn(requested)}）不是工作日，请选择工作日")
        return InternalDue(requested, False, "")
    if working_days < 1:
        raise DomainError("内部办理期限的工作日数应至少为1")
    due = calendar.add_working_days(assigned_on, working_days)
    if due < reply_due:
        return InternalDue(due, False, "")
    capped = _last_working_day_before(reply_due, calendar)
    if capped < assigned_on:
        raise DomainError(f"距法定答复期限（{_cn(reply_due)}）已无工作日，不能再交办承办单位，请由办公室直接答复")
    note = (
        f"按{working_days}个工作日计算的内部办理期限（{_cn(due)}）不早于法定答复期限（{_cn(reply_due)}），"
        f"已提前至{_cn(capped)}"
    )
    return InternalDue(capped, True, note)


def follow_reply_due(
    *,
    due: date,
    chosen: bool,
    old_reply_due: date,
    new_reply_due: date,
    calendar: WorkingCalendar,
) -> InternalDue:
    """Where an open assignment's internal deadline goes when the case's statutory reply deadline
    moves from ``old_reply_due`` to ``new_reply_due``.

    The statutory deadline moves when its clock pauses (第三十条 补正: counted again from the corrected
    request; 第三十二条 third-party consultation and the fee notice of 国办函〔2020〕109号: the days
    are not counted), when it is extended (第三十三条第二款 延期), or when a year's holiday notice is
    entered. The unit works on the same request, so a deadline set by the agency's default number of
    working days moves by as many working days as the statutory one did; a date the office chose is
    kept. Either way it stays before the statutory deadline (the office still drafts, has the reply
    signed and sends it): one that would reach it is moved to the last working day before it, and
    the note says so in Chinese.
    """
    if chosen:
        moved = due
    else:
        moved = _shift(due, calendar.working_days_between(old_reply_due, new_reply_due), calendar)
    if not calendar.is_working_day(moved):  # a holiday notice entered since made it a day off
        moved = _last_working_day_before(moved, calendar)
    if moved < new_reply_due:
        return InternalDue(moved, False, "")
    capped = _last_working_day_before(new_reply_due, calendar)
    what = "办公室指定的内部办理期限" if chosen else "顺延后的内部办理期限"
    note = f"{what}（{_cn(moved)}）不早于法定答复期限（{_cn(new_reply_due)}），已提前至{_cn(capped)}"
    return InternalDue(capped, True, note)


def _shift(d: date, working_days: int, calendar: WorkingCalendar) -> date:
    if working_days >= 0:
        return calendar.add_working_days(d, working_days)
    for _ in range(-working_days):
        d = _last_working_day_before(d, calendar)
    return d


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- 督办: a unit past its internal deadline is reminded, then its head, then the office head is told

# (level, working days past the internal deadline from which it applies, what the log says)
CHASE_STEPS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "提醒承办单位"),
    (2, 3, "告知股室负责人"),
    (3, 5, "报告办公室主任"),
)


def chase_level(*, due: date, today: date, calendar: WorkingCalendar) -> int:
    """How far a unit that has not answered by ``due`` is chased on ``today``: 0 (not late), 1 from
    the first working day after the deadline, 2 from the third, 3 from the fifth (see CHASE_STEPS)."""
    if today <= due:
        return 0
    late = calendar.working_days_between(due, today)
    return max((level for level, days, _ in CHASE_STEPS if late >= days), default=0)

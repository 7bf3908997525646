"""Work orders from hotlines and online platforms (热线和网络平台工单), as a transition table.

The 12345 hotline, a provincial online platform such as 民心网 and the leader's mailbox (局长信箱)
hand the agency work orders: each has the platform's number, a category (咨询 / 求助 / 投诉 / 建议 /
举报), the time it was received and a deadline by the platform's rule. The office assigns it to the
unit that handles it, replies through the platform, and records the citizen's rating; a platform
may send an order back (退回重办) after the reply or after the rating::

    待分派 ─assign→ 办理中 ─reply→ 已答复 ─rate→ 已办结
                      ↑                │ reopen (with the reason)     │ reopen
                   重新办理 ←─────────────┴──────────────────────────────┘
                      └─reply→ 已答复 …

The deadline is a per-platform setting, in working days (counted after the day of receipt on the
agency's working calendar, skipping holidays and counting make-up working days) or in hours (counted
on the clock from the time of receipt): :func:`due_date`. An order is on time when its first reply
is dated on or before the day the deadline ends (:func:`on_time`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from gongkai.domain.calendar import DueDate, WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError, FieldKind, FieldSpec, field_registry
from gongkai.domain.rates import rate_text
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition, Workflow, row


class Platform(StrEnum):
    HOTLINE = "12345"  # 12345政务服务便民热线
    PROVINCIAL = "provincial"  # 省级网上平台（如民心网）
    MAILBOX = "mailbox"  # 局长信箱

    @property
    def label(self) -> str:
        return PLATFORM_LABELS[self.value]


PLATFORM_LABELS: Mapping[str, str] = {
    "12345": "12345政务服务便民热线",
    "provincial": "省级网上平台（民心网）",
    "mailbox": "局长信箱",
}


class Category(StrEnum):
    CONSULT = "consult"
    HELP = "help"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    REPORT = "report"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.value]


CATEGORY_LABELS: Mapping[str, str] = {
    "consult": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "suggestion": "建议",
    "report": "举报",
}


def category_from_text(text: str) -> Category | None:
    """The category a platform's export names: "投诉", "投诉类", "咨询件" (None if none fits)."""
    t = (text or "").strip().rstrip("类件").strip()
    for value, label in CATEGORY_LABELS.items():
        if t == label:
            return Category(value)
    return None


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    HOURS = "hours"

    @property
    def label(self) -> str:
        return {Unit.WORKING_DAYS: "个工作日", Unit.HOURS: "小时"}[self]


@dataclass(frozen=True)
class DeadlineRule:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise DomainError("办理时限应至少为1")

    @property
    def text(self) -> str:
        return f"{self.amount}{Unit(self.unit).label}"


# The defaults before the agency sets its platforms' rules (local rules differ: these are settings).
DEFAULT_RULES: Mapping[str, DeadlineRule] = {
    "12345": DeadlineRule(5, Unit.WORKING_DAYS),
    "provincial": DeadlineRule(5, Unit.WORKING_DAYS),
    "mailbox": DeadlineRule(15, Unit.WORKING_DAYS),
}


def due_date(received_at: datetime, rule: DeadlineRule, *, calendar: WorkingCalendar) -> date:
    """The day the reply is due. Working days count from the day after receipt (the day of receipt is
    day 0), skipping the days the ``calendar`` says are off (holidays and rest days) and counting
    make-up working days; hours count on the clock from the time of receipt, and the deadline is
    the day on which the last hour ends."""
    return due(received_at, rule, calendar=calendar).due


def due(received_at: datetime, rule: DeadlineRule, *, calendar: WorkingCalendar) -> DueDate:
    """:func:`due_date` with the years whose missing holiday notices make it provisional (预计): a
    count in working days over a year whose notice is not entered yet is only a lower bound, the
    same rule as the applications' deadlines; a count in hours never depends on the calendar."""
    if Unit(rule.unit) is Unit.HOURS:
        return DueDate((received_at + timedelta(hours=rule.amount)).date())
    return calendar.due_date(received_at.date(), rule.amount)


def on_time(due: date, replied_on: date | None) -> bool:
    return replied_on is not None and replied_on <= due


class State(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.RECEIVED: "待分派",
    State.ASSIGNED: "办理中",
    State.REPLIED: "已答复",
    State.CLOSED: "已办结",
    State.REOPENED: "重新办理",
}

OPEN_STATES: frozenset[State] = frozenset({State.RECEIVED, State.ASSIGNED, State.REOPENED})


class Action(StrEnum):
    ASSIGN = "assign"
    REPLY = "reply"
    RATE = "rate"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ASSIGN: "分派承办单位",
    Action.REPLY: "登记答复",
    Action.RATE: "登记群众评价",
    Action.REOPEN: "退回重办",
}


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    NONE = "none"

    @property
    def label(self) -> str:
        return RATING_LABELS[self.value]


RATING_LABELS: Mapping[str, str] = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
    "none": "未评价",
}
# The ratings that count as satisfied in a satisfaction rate (满意率 = (满意 + 基本满意) / 已评价).
SATISFIED_RATINGS = frozenset({"satisfied", "basically_satisfied"})

FIELD_SPECS: Mapping[str, FieldSpec] = field_registry(
    FieldSpec("unit", "承办单位", FieldKind.TEXT),
    FieldSpec("reply_text", "答复内容", FieldKind.TEXT),
    FieldSpec("replied_on", "答复日期", FieldKind.DATE),
    FieldSpec("rating", "群众评价", FieldKind.CHOICE, choices=RATING_LABELS),
    FieldSpec("rated_on", "评价日期", FieldKind.DATE),
    FieldSpec("comment", "意见", FieldKind.TEXT),
)

_S, _A, _R = State, Action, Role
_STAFF = {_R.CLERK, _R.OFFICE_HEAD}

TRANSITIONS: tuple[Transition, ...] = (
    row(_A.ASSIGN, {_S.RECEIVED}, _S.ASSIGNED, _STAFF, required=("unit",), optional=("comment",)),
    row(_A.REPLY, {_S.ASSIGNED, _S.REOPENED}, _S.REPLIED, _STAFF, required=("reply_text", "replied_on")),
    row(_A.RATE, {_S.REPLIED}, _S.CLOSED, _STAFF, required=("rating", "rated_on"), optional=("comment",)),
    row(
        _A.REOPEN,
        {_S.REPLIED, _S.CLOSED},
        _S.REOPENED,
        _STAFF,
        required=("comment",),
        labels={"comment": "退回理由"},
        returns=True,
    ),
)

WORKFLOW: Workflow[State, Action] = Workflow(
    subject="工单",
    state_word="办理状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial={State.RECEIVED},
)


@dataclass(frozen=True)
class OrderFacts:
    received_on: date | None = None
    replied_on: date | None = None


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: Iterable[str],
    fields: Mapping[str, Any],
    facts: OrderFacts = OrderFacts(),
    today: date,
) -> Transition:
    """The row that allows this move; a DomainError in Chinese otherwise (dates not in the future,
    a reply not before receipt, a rating not before the reply)."""
    t = WORKFLOW.check(state, action, actor_roles=actor_roles, fields=fields)
    for name, label, earliest, what in (
        ("replied_on", "答复日期", facts.received_on, "受理日期"),
        ("rated_on", "评价日期", facts.replied_on, "答复日期"),
    ):
        value = fields.get(name)
        if name not in t.field_names or value is None:
            continue
        if value > today:
            raise FieldError(name, f"“{label}”不能晚于今天（{today:%Y-%m-%d}）")
        if earliest is not None and value < earliest:
            raise FieldError(name, f"“{label}”不能早于{what}（{earliest:%Y-%m-%d}）")
    if t.action is Action.ASSIGN and not str(fields["unit"]).strip():
        raise TransitionNotAllowed("请填写“承办单位”")
    return t


def available_actions(state: State | str, actor_roles: Iterable[str]) -> list[Action]:
    return WORKFLOW.available_actions(state, actor_roles)


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    days_left: int
    overdue: bool

    @property
    def text(self) -> str:
        if self.overdue:
            return f"已逾期{-self.days_left}日"
        if self.days_left == 0:
            return "今日到期"
        return f"剩余{self.days_left}日"


def deadline_status(due: date, *, today: date, state: State | str) -> DeadlineStatus | None:
    """Where an open order stands against its deadline (None once replied)."""
    if WORKFLOW.state(state) not in OPEN_STATES:
        return None
    days = (due - today).days
    return DeadlineStatus(due=due, days_left=days, overdue=days < 0)


# -- the figures the annual report quotes ------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One group's counts and rates (回复率 = replied / received; 按时答复率 = on time / received;
    满意率 = (满意 + 基本满意) / rated, the orders with a rating other than 未评价)."""

    received: int
    replied: int
    on_time: int
    rated: int
    satisfied: int

    def __post_init__(self) -> None:
        if not (0 <= self.replied <= self.received and 0 <= self.on_time <= self.replied):
            raise DomainError("统计数字不一致：答复数不能多于收到数，按时答复数不能多于答复数")
        if not 0 <= self.satisfied <= self.rated <= self.replied:
            raise DomainError("统计数字不一致：满意数不能多于评价数，评价数不能多于答复数")

    @staticmethod
    def _rate(part: int, whole: int) -> str:
        return rate_text(part, whole)  # never 100% with one unanswered (gongkai.domain.rates)

    @property
    def reply_rate(self) -> str:
        return self._rate(self.replied, self.received)

    @property
    def on_time_rate(self) -> str:
        return self._rate(self.on_time, self.received)

    @property
    def satisfaction_rate(self) -> str:
        return self._rate(self.satisfied, self.rated)

    def sentence(self, what: str = "工单") -> str:
        """The sentence the annual report's 总体情况 uses: 收到13件，回复13件，回复率100%."""
        return f"收到{what}{self.received}件，回复{self.replied}件，回复率{self.reply_rate}"

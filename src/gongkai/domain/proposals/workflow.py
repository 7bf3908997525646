"""The handling of deputies' suggestions and members' proposals (建议提案办理), as a transition table.

The government office assigns (交办) an NPC deputy's suggestion (人大代表建议) or a CPPCC member's
proposal (政协委员提案) to the agency, which handles it as the lead unit (主办) or with co-units
(会办/协办). The clerk registers it, talks with the deputy before replying (沟通记录), drafts the
reply letter (答复函) with its category, and the leader signs it; the deputy's feedback closes it, or,
when he or she is not satisfied, the agency handles it a second time::

    已交办 ─accept→ 办理中 ─submit_reply→ 答复待签发 ─sign→ 已答复 ─feedback→ 已反馈
                      ↑ (contact, in 办理中 / 二次办理)   │ return_reply (with a comment) → 办理中 / 二次办理
                                                       已答复 ─rehandle (不满意)→ 二次办理 ─submit_reply→ …
    (publish / withhold, in 已答复 or 已反馈: whether the reply goes to the column 建议提案复文公开)

The categories are those of the reply letters (A 已解决或采纳 / B 正在解决或列入计划 / C 因条件限制等
暂时不能解决); the feedback is 满意 / 基本满意 / 不满意. A reply is due three calendar months after
the assignment unless the agency sets otherwise (urgent items shorter), moved off a holiday: see
:func:`due_date`.

The table is data run by the engine (:mod:`gongkai.domain.workflow`); :func:`check_transition`
adds what the table cannot say (a reply needs a contact first, 不满意 in the first round goes to a
second handling, the publication choice is made once, dates not in the future).
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from gongkai.domain.calendar import DueDate, WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError, FieldKind, FieldSpec, field_registry
from gongkai.domain.roles import Role
from gongkai.domain.workflow import Transition, Workflow, row


class Kind(StrEnum):
    SUGGESTION = "suggestion"  # 人大代表建议
    PROPOSAL = "proposal"  # 政协委员提案

    @property
    def label(self) -> str:
        return {Kind.SUGGESTION: "建议", Kind.PROPOSAL: "提案"}[self]

    @property
    def author_word(self) -> str:
        """What the author is called: 代表 (NPC) or 委员 (CPPCC)."""
        return {Kind.SUGGESTION: "人大代表", Kind.PROPOSAL: "政协委员"}[self]


class State(StrEnum):
    REGISTERED = "registered"
    HANDLING = "handling"
    AWAITING_SIGN = "awaiting_sign"
    REPLIED = "replied"
    FED_BACK = "fed_back"
    SECOND_HANDLING = "second_handling"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.REGISTERED: "已交办",
    State.HANDLING: "办理中",
    State.AWAITING_SIGN: "答复待签发",
    State.REPLIED: "已答复",
    State.FED_BACK: "已反馈",
    State.SECOND_HANDLING: "二次办理",
}

# The states in which a reply is still owed (the deadline counts).
OPEN_STATES: frozenset[State] = frozenset(
    {State.REGISTERED, State.HANDLING, State.AWAITING_SIGN, State.SECOND_HANDLING}
)


class Action(StrEnum):
    ACCEPT = "accept"
    CONTACT = "contact"
    SUBMIT_REPLY = "submit_reply"
    RETURN_REPLY = "return_reply"
    SIGN = "sign"
    FEEDBACK = "feedback"
    REHANDLE = "rehandle"
    PUBLISH = "publish"
    WITHHOLD = "withhold"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ACCEPT: "签收交办件",
    Action.CONTACT: "登记沟通情况",
    Action.SUBMIT_REPLY: "提交答复函",
    Action.RETURN_REPLY: "退回修改答复函",
    Action.SIGN: "签发答复函",
    Action.FEEDBACK: "登记代表委员反馈",
    Action.REHANDLE: "不满意转二次办理",
    Action.PUBLISH: "公开复文",
    Action.WITHHOLD: "不予公开复文",
}


class Category(StrEnum):
    A = "A"
    B = "B"
    C = "C"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.value]


# The reply categories as the reply letters and the handling reports state them (exact wording).
CATEGORY_LABELS: Mapping[str, str] = {
    "A": "A 已解决或采纳",
    "B": "B 正在解决或列入计划",
    "C": "C 因条件限制等暂时不能解决",
}


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    @property
    def label(self) -> str:
        return SATISFACTION_LABELS[self.value]


SATISFACTION_LABELS: Mapping[str, str] = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}

# How the clerk talked with the deputy or member.
CONTACT_WAYS: Mapping[str, str] = {
    "visit": "当面走访",
    "meeting": "座谈会",
    "phone": "电话",
    "letter": "书面",
    "online": "网络或短信",
}

WITHHOLD_REASONS: Mapping[str, str] = {
    "secret": "涉及国家秘密",
    "privacy": "涉及个人隐私或商业秘密",
    "process": "属于过程性信息或内部事务",
    "other": "其他原因",
}

FIELD_SPECS: Mapping[str, FieldSpec] = field_registry(
    FieldSpec("contact_on", "沟通日期", FieldKind.DATE),
    FieldSpec("contact_way", "沟通方式", FieldKind.CHOICE, choices=CONTACT_WAYS),
    FieldSpec("summary", "沟通情况", FieldKind.TEXT),
    FieldSpec("category", "答复类别", FieldKind.CHOICE, choices=CATEGORY_LABELS),
    FieldSpec("reply_text", "答复函正文", FieldKind.TEXT),
    FieldSpec("co_opinions", "会办、协办单位意见", FieldKind.TEXT),
    FieldSpec("replied_on", "答复日期", FieldKind.DATE),
    FieldSpec("satisfaction", "反馈意见", FieldKind.CHOICE, choices=SATISFACTION_LABELS),
    FieldSpec("feedback_on", "反馈日期", FieldKind.DATE),
    FieldSpec("withhold_reason", "不公开理由", FieldKind.CHOICE, choices=WITHHOLD_REASONS),
    FieldSpec("comment", "意见", FieldKind.TEXT),
)

_S, _A, _R = State, Action, Role
_CLERKS = {_R.CLERK, _R.OFFICE_HEAD}

TRANSITIONS: tuple[Transition, ...] = (
    row(_A.ACCEPT, {_S.REGISTERED}, _S.HANDLING, _CLERKS, optional=("comment",), labels={"comment": "备注"}),
    # a contact is recorded where it happened; the state stays
    *(
        row(_A.CONTACT, {s}, s, _CLERKS, required=("contact_on", "contact_way", "summary"))
        for s in (_S.HANDLING, _S.SECOND_HANDLING)
    ),
    row(
        _A.SUBMIT_REPLY,
        {_S.HANDLING, _S.SECOND_HANDLING},
        _S.AWAITING_SIGN,
        _CLERKS,
        required=("category", "reply_text"),
        optional=("co_opinions",),
    ),
    # a returned second-round reply goes back to 二次办理 (check_transition sets the target)
    row(
        _A.RETURN_REPLY,
        {_S.AWAITING_SIGN},
        _S.HANDLING,
        {_R.LEADER},
        required=("comment",),
        labels={"comment": "退回意见"},
        returns=True,
    ),
    row(
        _A.SIGN,
        {_S.AWAITING_SIGN},
        _S.REPLIED,
        {_R.LEADER},
        required=("replied_on",),
        optional=("comment",),
        labels={"comment": "签发意见"},
        irreversible=True,
    ),
    row(
        _A.FEEDBACK,
        {_S.REPLIED},
        _S.FED_BACK,
        _CLERKS,
        required=("satisfaction", "feedback_on"),
        optional=("comment",),
        labels={"comment": "反馈内容"},
    ),
    row(
        _A.REHANDLE,
        {_S.REPLIED},
        _S.SECOND_HANDLING,
        _CLERKS,
        required=("feedback_on", "comment"),
        labels={"comment": "不满意的意见"},
        irreversible=True,
    ),
    # the publication choice, once a reply is out; the state stays
    *(
        row(_A.PUBLISH, {s}, s, {_R.CLERK, _R.OFFICE_HEAD, _R.LEADER}, irreversible=True)
        for s in (_S.REPLIED, _S.FED_BACK)
    ),
    *(
        row(
            _A.WITHHOLD,
            {s},
            s,
            {_R.CLERK, _R.OFFICE_HEAD, _R.LEADER},
            required=("withhold_reason", "comment"),
            labels={"comment": "不公开的具体说明"},
        )
        for s in (_S.REPLIED, _S.FED_BACK)
    ),
)

# No terminal state: once the feedback is in, the publication choice can still be made.
WORKFLOW: Workflow[State, Action] = Workflow(
    subject="建议提案",
    state_word="办理状态",
    states=State,
    actions=Action,
    transitions=TRANSITIONS,
    field_specs=FIELD_SPECS,
    initial={State.REGISTERED},
)


@dataclass(frozen=True)
class ProposalFacts:
    """What the rules beyond the table need to know of one item, as the app read it.

    ``round``: 1, or 2 once in second handling; ``contacts``: contact records made in this round;
    ``assigned_on``: the date of 交办; ``replied_on``: the date of the current reply (if any);
    ``publication``: "" while undecided, else "published" or "withheld".
    """

    round: int = 1
    contacts: int = 0
    assigned_on: date | None = None
    replied_on: date | None = None
    publication: str = ""


# -- the rules the table cannot say ------------------------------------------------------------------


def _not_future(name: str, label: str, value: date, today: date) -> None:
    if value > today:
        raise FieldError(name, f"“{label}”不能晚于今天（{today:%Y-%m-%d}）")


def _not_before(name: str, label: str, value: date, earliest: date | None, what: str) -> None:
    if earliest is not None and value < earliest:
        raise FieldError(name, f"“{label}”不能早于{what}（{earliest:%Y-%m-%d}）")


def check_transition(
    state: State | str,
    action: Action | str,
    *,
    actor_roles: Iterable[str],
    fields: Mapping[str, Any],
    facts: ProposalFacts = ProposalFacts(),
    today: date,
) -> Transition:
    """The row that allows this move (its target resolved); a DomainError in Chinese otherwise."""
    t = WORKFLOW.check(state, action, actor_roles=actor_roles, fields=fields)
    a = t.action
    if a is Action.CONTACT:
        _not_future("contact_on", "沟通日期", fields["contact_on"], today)
        _not_before("contact_on", "沟通日期", fields["contact_on"], facts.assigned_on, "交办日期")
    elif a is Action.SUBMIT_REPLY and facts.contacts < 1:
        # the reply follows a contact with the deputy or member (办前、办中沟通): the office asks for it
        raise TransitionNotAllowed(
            f"答复前应与代表委员沟通：请先“{Action.CONTACT.label}”，再“{Action.SUBMIT_REPLY.label}”"
            + ("（二次办理须重新沟通）" if facts.round > 1 else "")
        )
    elif a is Action.RETURN_REPLY and facts.round > 1:
        t = dataclasses.replace(t, to=State.SECOND_HANDLING)
    elif a is Action.SIGN:
        _not_future("replied_on", "答复日期", fields["replied_on"], today)
        _not_before("replied_on", "答复日期", fields["replied_on"], facts.assigned_on, "交办日期")
    elif a in (Action.FEEDBACK, Action.REHANDLE):
        _not_future("feedback_on", "反馈日期", fields["feedback_on"], today)
        _not_before("feedback_on", "反馈日期", fields["feedback_on"], facts.replied_on, "答复日期")
        if a is Action.FEEDBACK and fields["satisfaction"] == Satisfaction.DISSATISFIED and facts.round == 1:
            raise FieldError(
                "satisfaction",
                f"代表委员对答复不满意的，应重新研究办理：请“{Action.REHANDLE.label}”",
            )
        if a is Action.REHANDLE and facts.round > 1:
            raise TransitionNotAllowed(
                "已经二次办理过：再次不满意的，请“登记代表委员反馈”选择“不满意”，由交办机关协调处理"
            )
    elif a in (Action.PUBLISH, Action.WITHHOLD) and facts.publication:
        done = "已公开" if facts.publication == "published" else "已决定不公开"
        raise TransitionNotAllowed(f"该件复文{done}，公开选择只作一次")
    return t


def available_actions(
    state: State | str, actor_roles: Iterable[str], facts: ProposalFacts = ProposalFacts()
) -> list[Action]:
    """The buttons to show: the table's, less those the facts rule out (publication made, second
    handling used up)."""

    def keep(t: Transition) -> bool:
        if t.action in (Action.PUBLISH, Action.WITHHOLD):
            return not facts.publication
        if t.action is Action.REHANDLE:
            return facts.round == 1
        return True

    return WORKFLOW.available_actions(state, actor_roles, keep=keep)


# -- the deadline ----------------------------------------------------------------------------------

DEFAULT_MONTHS = 3  # commonly three months from 交办 (local rules set it)
DEFAULT_URGENT_MONTHS = 1  # urgent items: shorter, one month unless the agency sets otherwise


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months: the corresponding day of the last month, or its last day
    when that month has none (民法典第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；
    没有对应日的，为月末日)."""
    if months < 0:
        raise DomainError("月数不能为负")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(
    assigned_on: date,
    *,
    urgent: bool = False,
    months: int = DEFAULT_MONTHS,
    urgent_months: int = DEFAULT_URGENT_MONTHS,
    calendar: WorkingCalendar | None = None,
) -> date:
    """The reply deadline: ``months`` (urgent: ``urgent_months``) calendar months from 交办; with the
    working ``calendar``, a last day that is a holiday or a rest day moves to the next working day
    (民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日). Over a
    year whose holiday notice is missing, the calendar's provisional rule decides."""
    nominal = add_months(assigned_on, urgent_months if urgent else months)
    if calendar is None:
        return nominal
    return due_from_nominal(nominal, calendar=calendar).due


def due_from_nominal(nominal: date, *, calendar: WorkingCalendar) -> DueDate:
    """The last day of the period that ends on ``nominal`` (its month count already applied), moved
    to the next working day when it is a holiday or a rest day (民法典第二百零三条), with the years
    whose missing holiday notices make the move provisional (预计): over such a year a weekend may
    still become a make-up working day, so the date shown is a lower bound until the notice is in."""
    due = nominal
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    return DueDate(due, calendar.missing_years_between(nominal, due))


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    days_left: int  # negative once overdue
    overdue: bool

    @property
    def text(self) -> str:
        if self.overdue:
            return f"已逾期{-self.days_left}日"
        if self.days_left == 0:
            return "今日到期"
        return f"剩余{self.days_left}日"


def deadline_status(due: date, *, today: date, state: State | str) -> DeadlineStatus | None:
    """Where an open item stands against its deadline (None once the reply is out)."""
    if WORKFLOW.state(state) not in OPEN_STATES:
        return None
    days = (due - today).days
    return DeadlineStatus(due=due, days_left=days, overdue=days < 0)


# -- publication --------------------------------------------------------------------------------------

# A mainland mobile number and a resident ID number: personal details a published reply must not show.
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def redact(text: str) -> str:
    """The text as the column shows it: mobile and ID numbers masked (the deputy's name stays; it
    is public in the 代表/委员 lists)."""
    text = _ID_NUMBER.sub(lambda m: m.group()[:6] + "*" * 12, text)
    return _MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def reply_template(*, kind: Kind | str, author: str, number: str, title: str, agency: str) -> str:
    """The opening and closing of a reply letter (答复函), for the clerk to complete."""
    kind = Kind(kind)
    call = "代表" if kind is Kind.SUGGESTION else "委员"
    return (
        f"{author}{call}：\n"
        f"　　您提出的《{title}》（第{number}号{kind.label}）收悉。现答复如下：\n"
        "　　（答复内容）\n"
        "　　感谢您对我们工作的关心和支持。\n"
        f"{agency}\n"
    )

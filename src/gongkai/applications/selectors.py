"""Reads of the applications app for the staff pages: who may see which case, the work list, a
case with its deadlines and history, what awaits approval, and the dashboard counts.

Access: a user opens the cases of the agencies they hold a membership in
(``accounts.selectors.agencies_worked_in``); a supervising office sees the agencies it oversees in
counts and rates only (the statistics page, gongkai.supervision), never an applicant's name or
identity number. Only roles held *in the case's agency* act on a case, so a leader reads without
the clerk's buttons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import agencies_worked_in
from gongkai.applications import clock
from gongkai.applications import models as _models
from gongkai.applications.clock import ASSIGNMENT_LOG_ACTIONS, PROACTIVE_LOG_ACTIONS
from gongkai.applications.models import (
    Application,
    Attachment,
    CaseEvent,
    DeadlineChange,
    DeliveryChannel,
    DeliveryForm,
    IdDocument,
)
from gongkai.applications.services import sign_off_policy_for
from gongkai.domain.applications.assignment import RETURN_KINDS
from gongkai.domain.applications.intake import ORIGIN_LABELS
from gongkai.domain.applications.proactive import DETAIL_LABELS as PROACTIVE_DETAIL_LABELS
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.applications.serving import LOG_ACTIONS as DELIVERY_LOG_ACTIONS
from gongkai.domain.applications.serving import LOG_FIELD_LABELS as DELIVERY_FIELD_LABELS
from gongkai.domain.applications.serving import METHOD_LABELS as DELIVERY_METHOD_LABELS
from gongkai.domain.applications.tracking import mask_identity_number
from gongkai.domain.applications.workflow import (
    AWAITING_SIGNATURE,
    DRAFT_STATES,
    FIELD_SPECS,
    READY_TO_ISSUE,
    Action,
    State,
    next_signer,
)
from gongkai.domain.calendar import CONVENTION_LABELS, WorkingCalendar, provisional_basis
from gongkai.domain.clocks import Deadline, DeadlineStatus, days_left
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES, outcome

# Roles that see an applicant's identity-document number in full on the case page.
FULL_IDENTITY_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})

DEADLINE_STATUS_LABELS = _models.DEADLINE_STATUS_LABELS

OPEN_STATES = tuple(s.value for s in State if not s.is_terminal)
CLOSED_STATES = tuple(s.value for s in State if s.is_terminal)
AWAITING_APPLICANT_STATES = (State.CORRECTION_REQUESTED.value, State.FEE_NOTIFIED.value, State.REASON_REQUESTED.value)
CONSULTATION_STATES = (State.THIRD_PARTY_CONSULTATION.value, State.AGENCY_CONSULTATION.value)
# A stored reply status under which the stored due date is a live deadline (not void, not paused).
_LIVE_STATUSES = (DeadlineStatus.RUNNING.value, DeadlineStatus.MISSED.value)
DUE_SOON_WORKING_DAYS: int = settings.GONGKAI_DUE_SOON_WORKING_DAYS


# -- access ---------------------------------------------------------------------------------------


def visible_agency_ids(user) -> list[int]:
    """The agencies whose cases ``user`` may open: those they work in. A supervising office reads
    the statistics of the agencies it oversees, not their applicants (see the module's note)."""
    return list(agencies_worked_in(user).values_list("id", flat=True))


def agencies_where(user, roles: Iterable[str]) -> list[int]:
    return list(Membership.objects.filter(user=user, role__in=list(roles)).values_list("agency_id", flat=True))


def registering_agencies(user) -> QuerySet[Agency]:
    """The agencies in which ``user`` may register applications (as 经办人)."""
    return Agency.objects.filter(memberships__user=user, memberships__role=Role.CLERK).distinct().order_by("name")


def case_for(user, pk: int) -> Application:
    """The case, if ``user`` may read it; 404 otherwise (no difference between absent and forbidden)."""
    app = Application.objects.select_related("agency").filter(pk=pk, agency_id__in=visible_agency_ids(user)).first()
    if app is None:
        raise Http404("申请不存在")
    return app


def attachment_for(user, case_pk: int, attachment_pk: int) -> Attachment:
    app = case_for(user, case_pk)
    att = Attachment.objects.filter(pk=attachment_pk, application=app).first()
    if att is None:
        raise Http404("附件不存在")
    return att


# -- the work list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistView:
    key: str
    label: str


WORKLIST_VIEWS: tuple[WorklistView, ...] = (
    WorklistView("open", "全部在办"),
    WorklistView("overdue", "已逾期"),
    WorklistView("due_soon", f"{DUE_SOON_WORKING_DAYS}个工作日内到期"),
    WorklistView("awaiting_applicant", "待申请人补正/缴费"),
    WorklistView("consultation", "征求意见中"),
    WorklistView("extension_requested", "待审批延期"),
    WorklistView("awaiting_sign_off", "待签发或送达"),
    WorklistView("closed", "已办结"),
)
WORKLIST_KEYS = frozenset(v.key for v in WORKLIST_VIEWS)

_LIST_COLUMNS = (
    "id",
    "tracking_number",
    "applicant_name",
    "applicant_type",
    "id_document_number",
    "state",
    "received_on",
    "reply_due",
    "reply_status",
    "reply_due_provisional",
    "concluded_on",
    "outcome_code",
    "agency_id",
    "agency__name",
)
DESCRIPTION_HEAD = 40


def _view_filter(view: str, *, today: date, calendar: WorkingCalendar) -> Q:
    live = Q(state__in=OPEN_STATES, reply_status__in=_LIVE_STATUSES)
    if view == "open":
        return Q(state__in=OPEN_STATES)
    if view == "overdue":
        return live & Q(reply_due__lt=today)
    if view == "due_soon":
        return live & Q(reply_due__gte=today, reply_due__lte=due_soon_limit(today, calendar))
    if view == "awaiting_applicant":
        return Q(state__in=AWAITING_APPLICANT_STATES)
    if view == "consultation":
        return Q(state__in=CONSULTATION_STATES)
    if view == "extension_requested":
        return Q(state=State.EXTENSION_REQUESTED.value)
    if view == "awaiting_sign_off":
        return Q(state__in=[s.value for s in DRAFT_STATES])
    if view == "closed":
        # A case is concluded exactly when it has its conclusion date (the transition service sets
        # both); filtering on the date lets the database walk its index in the list's order.
        return Q(concluded_on__isnull=False)
    raise ValueError(view)


def due_soon_limit(today: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)


def _list_columns(qs: QuerySet[Application]) -> QuerySet[Application]:
    return (
        qs.select_related("agency")
        .only(*_LIST_COLUMNS)
        .annotate(description_head=Substr("description", 1, DESCRIPTION_HEAD + 1))
    )


MAX_SEARCH_CHARS = 100


def search_filter(q: str) -> Q:
    """The work list's search box: a part of the number, the applicant's name or the request's
    words (substring, case-insensitive); every word typed must match one of them."""
    cond = Q()
    for word in q.split()[:5]:
        cond &= Q(tracking_number__icontains=word) | Q(applicant_name__icontains=word) | Q(description__icontains=word)
    return cond


def worklist(
    agency_ids: list[int], *, view: str, today: date, calendar: WorkingCalendar, q: str = ""
) -> QuerySet[Application]:
    """One query for a page of the list: the needed columns only, sorted by the reply deadline.

    Only cases with a reply deadline are sorted here (the order then matches the ``reply_due``
    index on every database); those still waiting for their receipt to be confirmed have none
    and are listed apart (:func:`unconfirmed`). Concluded cases are listed latest first.
    """
    qs = _list_columns(
        Application.objects.filter(agency_id__in=agency_ids)
        .filter(_view_filter(view, today=today, calendar=calendar))
        .filter(search_filter(q))
    )
    if view == "closed":
        return qs.order_by("-concluded_on", "-id")
    return qs.filter(reply_due__isnull=False).order_by("reply_due", "id")


def unconfirmed(agency_ids: list[int], q: str = "") -> QuerySet[Application]:
    """Applications by unsigned post, fax or e-mail not yet confirmed: no clock runs until they are,
    and 第三十一条 wants the confirmation on the day they arrive."""
    return _list_columns(
        Application.objects.filter(agency_id__in=agency_ids, state=State.SUBMITTED.value).filter(search_filter(q))
    ).order_by("submitted_at", "id")


@dataclass(frozen=True)
class WorklistRow:
    app: Application
    applicant_type_label: str
    masked_identity: str
    description: str
    state_label: str
    days_left: int | None
    days_left_text: str
    urgency: str  # overdue / soon / "" for styling
    provisional_reason: str = ""  # why the stored reply date is 预计 (tooltip)


def days_left_text(app: Application, today: date, calendar: WorkingCalendar) -> tuple[int | None, str, str]:
    if State(app.state).is_terminal:
        return None, outcome(app.outcome_code).label if app.outcome_code else "已办结", ""
    if app.reply_due is None:
        return None, "待确认收到，尚未起算", "soon"
    if app.reply_status == DeadlineStatus.VOID:
        return None, "等待补正，期限作废", ""
    if app.reply_status == DeadlineStatus.PAUSED:
        return None, "征求意见，暂停计算", ""
    try:
        n = days_left(calendar, today, app.reply_due)
    except DomainError as err:
        return None, err.message, ""
    if n < 0:
        return n, f"已逾期{-n}个工作日", "overdue"
    if n == 0:
        return n, "今日到期", "soon"
    return n, f"剩{n}个工作日", "soon" if n <= DUE_SOON_WORKING_DAYS else ""


def worklist_rows(apps: Iterable[Application], *, today: date, calendar: WorkingCalendar) -> list[WorklistRow]:
    rows = []
    for app in apps:
        head = app.description_head
        n, text, urgency = days_left_text(app, today, calendar)
        rows.append(
            WorklistRow(
                app=app,
                applicant_type_label=APPLICANT_TYPES.get(app.applicant_type, app.applicant_type),
                masked_identity=mask_identity_number(app.id_document_number),
                description=head if len(head) <= DESCRIPTION_HEAD else head[:DESCRIPTION_HEAD] + "…",
                state_label=State(app.state).label,
                days_left=n,
                days_left_text=text,
                urgency=urgency,
                provisional_reason=_provisional_reason(app, calendar),
            )
        )
    return rows


def _provisional_reason(app: Application, calendar: WorkingCalendar) -> str:
    if not app.reply_due_provisional or app.reply_due is None or app.received_on is None:
        return ""
    try:
        return provisional_basis(calendar.missing_years_between(app.received_on, app.reply_due)) or PROVISIONAL_FALLBACK
    except DomainError:
        return PROVISIONAL_FALLBACK


PROVISIONAL_FALLBACK = "下一年度节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"


# -- one case -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    status_label: str
    convention_label: str
    day_kind_label: str
    days_left_text: str


_DAY_KIND_LABELS = {
    "makeup_workday": "调休上班日",
    "holiday": "法定节假日",
    "weekend": "休息日",
    "workday": "",
    "provisional_workday": "可能为工作日或调休上班日",
    "provisional_holiday": "法定节假日",
}
_WEEKDAYS = "一二三四五六日"


def deadline_rows(deadlines: list[Deadline], calendar: WorkingCalendar) -> list[DeadlineRow]:
    rows = []
    for d in deadlines:
        try:
            kind = _DAY_KIND_LABELS.get(calendar.day_kind(d.due), "")
        except DomainError:
            kind = ""
        weekday = f"星期{_WEEKDAYS[d.due.weekday()]}"
        if d.status in (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED):
            if d.days_left > 0:
                text = f"还有{d.days_left}个工作日"
            elif d.days_left == 0:
                text = "今日届满"
            else:
                text = f"已超过{-d.days_left}个工作日"
        elif d.status is DeadlineStatus.MISSED and d.days_left < 0:
            text = f"已超过{-d.days_left}个工作日"
        else:
            text = "—"
        rows.append(
            DeadlineRow(
                deadline=d,
                status_label=DEADLINE_STATUS_LABELS[d.status],
                convention_label=f"规则{d.convention}：{CONVENTION_LABELS.get(d.convention, '')}",
                day_kind_label=f"{weekday}，{kind}" if kind else weekday,
                days_left_text=text,
            )
        )
    return rows


def case_log(app: Application) -> list[CaseEvent]:
    return list(app.events.order_by("seq"))


def case_deadlines(log: list[CaseEvent], app: Application, *, calendar: WorkingCalendar, today: date) -> list[Deadline]:
    return clock.deadlines_of(
        log, calendar=calendar, today=today, convention=app.convention, policy=clock.policy_for(app.agency)
    )


@dataclass(frozen=True)
class EventRow:
    seq: int
    recorded_at: datetime
    actor_label: str
    action_label: str
    from_label: str
    to_label: str
    details: list[tuple[str, str]]


_SUBMIT_LABELS = {
    "channel": "申请渠道",
    "received_on": "收到申请日期",
    "submitted_on": "提交日期",
    "note": "登记备注",
    "late_confirmation": "迟延确认（第三十一条（二））",
    "origin": "申请来源",
    "origin_reference": "转办编号",
}
# the details of the routing steps (承办) in the case log
_ASSIGNMENT_LABELS = {
    "unit": "承办单位",
    "internal_due": "内部办理期限",
    "due_note": "期限说明",
    "instructions": "交办说明",
    "share_identity": "提供申请人身份证明号码",
    "proposed_outcome": "拟办结果",
    "opinion": "拟办意见（理由）",
    "return_kind": "退回原因类别",
    "reason": "理由",
    "files": "提供的材料",
    "chase": "督办",
    "notified": "告知",
    "part": "承办事项",
    "old_internal_due": "原内部办理期限",
    "reply_due": "法定答复期限",
}


def _state_label(value: str) -> str:
    try:
        return State(value).label
    except ValueError:
        return value


def action_label(action: str) -> str:
    if action == clock.SUBMIT:
        return "提交申请"
    if action in ASSIGNMENT_LOG_ACTIONS:
        return ASSIGNMENT_LOG_ACTIONS[action]
    if action in DELIVERY_LOG_ACTIONS:  # 送达 (services_delivery)
        return DELIVERY_LOG_ACTIONS[action]
    if action in PROACTIVE_LOG_ACTIONS:
        return PROACTIVE_LOG_ACTIONS[action]
    try:
        return Action(action).label
    except ValueError:
        return action


def display_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def field_label(name: str, action: str = "") -> str:
    if name in _SUBMIT_LABELS:
        return _SUBMIT_LABELS[name]
    # a routing step's own words first: its "reason" is a unit's, not the case's 延期理由
    if name in _ASSIGNMENT_LABELS and (action in ASSIGNMENT_LOG_ACTIONS or name not in FIELD_SPECS):
        return _ASSIGNMENT_LABELS[name]
    if name in DELIVERY_FIELD_LABELS and name not in FIELD_SPECS:
        return DELIVERY_FIELD_LABELS[name]
    if name in PROACTIVE_DETAIL_LABELS:
        return PROACTIVE_DETAIL_LABELS[name]
    spec = FIELD_SPECS.get(name)
    return spec.label if spec else name


def display_value(name: str, value: Any) -> str:
    if isinstance(value, date):
        return display_date(value)
    if isinstance(value, (list, tuple)):
        return "；".join(f"{i}. {v}" for i, v in enumerate(value, 1))
    if name == "channel":
        try:
            return Channel(value).label
        except ValueError:
            return str(value)
    if name in ("outcome_code", "proposed_outcome") and value in OUTCOME_CODES:
        return outcome(value).label
    if name == "return_kind":
        return RETURN_KINDS.get(str(value), str(value))
    if name == "delivery_method":
        return DELIVERY_METHOD_LABELS.get(value, str(value))  # type: ignore[call-overload]
    if name == "origin":
        return ORIGIN_LABELS.get(value, str(value))
    if name == "share_identity":
        return "是" if value else "否"
    spec = FIELD_SPECS.get(name)
    if spec is not None and spec.choices:
        return spec.choices.get(str(value), str(value))
    if name in ("amount",):
        return f"{value}元"
    return str(value)


def _detail_order(action: str):
    """The order a log entry's details are shown in, the same on every database: PostgreSQL's jsonb
    keeps an object's keys in its own order (shortest first), not in the order they were written.
    A routing step in its own order, then the procedure's fields in the registry's, then the rest."""
    first = list(_ASSIGNMENT_LABELS) if action in ASSIGNMENT_LOG_ACTIONS else []
    rank = {name: i for i, name in enumerate([*first, *FIELD_SPECS, *_ASSIGNMENT_LABELS, *DELIVERY_FIELD_LABELS])}
    return lambda name: (rank.get(name, len(rank)), name)


def event_rows(log: list[CaseEvent]) -> list[EventRow]:
    rows = []
    for e in log:
        fields = clock.parse_fields(e.fields)
        details = [
            (field_label(k, e.action), display_value(k, fields[k])) for k in sorted(fields, key=_detail_order(e.action))
        ]
        rows.append(
            EventRow(
                seq=e.seq,
                recorded_at=e.recorded_at,
                actor_label=e.actor_label,
                action_label=action_label(e.action),
                from_label=_state_label(e.from_state) if e.from_state else "",
                to_label=_state_label(e.to_state),
                details=details,
            )
        )
    return rows


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)


# The fields of the stored case whose changes the history shows.
_HISTORY_FIELDS = (
    "state",
    "received_on",
    "reply_due",
    "reply_status",
    "resume_state",
    "pending_outcome",
    "pending_legal_basis",
    "outcome_code",
    "legal_basis",
    "concluded_on",
)
_HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}


def _history_value(name: str, value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    if name in ("state", "resume_state"):
        return _state_label(value)
    if name == "reply_status":
        try:
            return DEADLINE_STATUS_LABELS[DeadlineStatus(value)]
        except ValueError:
            return str(value)
    if name in ("outcome_code", "pending_outcome") and value in OUTCOME_CODES:
        return outcome(value).label
    if isinstance(value, date):
        return display_date(value)
    return str(value)


def history_rows(app: Application) -> list[HistoryRow]:
    """The django-simple-history records of the case, each with the fields it changed."""
    labels = {f: Application._meta.get_field(f).verbose_name for f in _HISTORY_FIELDS}
    rows: list[HistoryRow] = []
    previous = None
    for rec in app.history.select_related("history_user").order_by("history_date", "history_id"):
        changes = []
        for f in _HISTORY_FIELDS:
            before = getattr(previous, f) if previous is not None else None
            after = getattr(rec, f)
            if before != after and not (previous is None and after in (None, "")):
                changes.append((str(labels[f]), _history_value(f, before), _history_value(f, after)))
        previous = rec
        if not changes:
            continue
        user = rec.history_user
        who = (f"{user.last_name}{user.first_name}".strip() or user.get_username()) if user else "系统或申请人"
        rows.append(
            HistoryRow(
                when=rec.history_date,
                who=who,
                kind=_HISTORY_TYPES.get(rec.history_type, rec.history_type),
                reason=rec.history_change_reason or "",
                changes=changes,
            )
        )
    return rows


def applicant_block(app: Application, roles: set[str]) -> list[tuple[str, str]]:
    """The applicant's details; the identity number in full only for 经办人 and 办公室主任."""
    number = app.id_document_number if roles & FULL_IDENTITY_ROLES else mask_identity_number(app.id_document_number)
    rows = [
        ("申请人类型", APPLICANT_TYPES.get(app.applicant_type, app.applicant_type)),
        ("申请人姓名或名称", app.applicant_name),
        ("联系人", app.contact_person),
        ("身份证明", f"{dict(IdDocument.choices).get(app.id_document_type, app.id_document_type)} {number}"),
        ("联系电话", app.phone),
        ("电子邮箱", app.email),
        ("通信地址", app.address),
        ("邮政编码", app.postcode),
    ]
    return [(k, v) for k, v in rows if v]


def request_block(app: Application) -> list[tuple[str, str]]:
    def label(choices, value):
        return dict(choices).get(value, value)

    rows = [
        ("申请渠道", display_value("channel", app.channel)),
        ("口头申请", "是（工作人员代为填写）" if app.oral else ""),
        ("收到申请日期", display_date(app.received_on) if app.received_on else "尚未确认收到"),
        ("文号（如知道）", app.document_number_hint),
        ("获取信息的形式", label(DeliveryForm.choices, app.delivery_form)),
        ("获取信息的途径", label(DeliveryChannel.choices, app.delivery_channel)),
        ("受理机关", app.agency.name),
        ("期限计算规则", f"规则{app.convention}：{CONVENTION_LABELS.get(app.convention, '')}"),
    ]
    if app.outcome_code:
        rows.append(("办理结果", outcome(app.outcome_code).label))
        rows.append(("法律依据", app.legal_basis))
        if app.concluded_on:
            rows.append(("办结日期", display_date(app.concluded_on)))
    if app.pending_outcome and app.state in DRAFT_STATES:
        waiting = "待送达" if app.state in READY_TO_ISSUE else "待签发"
        rows.append((f"{waiting}的办理结果", outcome(app.pending_outcome).label))
        rows.append((f"{waiting}的法律依据", app.pending_legal_basis))
    return [(k, v) for k, v in rows if v]


def last_event_fields(log: list[CaseEvent], *actions: str) -> dict[str, Any]:
    """The fields of the latest event among ``actions`` (to prefill a follow-up form)."""
    for e in reversed(log):
        if e.action in actions:
            return clock.parse_fields(e.fields)
    return {}


def open_consultation_parties(log: list[CaseEvent]) -> list[str]:
    open_: list[str] = []
    for e in log:
        fields = clock.parse_fields(e.fields)
        if e.action in (Action.START_THIRD_PARTY_CONSULTATION, Action.START_AGENCY_CONSULTATION):
            open_.append(fields.get("party", ""))
        elif e.action == Action.END_CONSULTATION and fields.get("party", "") in open_:
            open_.remove(fields.get("party", ""))
    return open_


# -- approvals and dashboard counts -------------------------------------------------------------


@dataclass(frozen=True)
class Approvals:
    extensions: list[tuple[Application, dict[str, Any]]]  # with the request's fields
    sign_offs: list[Application]
    can_approve_extensions: bool
    can_sign_off: bool


_APPROVAL_COLUMNS = (
    "id",
    "tracking_number",
    "applicant_name",
    "state",
    "received_on",
    "reply_due",
    "reply_status",
    "reply_due_provisional",
    "pending_outcome",
    "pending_legal_basis",
    "agency_id",
    "agency__name",
)


def approvals_for(user) -> Approvals:
    head_of = agencies_where(user, [Role.OFFICE_HEAD])
    signers = agencies_where(user, [Role.OFFICE_HEAD, Role.LEADER])
    base = (
        Application.objects.select_related("agency")
        .only(*_APPROVAL_COLUMNS)
        .annotate(description_head=Substr("description", 1, DESCRIPTION_HEAD + 1))
    )
    extensions = list(
        base.filter(agency_id__in=head_of, state=State.EXTENSION_REQUESTED.value).order_by("reply_due", "id")
    )
    requests: dict[int, dict[str, Any]] = {}
    for e in CaseEvent.objects.filter(
        application_id__in=[a.pk for a in extensions], action=Action.REQUEST_EXTENSION.value
    ).order_by("seq"):
        requests[e.application_id] = clock.parse_fields(e.fields)
    # Only the drafts whose next signature is the user's: the chain is the agency's (per outcome).
    leader_of = set(agencies_where(user, [Role.LEADER]))
    held = {"office_head": set(head_of), "leader": leader_of}
    policies: dict[int, Any] = {}
    sign_offs = []
    for a in base.filter(agency_id__in=signers, state__in=[s.value for s in AWAITING_SIGNATURE]).order_by(
        "reply_due", "id"
    ):
        if a.agency_id not in policies:
            policies[a.agency_id] = sign_off_policy_for(a.agency)
        who = next_signer(a.state, a.pending_outcome, policies[a.agency_id])
        if who is not None and a.agency_id in held.get(who.value, set()):
            sign_offs.append(a)
    return Approvals(
        extensions=[(a, requests.get(a.pk, {})) for a in extensions],
        sign_offs=sign_offs,
        can_approve_extensions=bool(head_of),
        can_sign_off=bool(signers),
    )


def dashboard_counts(agency_id: int, *, today: date, calendar: WorkingCalendar) -> dict[str, int]:
    """Counts for one agency's dashboard panels, in one aggregate query over its open cases."""
    try:
        soon = due_soon_limit(today, calendar)
    except DomainError:
        soon = today
    live = Q(reply_status__in=_LIVE_STATUSES)
    return (
        Application.objects.filter(agency_id=agency_id, state__in=OPEN_STATES).aggregate(
            open=Count("id"),
            overdue=Count("id", filter=live & Q(reply_due__lt=today)),
            due_soon=Count("id", filter=live & Q(reply_due__gte=today, reply_due__lte=soon)),
            unconfirmed=Count("id", filter=Q(state=State.SUBMITTED.value)),
            extensions=Count("id", filter=Q(state=State.EXTENSION_REQUESTED.value)),
            sign_offs=Count("id", filter=Q(state__in=[s.value for s in AWAITING_SIGNATURE])),
            to_issue=Count("id", filter=Q(state__in=[s.value for s in READY_TO_ISSUE])),
            provisional=Count("id", filter=Q(reply_due_provisional=True)),
        )
        | sign_offs_by_signer(agency_id)
        | {"deadline_changes": recent_deadline_changes(agency_id, since=today - timedelta(days=30))}
    )


def sign_offs_by_signer(agency_id: int) -> dict[str, int]:
    """The drafts whose next signature in the agency's chain is the office head's, and the leader's
    (``sign_offs_office_head``, ``sign_offs_leader``): a dashboard counts only its own step."""
    out = {f"sign_offs_{r.value}": 0 for r in (Role.OFFICE_HEAD, Role.LEADER)}
    groups = (
        Application.objects.filter(agency_id=agency_id, state__in=[s.value for s in AWAITING_SIGNATURE])
        .values("state", "pending_outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = list(groups)
    if not rows:
        return out
    policy = sign_off_policy_for(Agency.objects.get(pk=agency_id))
    for row in rows:
        who = next_signer(row["state"], row["pending_outcome"], policy)
        if who is not None:
            out[f"sign_offs_{who.value}"] += row["n"]
    return out


# -- deadlines moved by a holiday notice ----------------------------------------------------------

DEADLINE_CHANGES_SHOWN = 500


def deadline_changes(agency_ids: list[int]) -> list[DeadlineChange]:
    """The latest deadline changes of the visible agencies' cases, newest first."""
    return list(
        DeadlineChange.objects.filter(application__agency_id__in=agency_ids)
        .select_related("application", "application__agency")
        .order_by("-recorded_at", "-id")[:DEADLINE_CHANGES_SHOWN]
    )


def recent_deadline_changes(agency_id: int, *, since) -> int:
    return DeadlineChange.objects.filter(application__agency_id=agency_id, recorded_at__date__gte=since).count()


# -- what the annual report reads from the register ----------------------------------------------


def fee_notices_paid_in(*, agency: Agency, year: int) -> dict[int, Decimal]:
    """Per application charged in ``year``, the ``amount`` of its last fee notice (as logged; a later
    notice of the same case replaces the earlier one): the cases whose payment (``fee_paid``, its
    ``paid_on``) falls in the year. The annual report sums them as the 信息处理费 collected."""
    from gongkai.applications.statistics import year_scope

    # a fee is paid while its case is open, so only the cases table 三 counts for the year can hold one:
    # their log entries are reached through the (application, seq) index instead of scanning the log
    cases = Application.objects.filter(agency=agency).filter(year_scope(year)).values("id")
    paid = CaseEvent.objects.filter(
        application_id__in=cases, action=Action.FEE_PAID.value, fields__paid_on__startswith=f"{year:04d}-"
    ).values_list("application_id", flat=True)
    notices = (
        CaseEvent.objects.filter(application_id__in=paid, action=Action.NOTIFY_FEE.value)
        .order_by("application_id", "seq")
        .values_list("application_id", "fields")
    )
    amounts: dict[int, Decimal] = {}
    for app_id, fields in notices:
        try:
            amounts[app_id] = Decimal(str(fields.get("amount", 0)))
        except InvalidOperation:
            continue
    return amounts


def concluded_with_step(*, agency: Agency, year: int, action: str) -> int:
    """How many of the applications concluded in ``year`` took the step ``action`` at least once."""
    concluded = Application.objects.filter(agency=agency, concluded_on__year=year).values("id")
    return (
        CaseEvent.objects.filter(application_id__in=concluded, action=action)
        .values("application_id")
        .distinct()
        .count()
    )


# -- what other apps look up ------------------------------------------------------------------------


def application_numbered(agency: Agency, tracking_number: str) -> Application | None:
    """The agency's application with exactly this tracking number (already normalised), if any."""
    return Application.objects.filter(agency=agency, tracking_number=tracking_number).first()


def tracking_numbers(ids: Iterable[int] | QuerySet) -> dict[int, str]:
    """The tracking numbers of these applications, by id (``ids`` may be a values() subquery)."""
    return dict(Application.objects.filter(pk__in=ids).values_list("pk", "tracking_number"))

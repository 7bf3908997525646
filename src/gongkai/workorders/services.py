"""Writes of the work-order register: the platform settings, the import of an exported sheet
(upload → preview → confirm, in one transaction), the moves of an order through the workflow's check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import actor_label, roles_in
from gongkai.applications import services as application_services
from gongkai.domain.applications.intake import Origin
from gongkai.domain.calendar import DueDate, WorkingCalendar
from gongkai.domain.errors import CalendarNotCovered, DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.roles import Role
from gongkai.domain.workorders import importing as imp
from gongkai.domain.workorders import workflow as wf
from gongkai.domain.workorders.workflow import Action, DeadlineRule, Platform, State, Unit
from gongkai.workcalendar.selectors import working_calendar
from gongkai.workorders import sheets
from gongkai.workorders.models import ImportBatch, PlatformSettings, WorkOrder, WorkOrderEvent

STAFF_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})


def _staff(actor, agency, what: str) -> str:
    roles = roles_in(actor, agency)
    if not roles & STAFF_ROLES:
        raise TransitionNotAllowed(f"“{what}”应由经办人或办公室主任操作")
    return Role.CLERK.value if Role.CLERK.value in roles else Role.OFFICE_HEAD.value


# -- the platforms' settings ---------------------------------------------------------------------------


def platform_rule(agency: Agency | int, platform: str) -> DeadlineRule:
    s = PlatformSettings.objects.filter(agency=agency, platform=platform).first()
    return DeadlineRule(s.amount, Unit(s.unit)) if s else wf.DEFAULT_RULES[Platform(platform).value]


def platform_mapping(agency: Agency | int, platform: str) -> dict[str, str]:
    s = PlatformSettings.objects.filter(agency=agency, platform=platform).first()
    return dict(s.mapping) if s and s.mapping else dict(imp.DEFAULT_MAPPINGS[Platform(platform).value])


@transaction.atomic
def platform_settings_update(
    *, agency: Agency, actor, platform: str, amount: int, unit: str, mapping: dict[str, str]
) -> PlatformSettings:
    """The office head sets a platform's deadline and the headers of its exported sheet."""
    if Role.OFFICE_HEAD.value not in roles_in(actor, agency):
        raise TransitionNotAllowed("工单平台的办理时限和列对应由办公室主任设置")
    platform = Platform(platform).value
    if not 1 <= amount <= (720 if unit == Unit.HOURS.value else 60):
        raise FieldError("amount", "“办理时限”应在1至60个工作日或1至720小时之间")
    clean = {f: (mapping.get(f) or "").strip() for f in imp.IMPORT_FIELDS}
    for f in imp.REQUIRED_FIELDS:
        if not clean[f]:
            raise FieldError(f"col_{f}", f"请填写“{imp.IMPORT_FIELDS[f]}”对应的表头")
    headers = [h for h in clean.values() if h]
    if len(set(headers)) != len(headers):
        raise FieldError(None, "不同字段不能对应同一个表头")
    s, _ = PlatformSettings.objects.update_or_create(
        agency=agency,
        platform=platform,
        defaults={"amount": amount, "unit": Unit(unit).value, "mapping": {f: h for f, h in clean.items() if h}},
    )
    return s


# -- the import ----------------------------------------------------------------------------------------


@transaction.atomic
def batch_upload(*, agency: Agency, actor, platform: str, filename: str, content: bytes) -> ImportBatch:
    """Keep the uploaded sheet for its preview; a file that cannot be read at all is refused now."""
    _staff(actor, agency, "导入工单")
    platform = Platform(platform).value
    sheets.kind_of(filename)
    sheets.check_size(content)
    header, _rows = sheets.read_sheet(filename, content)
    imp.locate_columns(header, platform_mapping(agency, platform))
    purge_stale_batches(now=timezone.now())
    return ImportBatch.objects.create(
        agency=agency,
        platform=platform,
        filename=filename[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor,
    )


def upload_keep_days() -> int:
    return int(getattr(settings, "GONGKAI_WORKORDER_UPLOAD_DAYS", 7))


@transaction.atomic
def purge_stale_batches(*, now: datetime) -> int:
    """Delete the uploaded sheets whose preview was never confirmed within the keep period (they
    name citizens and serve no purpose once abandoned); returns how many. Imported batches keep
    their counts and digest, never the file."""
    cutoff = now - timedelta(days=upload_keep_days())
    deleted, _ = ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=cutoff).delete()
    return deleted


@dataclass
class Preview:
    header: list[str]
    rows: list[imp.ParsedRow]
    duplicates: list[imp.ParsedRow] = field(default_factory=list)  # already in the register

    @property
    def valid(self) -> list[imp.ParsedRow]:
        dup = {id(r) for r in self.duplicates}
        return [r for r in self.rows if r.ok and id(r) not in dup]

    @property
    def rejected(self) -> list[imp.ParsedRow]:
        return [r for r in self.rows if not r.ok]


def _due(received_at: datetime, rule: DeadlineRule, calendar: WorkingCalendar) -> DueDate:
    return wf.due(received_at, rule, calendar=calendar)


def batch_preview(batch: ImportBatch, *, today: date, calendar: WorkingCalendar | None = None) -> Preview:
    """Every row of the batch's sheet parsed, with its deadline, its errors and whether the register
    already holds its number (a duplicate: skipped and listed)."""
    calendar = calendar or working_calendar()
    header, rows = sheets.read_sheet(batch.filename, bytes(batch.content))
    mapping = platform_mapping(batch.agency_id, batch.platform)
    parsed = imp.parse_rows(header, rows, mapping, today=today)
    rule = platform_rule(batch.agency_id, batch.platform)
    for r in parsed:
        if r.values.get("received_at") is not None:
            try:
                counted = _due(r.values["received_at"], rule, calendar)
                r.values["due_on"], r.values["due_provisional"] = counted.due, counted.provisional
            except CalendarNotCovered:
                r.errors.append("“受理时间”超出工作日历的范围，无法计算办理期限")
    numbers = [r.values["number"] for r in parsed if r.values.get("number")]
    existing = set(
        WorkOrder.objects.filter(agency_id=batch.agency_id, platform=batch.platform, number__in=numbers).values_list(
            "number", flat=True
        )
    )
    dups = [r for r in parsed if r.values.get("number") in existing and r.ok]
    for r in parsed:
        r.values["duplicate"] = r.values.get("number") in existing
    return Preview(header=[str(h or "") for h in header], rows=parsed, duplicates=dups)


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, actor, today: date) -> ImportBatch:
    """Import every valid row that is not a duplicate, all in one transaction; the rows with errors
    and the duplicates are counted and listed on the batch, none is lost silently."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    role = _staff(actor, batch.agency, "导入工单")
    if batch.status != ImportBatch.Status.PENDING:
        raise TransitionNotAllowed("该批次已经导入，不能重复导入")
    preview = batch_preview(batch, today=today)
    rule = platform_rule(batch.agency_id, batch.platform)
    label = actor_label(actor)
    orders = []
    for r in preview.valid:
        v = r.values
        orders.append(
            WorkOrder(
                agency_id=batch.agency_id,
                platform=batch.platform,
                number=v["number"],
                category=v["category"],
                title=v["title"][:300],
                content=v["content"],
                received_at=timezone.make_aware(v["received_at"]),
                received_on=v["received_at"].date(),
                due_on=v["due_on"],
                due_provisional=v["due_provisional"],
                due_amount=rule.amount,
                due_unit=Unit(rule.unit).value,
                unit=v["unit"][:200],
                state=(State.ASSIGNED if v["unit"] else State.RECEIVED).value,
                batch=batch,
            )
        )
    try:
        with transaction.atomic():
            created = WorkOrder.objects.bulk_create(orders, batch_size=500)
    except IntegrityError:
        # another import took some of these numbers since the preview: import none of them
        raise DomainError("部分工单编号已被同时进行的另一次导入登记，本次未导入任何工单：请重新预览") from None
    WorkOrderEvent.objects.bulk_create(
        [
            WorkOrderEvent(
                order=o,
                action="import",
                button="导入工单",
                from_state="",
                to_state=o.state,
                role=role,
                actor=actor,
                actor_label=label,
                details={"batch": batch.pk, "file": batch.filename, "due_on": o.due_on.isoformat()}
                | ({"unit": o.unit} if o.unit else {}),
            )
            for o in created
        ],
        batch_size=500,
    )
    batch.status = ImportBatch.Status.IMPORTED
    batch.imported = len(created)
    batch.duplicates = [r.values["number"] for r in preview.duplicates]
    batch.rejected = len(preview.rejected)
    batch.imported_at = timezone.now()
    batch.content = b""  # the orders hold what was imported; the sheet with citizens' details goes
    batch.save()
    PlatformSettings.objects.update_or_create(
        agency_id=batch.agency_id,
        platform=batch.platform,
        defaults={"layout": preview.header},
        create_defaults={
            "layout": preview.header,
            "mapping": platform_mapping(batch.agency_id, batch.platform),
            "amount": platform_rule(batch.agency_id, batch.platform).amount,
            "unit": platform_rule(batch.agency_id, batch.platform).unit.value,
        },
    )
    return batch


# -- the moves -----------------------------------------------------------------------------------------


@transaction.atomic
def order_act(*, order: WorkOrder, action: str, actor, today: date, fields: dict[str, Any]) -> WorkOrder:
    """Take one move of the table on ``order``: checked, applied, logged."""
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    roles = roles_in(actor, order.agency_id)
    from_state = order.state
    facts = wf.OrderFacts(received_on=order.received_on, replied_on=order.replied_on)
    t = wf.check_transition(from_state, action, actor_roles=roles, fields=fields, facts=facts, today=today)
    move = wf.WORKFLOW.move(t, from_state=from_state, actor_roles=roles, fields=fields)
    a = t.action
    if a is Action.ASSIGN:
        order.unit = fields["unit"].strip()[:200]
    elif a is Action.REPLY:
        order.reply_text = fields["reply_text"].strip()
        order.replied_on = fields["replied_on"]
        order.first_replied_on = order.first_replied_on or fields["replied_on"]
    elif a is Action.RATE:
        order.rating = fields["rating"]
        order.rated_on = fields["rated_on"]
    elif a is Action.REOPEN:
        # the earlier reply stays in the log; the rating no longer stands
        order.reopened += 1
        order.rating = ""
        order.rated_on = None
    order.state = t.to.value
    order.save()
    details = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in move.details.items()}
    WorkOrderEvent.objects.create(
        order=order,
        action=move.action,
        button=move.button,
        from_state=move.from_state,
        to_state=move.to_state,
        role=move.role,
        actor=actor,
        actor_label=actor_label(actor),
        comment=move.comment,
        details=details,
    )
    return order


# -- a disclosure request ------------------------------------------------------------------------------


@transaction.atomic
def order_to_application(
    *,
    order: WorkOrder,
    actor,
    today: date,
    channel: str,
    applicant: dict[str, Any],
    receipt_dates: dict[str, date],
    submission_token=None,
    attachments=(),
    note: str = "",
    intake: dict[str, Any] | None = None,
    intake_papers=(),
):
    """Register an order that is really a request for government information as an application
    (条例第二十九条 asks the applicant's name, contact and the information sought: the clerk enters
    what the platform did not give). The application's first log entry names the order; the order
    links to the application and logs the move. Once only.

    The application keeps its origin (issue 16 §5): a 12345 order's is 12345工单转来 with the order's
    number, and it reached the office on the day the clerk says (``intake["reached_on"]``, by default
    the day the order was received); the identity check and an agent come from ``intake``. [I] An
    order of the provincial platform or of the bureau's own mailbox is the applicant writing in:
    直接提交, its number kept in the log entry as before."""
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if Role.CLERK.value not in roles_in(actor, order.agency_id):
        raise TransitionNotAllowed("“转为依申请公开办理”应由经办人操作")
    if order.application_id is not None:
        raise TransitionNotAllowed("该工单已转为政府信息公开申请，不能重复登记")
    origin = f"由{Platform(order.platform).label}工单{order.number}转为依申请公开办理"
    submitted = application_services.application_submit(
        agency=order.agency,
        channel=channel,
        applicant=applicant,
        submitted_on=today,
        oral=channel == "oral",
        registered_by=actor,
        submission_token=submission_token,
        attachments=attachments,
        calendar=working_calendar(),
        today=today,
        note="；".join(n for n in (origin, note) if n),
        intake=_order_intake(order, intake),
        intake_papers=list(intake_papers),
        **receipt_dates,
    )
    app = submitted.application
    order.application = app
    order.save(update_fields=["application"])
    WorkOrderEvent.objects.create(
        order=order,
        action="to_application",
        button="转为依申请公开办理",
        from_state=order.state,
        to_state=order.state,
        role=Role.CLERK.value,
        actor=actor,
        actor_label=actor_label(actor),
        details={"application": app.tracking_number},
    )
    return submitted


def order_origin(order: WorkOrder) -> str:
    """The origin an application made from ``order`` has (see :func:`order_to_application`)."""
    return (Origin.HOTLINE_12345 if order.platform == Platform.HOTLINE.value else Origin.DIRECT).value


def _order_intake(order: WorkOrder, intake: dict[str, Any] | None) -> dict[str, Any]:
    d = dict(intake or {})
    if order_origin(order) == Origin.HOTLINE_12345:
        d |= {"origin": Origin.HOTLINE_12345.value, "origin_reference": order.number}
        d["reached_on"] = d.get("reached_on") or order.received_on
    else:
        d |= {"origin": Origin.DIRECT.value, "origin_reference": "", "reached_on": None, "original_submitted_on": None}
    return d


# -- the export ----------------------------------------------------------------------------------------


def export_replies(*, agency: Agency, platform: str, year: int | None = None) -> bytes:
    """The replied orders of one platform as an .xlsx in the layout of the platform's last imported
    sheet (its columns in its order), with the reply columns added where the layout has none."""
    platform = Platform(platform).value
    mapping = platform_mapping(agency, platform)
    s = PlatformSettings.objects.filter(agency=agency, platform=platform).first()
    layout = list(s.layout) if s and s.layout else list(mapping.values())
    by_header = {h: f for f, h in mapping.items()}
    header = layout + [h for h in imp.REPLY_FIELDS.values() if h not in layout]
    by_header.update({h: f for f, h in imp.REPLY_FIELDS.items()})
    qs = WorkOrder.objects.filter(agency=agency, platform=platform, replied_on__isnull=False)
    if year is not None:
        qs = qs.filter(received_on__year=year)
    rows = []
    for o in qs.order_by("received_at", "id"):
        values = {
            "number": o.number,
            "received_at": timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M"),
            "category": o.get_category_display(),
            "title": o.title,
            "content": o.content,
            "unit": o.unit,
            "reply_text": o.reply_text,
            "replied_on": o.replied_on.isoformat() if o.replied_on else "",
            "state": o.state_label,
        }
        rows.append([values.get(by_header.get(h, ""), "") for h in header])
    return sheets.write_xlsx(header, rows, title=f"{Platform(platform).label}答复")


__all__ = [
    "DomainError",
    "batch_confirm",
    "batch_preview",
    "batch_upload",
    "export_replies",
    "order_act",
    "order_to_application",
    "platform_mapping",
    "platform_rule",
    "platform_settings_update",
]


# -- the calendar ----------------------------------------------------------------------------------------


@transaction.atomic
def deadlines_recompute_after_notice(*, year: int, actor=None, today: date) -> int:
    """Recount the deadline of every open order whose date was provisional, now that ``year``'s
    holiday notice was entered (or changed), with the rule it was received under; every moved date
    is a line in the order's log. Returns how many moved."""
    calendar = working_calendar()
    moved = 0
    open_values = [s.value for s in wf.OPEN_STATES]
    orders = WorkOrder.objects.select_for_update().filter(
        state__in=open_values, due_provisional=True, due_amount__isnull=False
    )
    for order in orders.order_by("pk"):
        try:
            counted = _due(
                timezone.localtime(order.received_at).replace(tzinfo=None),
                DeadlineRule(order.due_amount, Unit(order.due_unit or Unit.WORKING_DAYS.value)),
                calendar,
            )
        except CalendarNotCovered:
            continue
        if (counted.due, counted.provisional) == (order.due_on, order.due_provisional):
            continue
        old = order.due_on
        order.due_on, order.due_provisional = counted.due, counted.provisional
        order.save(update_fields=["due_on", "due_provisional"])
        WorkOrderEvent.objects.create(
            order=order,
            action="deadline_recomputed",
            button="重新计算办理期限",
            from_state=order.state,
            to_state=order.state,
            role="",
            actor=actor,
            actor_label=actor_label(actor) if actor else "系统",
            details={"year": year, "old_due_on": old.isoformat(), "due_on": counted.due.isoformat()},
        )
        moved += 1
    return moved

"""Writes of delivery (送达): a letter's sending and service, the served date learnt later, the
proofs. The rules are the domain's (:mod:`gongkai.domain.applications.serving`); each write also
leaves a row in the case log, from which the clocks read the served date (``clock.served_dates``):
the fee window runs from it (国办函〔2020〕109号, procedure.md §3.3).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from gongkai.accounts.selectors import actor_label
from gongkai.applications import clock, letters
from gongkai.applications.models import Application, CaseEvent, DeliveryProof, DeliveryRecord, Letter
from gongkai.applications.selectors_delivery import default_recipient, letter_date
from gongkai.applications.services import _safe_name, application_refresh_deadline
from gongkai.domain.applications.serving import (
    LOG_DELIVERY,
    LOG_SERVED,
    DeliveryEntry,
    Method,
    ProofKind,
    check_delivery,
    check_served_on,
    late_service_warning,
)
from gongkai.domain.applications.workflow import Action
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.workcalendar.selectors import working_calendar

WRITE_ROLES = frozenset({"clerk", "office_head"})
PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


def _check_roles(actor_roles: set[str] | frozenset[str]) -> None:
    if not set(actor_roles) & WRITE_ROLES:
        raise TransitionNotAllowed("送达由经办人或办公室主任登记")


def _log(app: Application, *, action: str, fields: dict[str, Any], actor) -> CaseEvent:
    seq = (app.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return CaseEvent.objects.create(
        application=app,
        seq=seq,
        action=action,
        from_state=app.state,
        to_state=app.state,
        fields=clock.dump_fields(fields),
        actor=actor,
        actor_label=actor_label(actor),
    )


def _correction_warning(app: Application, letter: Letter, served_on: date, calendar: WorkingCalendar) -> str:
    """A 补正告知书 served when little of its period is left (serving.late_service_warning)."""
    if letter.kind != letters.LetterKind.CORRECTION_NOTICE or letter.event is None:
        return ""
    log = [e for e in app.events.order_by("seq") if e.seq <= letter.event.seq]
    try:
        deadlines = clock.deadlines_of(log, calendar=calendar, today=served_on, convention=app.convention)
        period = next((d for d in deadlines if d.key == "correction_period"), None)
        left = calendar.working_days_between(served_on, period.due) if period else None
    except DomainError:
        return ""
    return late_service_warning(served_on=served_on, period_ends=period.due if period else None, working_days_left=left)


def _for_seq(letter: Letter) -> int | None:
    return letter.event.seq if letter.event is not None else None


def _after_service(app: Application, letter: Letter, *, today: date, calendar: WorkingCalendar) -> None:
    # a fee notice served starts the payment window: the stored copy of the deadlines follows
    if letter.event is not None and letter.event.action == Action.NOTIFY_FEE:
        application_refresh_deadline(application=app, calendar=calendar, today=today)


@transaction.atomic
def delivery_record_create(
    *,
    letter: Letter,
    method: str,
    sent_on: date,
    actor,
    actor_roles: set[str] | frozenset[str],
    today: date,
    recipient: str = "",
    address: str = "",
    tracking_number: str = "",
    served_on: date | None = None,
    signed_by: str = "",
    note: str = "",
    calendar: WorkingCalendar | None = None,
) -> DeliveryRecord:
    """Record that ``letter`` was sent (and, if known, served); Chinese FieldError on a wrong entry."""
    _check_roles(actor_roles)
    app = Application.objects.select_for_update().get(pk=letter.application_id)
    letter = Letter.objects.select_related("event", "application").get(pk=letter.pk)
    entry = check_delivery(
        DeliveryEntry(
            method=method,
            sent_on=sent_on,
            served_on=served_on,
            recipient=recipient or default_recipient(letter),
            address=address,
            tracking_number=tracking_number,
        ),
        today=today,
        letter_date=letter_date(letter),
    )
    calendar = calendar or working_calendar()
    warning = _correction_warning(app, letter, entry.served_on, calendar) if entry.served_on else ""
    record = DeliveryRecord.objects.create(
        application=app,
        letter=letter,
        method=entry.method,
        recipient=entry.recipient,
        address=entry.address,
        tracking_number=entry.tracking_number,
        sent_on=entry.sent_on,
        served_on=entry.served_on,
        signed_by=signed_by.strip(),
        note=note.strip(),
        warning=warning,
        recorded_by=actor,
    )
    _log(
        app,
        action=LOG_DELIVERY,
        fields={
            "letter": _letter_name(letter),
            "for_seq": _for_seq(letter),
            "delivery_method": entry.method,
            "delivery_sent_on": entry.sent_on,
            "served_on": entry.served_on,
            "recipient": entry.recipient,
            "address": entry.address,
            "tracking_number": entry.tracking_number,
            "warning": warning,
        },
        actor=actor,
    )
    if entry.served_on:
        _after_service(app, letter, today=today, calendar=calendar)
    return record


def _letter_name(letter: Letter) -> str:
    return f"{letter.title}（{letter.reference_number}）" if letter.reference_number else letter.title


@transaction.atomic
def delivery_record_served(
    *,
    record: DeliveryRecord,
    served_on: date,
    actor,
    actor_roles: set[str] | frozenset[str],
    today: date,
    signed_by: str = "",
    calendar: WorkingCalendar | None = None,
) -> DeliveryRecord:
    """The served date learnt after the sending (the post's delivery, the signed 回证 back). A date
    already recorded may be corrected: the log keeps both rows, the clocks read the latest."""
    _check_roles(actor_roles)
    # lock the record only: the letter's event is a nullable join, which PostgreSQL will not lock
    record = DeliveryRecord.objects.select_for_update(of=("self",)).select_related("letter__event").get(pk=record.pk)
    app = Application.objects.select_for_update().get(pk=record.application_id)
    check_served_on(method=record.method, sent_on=record.sent_on, served_on=served_on, today=today)
    calendar = calendar or working_calendar()
    record.served_on = served_on
    if signed_by.strip():
        record.signed_by = signed_by.strip()
    record.warning = _correction_warning(app, record.letter, served_on, calendar)
    record.save(update_fields=["served_on", "signed_by", "warning"])
    _log(
        app,
        action=LOG_SERVED,
        fields={
            "letter": _letter_name(record.letter),
            "for_seq": _for_seq(record.letter),
            "delivery_method": record.method,
            "served_on": served_on,
            "tracking_number": record.tracking_number,
            "warning": record.warning,
        },
        actor=actor,
    )
    _after_service(app, record.letter, today=today, calendar=calendar)
    return record


def check_proof_upload(name: str, data: bytes) -> tuple[str, str]:
    """(extension, content type) of an acceptable proof, or a FieldError (Chinese)."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in (name or "") else ""
    if suffix not in PROOF_TYPES:
        raise FieldError("file", "送达凭证应为PDF或图片（.pdf、.jpg、.png）")
    if not data:
        raise FieldError("file", "上传的文件是空的")
    if len(data) > PROOF_MAX_BYTES:
        raise FieldError(
            "file", f"文件过大（{len(data) / 1024 / 1024:.1f}MB），不能超过{PROOF_MAX_BYTES // 1024 // 1024}MB"
        )
    content_type, magic = PROOF_TYPES[suffix]
    if not data.startswith(magic):
        raise FieldError("file", "文件内容与扩展名不符，请上传扫描或导出的PDF、JPG或PNG文件")
    return suffix, content_type


@transaction.atomic
def delivery_proof_add(
    *, record: DeliveryRecord, kind: str, name: str, data: bytes, actor, actor_roles: set[str] | frozenset[str]
) -> DeliveryProof:
    _check_roles(actor_roles)
    try:
        kind = ProofKind(kind).value
    except ValueError:
        raise FieldError("kind", "请选择凭证类型") from None
    _, content_type = check_proof_upload(name, data)
    proof = DeliveryProof(
        record=record,
        kind=kind,
        original_name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    proof.file.save(_safe_name(name), ContentFile(data), save=False)
    proof.save()
    return proof


__all__ = ["Method", "check_proof_upload", "delivery_proof_add", "delivery_record_create", "delivery_record_served"]

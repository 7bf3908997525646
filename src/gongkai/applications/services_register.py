"""Writes of the applicant register and the intake (issue 16 §4, §5).

``intake_record`` is called by ``services.application_submit`` inside its transaction, for every
new application (the public form's, a clerk's, a work order's, a new reply's): it finds or makes the
applicant's register entry and stores how the application came in, with its papers. The checks
(``domain.applications.intake``) run before the application is written: ``intake_check`` is called
first and may change the channel dates of a forwarded application (第三十一条).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gongkai.applications.models import Applicant, Application, Intake, IntakeFile
from gongkai.domain.applications.intake import (
    IdentityCheck,
    Origin,
    check_intake,
    forwarded_receipt_dates,
)
from gongkai.domain.applications.intake import Intake as IntakeFacts
from gongkai.domain.applications.register import applicant_key
from gongkai.domain.fields import FieldError

# (kind, file name, content type, bytes) of a paper registered with the intake
IntakePaper = tuple[str, str, str, bytes]


def intake_facts(intake: dict[str, Any] | None, *, papers: list[IntakePaper] = ()) -> IntakeFacts:
    """The intake as the domain reads it, from the keyword dict the views and services pass."""
    d = dict(intake or {})
    try:
        origin = Origin(d.get("origin") or Origin.DIRECT)
    except ValueError:
        raise FieldError("origin", "“申请来源”的选项无效，请重新选择") from None
    check = d.get("identity_check") or None
    try:
        identity = IdentityCheck(check) if check else None
    except ValueError:
        raise FieldError("identity_check", "“身份核验方式”的选项无效，请重新选择") from None
    return IntakeFacts(
        origin=origin,
        reference=(d.get("origin_reference") or "").strip(),
        reached_on=d.get("reached_on"),
        original_submitted_on=d.get("original_submitted_on"),
        identity_check=identity,
        agent_name=(d.get("agent_name") or "").strip(),
        agent_id_number=(d.get("agent_id_number") or "").strip().upper(),
        agent_phone=(d.get("agent_phone") or "").strip(),
        has_power_of_attorney=any(kind == IntakeFile.Kind.POWER_OF_ATTORNEY for kind, *_ in papers),
    )


def intake_check(
    *,
    intake: dict[str, Any] | None,
    papers: list[IntakePaper],
    channel: str,
    receipt_dates: dict[str, date],
    today: date,
) -> dict[str, date]:
    """Check the intake before anything is written (FieldError naming the field) and return the
    channel dates to use: a forwarded application's are fixed by the day it reached this office."""
    facts = intake_facts(intake, papers=papers)
    check_intake(facts, today=today)
    if facts.origin.forwarded:
        return forwarded_receipt_dates(channel, reached_on=facts.reached_on, given=receipt_dates)
    return receipt_dates


def _register_entry(app: Application) -> Applicant | None:
    key = applicant_key(
        applicant_type=app.applicant_type,
        id_document_type=app.id_document_type,
        id_document_number=app.id_document_number,
        name=app.applicant_name,
        phone=app.phone,
    )
    if key is None:
        return None
    found = Applicant.objects.filter(key=key.key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # two first applications of one person may race
            return Applicant.objects.create(
                key_kind=key.kind.value, key=key.key, applicant_type=app.applicant_type, name=app.applicant_name
            )
    except IntegrityError:
        return Applicant.objects.get(key=key.key)


def _safe_name(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower()[:8] if "." in name else ""
    return f"{uuid.uuid4().hex}{suffix}"


@transaction.atomic
def intake_record(
    *, application: Application, intake: dict[str, Any] | None, papers: list[IntakePaper] = ()
) -> list[IntakeFile]:
    """Store the intake of a new application and link it to its applicant's register entry; returns
    the papers stored (the caller deletes their files if its transaction fails)."""
    facts = intake_facts(intake, papers=papers)
    Intake.objects.create(
        application=application,
        applicant=_register_entry(application),
        origin=facts.origin.value,
        origin_reference=facts.reference,
        reached_on=facts.reached_on,
        original_submitted_on=facts.original_submitted_on,
        identity_check=facts.identity_check.value if facts.identity_check else "",
        agent_name=facts.agent_name,
        agent_id_number=facts.agent_id_number,
        agent_phone=facts.agent_phone,
    )
    stored = []
    for kind, name, content_type, data in papers:
        f = IntakeFile(
            application=application,
            kind=IntakeFile.Kind(kind).value,
            original_name=name[:200],
            content_type=content_type,
            size=len(data),
        )
        f.file.save(_safe_name(name), ContentFile(data), save=False)
        stored.append(f)
        f.save()
    return stored

"""The write of 依申请公开转主动公开 (第四十四条): a draft in the disclosure register for the information a
closed case released, and the mark in the case log, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services_proactive import application_mark_proactive
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import Column, Document
from gongkai.domain.applications.proactive import check_can_mark
from gongkai.domain.errors import DomainError


@dataclass(frozen=True)
class Marked:
    document: Document
    event: CaseEvent
    created: bool


@transaction.atomic
def application_to_proactive(
    *,
    application: Application,
    actor,
    actor_roles: set[str],
    title: str,
    column: Column,
    formed_on: date,
    today: date,
    body: str = "",
) -> Marked:
    """Mark the information ``application`` released for proactive publication: a draft in the register
    linked to the case (reviewed and published there like any document) and a row in the case log.
    Refused in Chinese for a case that released nothing (domain.applications.proactive). Once per case."""
    check_can_mark(application.state, application.outcome_code)
    if column.agency_id != application.agency_id:
        raise DomainError("只能登记到本机关的栏目")
    doc, created = disclosure_services.document_from_application(
        agency=application.agency,
        actor=actor,
        actor_roles=actor_roles,
        tracking_number=application.tracking_number,
        title=title,
        column=column,
        formed_on=formed_on,
        today=today,
        body=body,
    )
    event = application_mark_proactive(
        application=application,
        actor=actor,
        actor_roles=actor_roles,
        details={"index_number": doc.index_number, "document_title": doc.title},
    )
    return Marked(document=doc, event=event, created=created)

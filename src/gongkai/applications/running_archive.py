"""Filing one case and running a year's batch, as the background task runs them (imports run one
way: services_archive → tasks_archive → running_archive).

A killed worker loses nothing: each case is filed in its own transaction (the package file is
written, then its row; a row never points at a missing file, and a file without a row is written
again), and the batch's progress is read from the filed cases, so running the year again files
only the rest.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.applications import evidence, selectors_delivery
from gongkai.applications.models import Application, ArchiveBatch, ArchivedCase
from gongkai.domain.applications.archiving import check_can_file, retention_until, safe_file_name
from gongkai.domain.applications.workflow import State
from gongkai.domain.errors import DomainError

log = logging.getLogger(__name__)


def file_case(
    *, application: Application, actor, today: date, batch: ArchiveBatch | None = None
) -> tuple[ArchivedCase, bool]:
    """File a closed case (or find it filed): (the archived case, whether it was filed now)."""
    existing = ArchivedCase.objects.filter(application=application).first()
    if existing is not None:
        return existing, False
    check_can_file(is_terminal=State(application.state).is_terminal, tracking_number=application.tracking_number)
    years = selectors_delivery.retention_years(application.agency)
    closed_on = application.concluded_on or today
    until = retention_until(closed_on, years)
    data, count = evidence.archive_zip(application, today=today, retain_until=until)
    archived = ArchivedCase(
        application=application,
        year=closed_on.year,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        items=count,
        retention_years=years,
        retain_until=until,
        filed_on=today,
        filed_by=actor,
        batch=batch,
    )
    name = safe_file_name(f"{application.tracking_number}-案卷.zip")
    try:
        with transaction.atomic():
            archived.package.save(name, ContentFile(data), save=False)
            archived.save()
    except IntegrityError:  # filed meanwhile by another run: keep that one
        archived.package.storage.delete(archived.package.name)
        return ArchivedCase.objects.get(application=application), False
    return archived, True


def archive_batch_run(*, batch_id: int, today: date | None = None) -> ArchiveBatch | None:
    """File every closed case of the batch's year not filed yet; None when the batch is gone."""
    batch = ArchiveBatch.objects.filter(pk=batch_id).select_related("agency", "created_by").first()
    if batch is None or batch.status == ArchiveBatch.Status.DONE:
        return batch
    today = today or timezone.localdate()
    cases = selectors_delivery.closed_in(batch.agency_id, batch.year).select_related("agency").order_by("pk")
    ArchiveBatch.objects.filter(pk=batch.pk).update(
        status=ArchiveBatch.Status.RUNNING, started_at=timezone.now(), total=cases.count()
    )
    filed = skipped = failed = 0
    reasons: list[str] = []
    for app in cases.iterator(chunk_size=100):
        try:
            _, new = file_case(application=app, actor=batch.created_by, today=today, batch=batch)
        except DomainError as err:
            failed += 1
            reasons.append(f"{app.tracking_number}：{err.message}")
        except Exception as exc:  # one bad case must not stop the year
            log.exception("archive: case %s", app.pk)
            failed += 1
            reasons.append(f"{app.tracking_number}：归档时发生内部错误（{type(exc).__name__}）")
        else:
            filed, skipped = filed + new, skipped + (not new)
        ArchiveBatch.objects.filter(pk=batch.pk).update(filed=filed, skipped=skipped, failed=failed)
    ArchiveBatch.objects.filter(pk=batch.pk).update(
        status=ArchiveBatch.Status.FAILED if failed else ArchiveBatch.Status.DONE,
        failure="\n".join(reasons[:200]),
        finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch

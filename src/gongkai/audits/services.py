"""Writes: create an audit batch from uploads and queue its audits (``tasks``).

The work the queue does is below this module, so the dependency runs one way (services -> tasks ->
running): :func:`audit_report_run` (one report) and :func:`audit_reap_stale` (audits whose worker
died) are named here too for the pages and commands that call them directly.
"""

from __future__ import annotations

from django.db import transaction

from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.audits.running import audit_report_run
from gongkai.audits.tasks import audit_reap_stale, audit_report_task, stale_after
from gongkai.audits.uploads import Expanded

__all__ = ["audit_batch_create", "audit_reap_stale", "audit_report_run", "stale_after"]


@transaction.atomic
def audit_batch_create(*, user, title: str, expanded: Expanded) -> AuditBatch:
    """Store every accepted file in one transaction, then queue one audit task per report."""
    batch = AuditBatch.objects.create(title=title[:200], created_by=user)
    reports = AuditedReport.objects.bulk_create(
        AuditedReport(batch=batch, position=i, filename=name[:300], content=data, size=len(data))
        for i, (name, data) in enumerate(expanded.files, start=1)
    )
    ids = [r.pk for r in reports]  # SQLite and PostgreSQL both return the new keys
    # queued only once the files are committed: a worker never sees a half-stored batch
    transaction.on_commit(lambda: [audit_report_task.enqueue(pk) for pk in ids])
    return batch

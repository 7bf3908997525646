"""Writes: create an audit batch from uploads, run the audit of one report."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.audits.uploads import Expanded

log = logging.getLogger(__name__)


@transaction.atomic
def audit_batch_create(*, user, title: str, expanded: Expanded) -> AuditBatch:
    """Store every accepted file in one transaction, then queue one audit task per report."""
    from gongkai.audits.tasks import audit_report_task

    batch = AuditBatch.objects.create(title=title[:200], created_by=user)
    reports = AuditedReport.objects.bulk_create(
        AuditedReport(batch=batch, position=i, filename=name[:300], content=data, size=len(data))
        for i, (name, data) in enumerate(expanded.files, start=1)
    )
    ids = [r.pk for r in reports]  # SQLite and PostgreSQL both return the new keys
    # queued only once the files are committed: a worker never sees a half-stored batch
    transaction.on_commit(lambda: [audit_report_task.enqueue(pk) for pk in ids])
    return batch


def audit_report_run(*, report_id: int) -> AuditedReport:
    """Audit one stored report and save what the audit said; a failure is recorded, not raised."""
    from gongkai.domain.audit import audit_bytes

    report = AuditedReport.objects.get(pk=report_id)
    report.status = AuditedReport.Status.RUNNING
    report.save(update_fields=["status"])
    try:
        result = audit_bytes(bytes(report.content), report.filename)
    except Exception as exc:  # the reader is built never to raise; keep the batch going if it does
        log.exception("audit of report %s failed", report_id)
        report.status = AuditedReport.Status.FAILED
        report.failure = f"审计时发生内部错误：{type(exc).__name__}"
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "failure", "finished_at"])
        return report
    data = result.to_json()
    report.result = data
    report.report_format = result.format or ""
    report.year = result.year
    report.agency = (result.agency or "")[:200]
    report.errors = sum(1 for f in data["findings"] if f["severity"] == "error")
    report.warnings = sum(1 for f in data["findings"] if f["severity"] != "error")
    report.text = result.text
    report.original = result.original
    report.status = AuditedReport.Status.DONE
    report.finished_at = timezone.now()
    report.save(
        update_fields=[
            "result", "report_format", "year", "agency", "errors", "warnings",
            "text", "original", "status", "finished_at",
        ]
    )
    return report

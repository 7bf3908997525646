"""What a worker does with one stored report: audit it in a capped child process (``isolation``) and
save what it said, or why it failed. Called by ``tasks.audit_report_task``."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from gongkai.audits.models import AuditedReport, AuditFindingsPage
from gongkai.audits.presentation import finding_pages, report_summary

log = logging.getLogger(__name__)


def audit_report_run(*, report_id: int) -> AuditedReport | None:
    """Audit one stored report in a capped child process and save what it said; a failure (a
    timeout, the memory limit, a crash of the child) is recorded as the report's failure, not raised.

    Returns None when the report is no longer waiting (already done or failed: a task queued twice
    by the reaper and the original both reached a worker)."""
    from gongkai.audits.isolation import audit_isolated  # imported when a worker first runs one

    with transaction.atomic():
        report = AuditedReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (AuditedReport.Status.DONE, AuditedReport.Status.FAILED):
            return None
        report.status = AuditedReport.Status.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
    try:
        outcome = audit_isolated(bytes(report.content), report.filename)
    except Exception as exc:  # starting the child failed: keep the batch going
        log.exception("audit of report %s failed", report_id)
        return _fail(report, f"审计时发生内部错误：{type(exc).__name__}")
    if outcome.payload is None:
        log.warning("audit of report %s: %s", report_id, outcome.failure)
        return _fail(report, outcome.failure)
    data = outcome.payload["result"]
    report.result = data
    report.report_format = outcome.payload.get("format") or ""
    report.year = outcome.payload.get("year")
    report.agency = (outcome.payload.get("agency") or "")[:200]
    report.errors = sum(1 for f in data["findings"] if f["severity"] == "error")
    report.warnings = sum(1 for f in data["findings"] if f["severity"] != "error")
    report.text = outcome.payload.get("text") or ""
    report.original = outcome.payload.get("original") or ""
    report.summary = report_summary(data)
    report.status = AuditedReport.Status.DONE
    report.failure = ""
    report.finished_at = timezone.now()
    with transaction.atomic():
        AuditFindingsPage.objects.filter(report=report).delete()
        AuditFindingsPage.objects.bulk_create(
            AuditFindingsPage(report=report, number=n, findings=page)
            for n, page in enumerate(finding_pages(data["findings"]), start=1)
        )
        report.save(
            update_fields=[
                "result",
                "report_format",
                "year",
                "agency",
                "errors",
                "warnings",
                "text",
                "original",
                "summary",
                "status",
                "failure",
                "finished_at",
            ]
        )
    return report


def _fail(report: AuditedReport, reason: str) -> AuditedReport:
    report.status = AuditedReport.Status.FAILED
    report.failure = reason
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "failure", "finished_at"])
    return report

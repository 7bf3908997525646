"""Writes: create an audit batch from uploads, run the audit of one report."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audits.models import AuditBatch, AuditedReport, AuditFindingsPage
from gongkai.audits.presentation import finding_pages, report_summary
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


def audit_report_run(*, report_id: int) -> AuditedReport | None:
    """Audit one stored report in a capped child process and save what it said; a failure (a
    timeout, the memory limit, a crash of the child) is recorded as the report's failure, not raised.

    Returns None when the report is no longer waiting (already done or failed: a task queued twice
    by the reaper and the original both reached a worker)."""
    from gongkai.audits.isolation import audit_isolated

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


def stale_after() -> timedelta:
    """How long after its start a report still "running" certainly had its worker die: the child
    is killed at the audit timeout, so beyond the timeout plus a margin nobody is working on it."""
    return timedelta(seconds=settings.GONGKAI_AUDIT_TIMEOUT_SECONDS + settings.GONGKAI_AUDIT_STALE_MARGIN_SECONDS)


def audit_reap_stale(*, batch: AuditBatch | None = None, now: datetime | None = None) -> dict[str, int]:
    """Find audits whose worker died (kill -9, the kernel's OOM killer, a power cut) and end them.

    A report ``running`` since before ``now - stale_after()`` is queued again while it has had
    fewer than ``GONGKAI_AUDIT_MAX_ATTEMPTS`` attempts, else failed with a reason; the task rows of
    the database backend left ``RUNNING`` by the dead worker are marked failed (a report whose task
    died before it was even marked running is queued again too). Only rows still stale when locked
    are touched, so two reapers at once do the work once. ``batch`` limits the look to one batch
    (the progress page polls it). Returns counts: requeued, failed, tasks.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    max_attempts = max(1, int(settings.GONGKAI_AUDIT_MAX_ATTEMPTS))
    counts = {"requeued": 0, "failed": 0, "tasks": 0}
    running = AuditedReport.objects.filter(status=AuditedReport.Status.RUNNING, started_at__lt=cutoff)
    if batch is not None and not running.filter(batch=batch).exists():
        return counts  # the usual answer to a progress poll: one indexed look, nothing more
    task_reports = _reap_task_rows(cutoff, now, batch, counts)
    stale = Q(status=AuditedReport.Status.RUNNING, started_at__lt=cutoff)
    if task_reports:
        stale |= Q(pk__in=task_reports, status=AuditedReport.Status.QUEUED)
    qs = AuditedReport.objects.filter(stale)
    if batch is not None:
        qs = qs.filter(batch=batch)
    requeue: list[int] = []
    with transaction.atomic():
        for report in qs.select_for_update().only("id", "status", "attempts", "started_at"):
            if report.attempts >= max_attempts:
                report.status = AuditedReport.Status.FAILED
                report.failure = (
                    f"审计进程意外终止（已尝试{report.attempts}次），可能是文件导致内存或时间超限，请检查文件后重新上传"
                )
                report.finished_at = now
                report.save(update_fields=["status", "failure", "finished_at"])
                counts["failed"] += 1
            else:
                report.status = AuditedReport.Status.QUEUED
                report.save(update_fields=["status"])
                requeue.append(report.pk)
                counts["requeued"] += 1
        if requeue:
            from gongkai.audits.tasks import audit_report_task

            transaction.on_commit(lambda: [audit_report_task.enqueue(pk) for pk in requeue])
    if any(counts.values()):
        log.warning("audit reaper: %s", counts)
    return counts


def _reap_task_rows(cutoff: datetime, now: datetime, batch: AuditBatch | None, counts: dict[str, int]) -> set[int]:
    """Mark the database backend's audit task rows left RUNNING by a dead worker as failed; the
    ids of their reports."""
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return set()
    from gongkai.audits.tasks import audit_report_task

    report_ids: set[int] = set()
    with transaction.atomic():
        rows = DBTaskResult.objects.select_for_update().filter(
            task_path=audit_report_task.module_path, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for row in rows:
            args = (row.args_kwargs or {}).get("args") or []
            report_id = args[0] if args else (row.args_kwargs or {}).get("kwargs", {}).get("report_id")
            if batch is not None and not AuditedReport.objects.filter(pk=report_id, batch=batch).exists():
                continue
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = "gongkai.audits.services.WorkerDied"
            row.traceback = f"worker {row.worker_ids[-1] if row.worker_ids else '?'} stopped while running this task (found by the audit reaper)"
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            counts["tasks"] += 1
            if isinstance(report_id, int):
                report_ids.add(report_id)
    return report_ids

"""Background work of the audit (django-tasks; the database backend in the demo and production).

``audit_report_task`` audits one report (``running.audit_report_run``: in a capped child process,
``isolation``). ``reap_stale_audits_task`` ends audits whose worker died (:func:`audit_reap_stale`) and, as
django-tasks has no scheduler, queues its own next run ``GONGKAI_AUDIT_REAP_MINUTES`` later unless
one is already waiting (``manage.py reap_audits`` reaps once and starts the chain; ``make run``
calls it beside the worker).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.audits.running import audit_report_run
from gongkai.recurring import enqueue_unless_waiting, waiting_runs

log = logging.getLogger(__name__)


@task()
def audit_report_task(report_id: int) -> None:
    audit_report_run(report_id=report_id)


# -- the reaper: audits whose worker died ----------------------------------------------------------
# It lives beside the task it watches: it reads that task's rows in the queue and queues it again.


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


def pending_reaps() -> int | None:
    """Runs of the reaper waiting in the queue; None when the backend cannot tell."""
    return waiting_runs(reap_stale_audits_task)


def schedule_reaper(*, delay: timedelta | None = None):
    """Queue the next reaper run unless one is waiting (or the backend cannot defer one)."""
    delay = delay if delay is not None else timedelta(minutes=int(settings.GONGKAI_AUDIT_REAP_MINUTES))
    return enqueue_unless_waiting(reap_stale_audits_task, run_after=timezone.now() + delay)


@task()
def reap_stale_audits_task() -> dict[str, int]:
    schedule_reaper()  # first, so a failure now still leaves the next run in the queue
    return audit_reap_stale()

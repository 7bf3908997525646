"""Background work of the supervisor's desk (django-tasks, as the audit's): fetch one report, and
reap fetches whose worker died.

``reap_stale_fetches_task`` is queued, deferred past the time a fetch can take, whenever fetches are
queued (``enqueue_fetches``), and queues itself again while fetches are still pending, so a
worker killed in the middle of a fetch leaves nothing "fetching" for good even if nobody opens the
board (whose view, and the progress poll, reap too).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from gongkai.recurring import enqueue_unless_waiting
from gongkai.supervision.models import ReportFiling
from gongkai.supervision.running import fetch_stale_after, fetches_pending, filing_fetch_run

log = logging.getLogger("gongkai.supervision.services")


@task()
def fetch_report_task(filing_id: int) -> None:
    filing_fetch_run(filing_id=filing_id)


def schedule_fetch_reaper():
    return enqueue_unless_waiting(
        reap_stale_fetches_task, run_after=timezone.now() + fetch_stale_after() + timedelta(seconds=5)
    )


@task()
def reap_stale_fetches_task() -> dict[str, int]:
    counts = filing_reap_stale()
    if fetches_pending():
        schedule_fetch_reaper()
    return counts


def enqueue_fetches(ids: list[int]) -> None:
    def enqueue() -> None:
        for pk in ids:
            fetch_report_task.enqueue(pk)
        schedule_fetch_reaper()  # a deferred look, in case the worker dies in the middle

    transaction.on_commit(enqueue)


def filing_reap_stale(*, now: datetime | None = None) -> dict[str, int]:
    """End fetches whose worker died: queued again while attempts remain (GONGKAI_AUDIT_MAX_ATTEMPTS,
    the same budget as an audit), else failed with a reason; the database backend's task rows left
    running by the dead worker are marked failed. Only rows still stale when locked are touched."""
    now = now or timezone.now()
    cutoff = now - fetch_stale_after()
    counts = {"requeued": 0, "failed": 0, "tasks": 0}
    stale = ReportFiling.objects.filter(status=ReportFiling.Status.FETCHING, started_at__lt=cutoff)
    if not stale.exists():
        return counts  # the usual answer: one indexed look
    max_attempts = max(1, int(settings.GONGKAI_AUDIT_MAX_ATTEMPTS))
    requeue: list[int] = []
    with transaction.atomic():
        _reap_task_rows(cutoff, now, counts)
        for filing in stale.select_for_update().only("id", "status", "attempts", "started_at"):
            if filing.attempts >= max_attempts:
                filing.status = ReportFiling.Status.FAILED
                filing.failure = f"获取进程意外终止（已尝试{filing.attempts}次），请稍后重新获取"
                filing.save(update_fields=["status", "failure"])
                counts["failed"] += 1
            else:
                filing.status = ReportFiling.Status.QUEUED
                filing.save(update_fields=["status"])
                requeue.append(filing.pk)
                counts["requeued"] += 1
        if requeue:
            enqueue_fetches(requeue)
    log.warning("fetch reaper: %s", counts)
    return counts


def _reap_task_rows(cutoff: datetime, now: datetime, counts: dict[str, int]) -> None:
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return
    rows = DBTaskResult.objects.select_for_update().filter(
        task_path=fetch_report_task.module_path, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    )
    for row in rows:
        row.status = TaskResultStatus.FAILED
        row.finished_at = now
        row.exception_class_path = "gongkai.supervision.services.WorkerDied"
        row.traceback = "worker stopped while running this task (found by the fetch reaper)"
        row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        counts["tasks"] += 1

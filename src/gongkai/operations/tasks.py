"""The daily backup: a django-tasks task that queues its own next run, like the deadline refresh.

``backup_task`` first queues tomorrow's run (at ``GONGKAI_BACKUP_HOUR`` o'clock local time,
default 2), so a failed backup still leaves the next one in the queue, then writes a backup into
``GONGKAI_BACKUP_DIR`` and keeps the newest ``GONGKAI_BACKUP_KEEP``. ``manage.py schedule_backups``
starts the chain (the worker's systemd unit runs it before every start); nothing is queued while
a run is already waiting, so starting twice never makes two chains.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from gongkai.operations.backup import create_backup, prune
from gongkai.recurring import enqueue_unless_waiting, waiting_runs
from gongkai.workorders.services import purge_stale_batches

log = logging.getLogger(__name__)


def next_run_at(now: datetime) -> datetime:
    """The next ``GONGKAI_BACKUP_HOUR`` o'clock, local time (today if still ahead, else tomorrow)."""
    hour = int(getattr(settings, "GONGKAI_BACKUP_HOUR", 2))
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), time(hour)), timezone.get_current_timezone())
    return at if at > now else at + timedelta(days=1)


def pending_runs() -> int | None:
    """Runs of the backup waiting in the queue; None when the backend cannot tell."""
    return waiting_runs(backup_task)


def schedule_next(*, now: datetime | None = None):
    """Queue the next nightly run unless one is waiting. Returns the queued result, or None."""
    return enqueue_unless_waiting(backup_task, run_after=next_run_at(now or timezone.now()))


def run_backup() -> dict:
    directory = Path(settings.GONGKAI_BACKUP_DIR)
    # uploaded work-order sheets never confirmed name citizens and serve nothing: gone before the copy
    purged = purge_stale_batches(now=timezone.now())
    result = create_backup(dest=directory, tar=True)
    removed = prune(directory, int(settings.GONGKAI_BACKUP_KEEP))
    summary = {
        "backup": result.path.name,
        "seconds": round(result.seconds, 1),
        "database_bytes": result.database_bytes,
        "media_files": result.media_files,
        "media_bytes": result.media_bytes,
        "missing_media": len(result.missing_media),
        "removed": [p.name for p in removed],
        "purged_uploads": purged,
    }
    log.info("backup written", extra={k: v for k, v in summary.items() if k != "removed"} | {"removed": len(removed)})
    if result.missing_media:
        log.warning("backup: %d stored file(s) named by the database were not found", len(result.missing_media))
    return summary


@task()
def backup_task() -> dict:
    schedule_next()  # first: a failing backup tonight still leaves tomorrow's run queued
    return run_backup()

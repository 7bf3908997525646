"""Tasks that queue their own next run.

django-tasks has no scheduler, so the daily deadline refresh, the nightly backup and the audit
reaper each queue their next run themselves. Two rules keep such a chain single and alive: a run
is queued only when none of the same task is already waiting (so starting the chain twice, or a
worker restart, never makes two chains), and a run queues its successor before doing its work (so
a failure still leaves the next run in the queue). This module holds the first rule once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks.base import TaskResultStatus

log = logging.getLogger(__name__)


def waiting_runs(task) -> int | None:
    """Runs of ``task`` waiting in the queue; None when the backend cannot tell."""
    backend = task.get_backend()
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return None
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY, backend_name=backend.alias
    ).count()


def enqueue_unless_waiting(task, *, run_after: datetime | None = None):
    """Queue ``task`` (at ``run_after``, or now) unless a run of it is already waiting.

    Returns the queued result, or None when one was waiting or the backend cannot defer a run
    (the test settings' immediate backend runs tasks at once and has no queue to wait in).
    """
    if waiting_runs(task):
        return None
    backend = task.get_backend()
    if run_after is None:
        return task.enqueue()
    if not backend.supports_defer:
        log.info("%s: backend %s cannot defer tasks; no next run queued", task.name, backend.alias)
        return None
    return task.using(run_after=run_after).enqueue()

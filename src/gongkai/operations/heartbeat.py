"""The worker's heartbeat, beaten from a thread beside django-tasks' ``db_worker`` loop.

Why a thread and not a task that re-queues itself every N seconds: a heartbeat task waits in the
same queue as the real work, so a worker busy with a 500-report audit batch would look dead for
as long as the batch runs, and every beat would leave a task-result row behind (thousands a day).
The thread beats whatever the loop is doing; what the thread cannot see, a loop that is alive but
never takes a task, ``/healthz`` sees as queue lag (the oldest waiting task's age). The thread
also records the task being run (django-tasks' ``task_started``/``task_finished`` signals), so a
long task shows as ``busy_s`` instead of being guessed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks.signals import task_finished, task_started

from gongkai.operations.models import WorkerHeartbeat

log = logging.getLogger(__name__)

# rows of workers gone for longer than this are removed at start (a crashed worker leaves its row)
FORGET_AFTER = timedelta(days=1)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}"[:64]


class Heartbeat:
    def __init__(self, worker_id: str, *, every: float):
        self.worker_id = worker_id
        self.every = every
        self.started_at = timezone.now()
        self.current_task = ""
        self.task_started_at = None
        self.tasks_done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gongkai-heartbeat", daemon=True)

    # django-tasks signals (sent in the worker's main thread)
    def _on_started(self, sender, task_result, **kwargs):
        self.current_task = task_result.task.module_path[:300]
        self.task_started_at = timezone.now()

    def _on_finished(self, sender, task_result, **kwargs):
        self.current_task = ""
        self.task_started_at = None
        self.tasks_done += 1

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
                "current_task": self.current_task,
                "task_started_at": self.task_started_at,
                "tasks_done": self.tasks_done,
            },
        )

    def _run(self) -> None:
        # start() has just beaten: wait first
        while not self._stop.wait(self.every):
            try:
                close_old_connections()
                self.beat()
            except Exception:  # a database hiccup must not kill the thread: the next beat retries
                log.exception("heartbeat: could not record the beat")
        connection.close()

    def start(self) -> None:
        WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
        self.beat()  # before the loop starts, so /healthz turns green at once
        task_started.connect(self._on_started, dispatch_uid=f"heartbeat-start-{self.worker_id}")
        task_finished.connect(self._on_finished, dispatch_uid=f"heartbeat-finish-{self.worker_id}")
        self._thread.start()

    def stop(self) -> None:
        """A clean stop removes the row: a stopped worker is reported as missing, not as stale."""
        self._stop.set()
        self._thread.join(timeout=self.every + 5)
        task_started.disconnect(dispatch_uid=f"heartbeat-start-{self.worker_id}")
        task_finished.disconnect(dispatch_uid=f"heartbeat-finish-{self.worker_id}")
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            log.exception("heartbeat: could not remove the row at stop")

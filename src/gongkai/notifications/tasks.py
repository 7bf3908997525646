"""The outbox worker: a task that sends what is due and queues its own next run every
``GONGKAI_OUTBOX_INTERVAL_MINUTES`` minutes (default 10), so an SMS held through the quiet hours goes
soon after they end. ``manage.py send_outbox`` sends once and starts the chain (``make run`` may call
it at every start: nothing is queued while a run is waiting)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from gongkai.notifications.services import outbox_send_due
from gongkai.recurring import enqueue_unless_waiting, waiting_runs


def interval() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "GONGKAI_OUTBOX_INTERVAL_MINUTES", 10)))


def pending_runs() -> int | None:
    return waiting_runs(outbox_task)


def schedule_next(*, run_after=None):
    return enqueue_unless_waiting(outbox_task, run_after=run_after)


@task()
def outbox_task() -> dict[str, int]:
    now = timezone.now()
    if outbox_task.get_backend().supports_defer:
        schedule_next(run_after=now + interval())  # first: a failure still leaves the next run queued
    return outbox_send_due(now=now)

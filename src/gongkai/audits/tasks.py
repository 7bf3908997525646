"""Background work of the audit (django-tasks; the database backend in the demo and production).

``audit_report_task`` audits one report (in a capped child process, ``isolation``).
``reap_stale_audits_task`` ends audits whose worker died (``services.audit_reap_stale``) and, as
django-tasks has no scheduler, queues its own next run ``GONGKAI_AUDIT_REAP_MINUTES`` later unless
one is already waiting (``manage.py reap_audits`` reaps once and starts the chain; ``make run``
calls it beside the worker).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from gongkai.audits.services import audit_reap_stale, audit_report_run
from gongkai.recurring import enqueue_unless_waiting, waiting_runs


@task()
def audit_report_task(report_id: int) -> None:
    audit_report_run(report_id=report_id)


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

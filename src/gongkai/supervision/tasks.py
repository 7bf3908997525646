"""Background work of the supervisor's desk (django-tasks, as the audit's): fetch one report, and
reap fetches whose worker died.

``reap_stale_fetches_task`` is queued, deferred past the time a fetch can take, whenever fetches are
queued (``services._enqueue_fetch``), and queues itself again while fetches are still pending, so a
worker killed in the middle of a fetch leaves nothing "fetching" for good even if nobody opens the
board (whose view, and the progress poll, reap too).
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from gongkai.recurring import enqueue_unless_waiting
from gongkai.supervision.services import fetch_stale_after, fetches_pending, filing_fetch_run, filing_reap_stale


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

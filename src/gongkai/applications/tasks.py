"""Reminders: every morning the reply deadline of every open case is recomputed for the day.

``refresh_deadlines_task`` (django-tasks; the database backend, worked by ``manage.py db_worker``
beside the web server) runs :func:`refresh_open_deadlines`, which asks the domain clock again
through ``services.application_refresh_deadline``. Nothing new is stored: a case is

- **overdue** when it is open, its reply clock is live (``reply_status`` running or missed: not
  paused by a consultation, not void while awaiting a correction) and ``reply_due`` is before today
  (the refresh then stores ``missed``);
- **due soon** when it is open, its clock is live and ``reply_due`` falls between today and the
  N-th working day after it (``settings.GONGKAI_DUE_SOON_WORKING_DAYS``, default 3, the work
  list's "3个工作日内到期"); days left are computed on display.

The same run chases the units past their internal deadline (督办, ``services.assignments_chase``).

django-tasks has no scheduler, so the task puts its own next run in the queue first thing (the
next morning at ``GONGKAI_REMINDER_HOUR`` o'clock, default 6, local time), unless a run is already
waiting: starting the server twice never makes two chains. ``manage.py schedule_reminders`` starts
the chain (``make run`` calls it). Backends that cannot defer a task (the immediate backend of the
test settings) simply run it once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_tasks import task

from gongkai.accounts.models import Agency
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services import (
    application_refresh_deadline,
    assignments_chase,
    computed_reply,
    open_states,
    stored_reply,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import DeadlineStatus
from gongkai.domain.errors import DomainError
from gongkai.notifications import services as notification_services
from gongkai.recurring import enqueue_unless_waiting, waiting_runs
from gongkai.workcalendar.selectors import working_calendar

log = logging.getLogger(__name__)

DEFAULT_REMINDER_HOUR = 6


def reminder_working_days() -> int:
    return settings.GONGKAI_DUE_SOON_WORKING_DAYS


# -- what the reminders show --------------------------------------------------------------------


def open_cases(agency: Agency | None = None) -> QuerySet[Application]:
    qs = Application.objects.filter(state__in=open_states())
    return qs.filter(agency=agency) if agency is not None else qs


# A stored reply status under which the stored due date is a live deadline (not void, not paused);
# the same reading as the work list's filters (selectors._view_filter).
LIVE_STATUSES = (str(DeadlineStatus.RUNNING), str(DeadlineStatus.MISSED))


def overdue_cases(agency: Agency | None = None, *, today: date) -> QuerySet[Application]:
    return open_cases(agency).filter(reply_status__in=LIVE_STATUSES, reply_due__lt=today)


def due_soon_cutoff(today: date, calendar: WorkingCalendar, working_days: int | None = None) -> date:
    """The last due date that counts as due soon: the N-th working day after today."""
    return calendar.add_working_days(today, reminder_working_days() if working_days is None else working_days)


def due_soon_cases(
    agency: Agency | None = None, *, today: date, calendar: WorkingCalendar, working_days: int | None = None
) -> QuerySet[Application]:
    cutoff = due_soon_cutoff(today, calendar, working_days)
    return open_cases(agency).filter(reply_status__in=LIVE_STATUSES, reply_due__gte=today, reply_due__lte=cutoff)


# -- the job ------------------------------------------------------------------------------------


def refresh_open_deadlines(*, today: date, calendar: WorkingCalendar | None = None) -> dict[str, int]:
    """Recompute the reply deadline of every open, received case for ``today``; save only changes.

    Most mornings nothing changes for most cases, and saving anyway would add a history row per
    case per day, so the clock is asked first and the service writes only what moved (a running
    consultation pause, a due date passed). A case whose log the clock refuses (it should not
    happen: every move was checked) is logged and skipped, so one bad case never stops the rest.
    """
    calendar = calendar or working_calendar()
    checked = changed = failed = 0
    cases = (
        open_cases()
        .filter(received_on__isnull=False)
        .order_by("pk")
        .prefetch_related(Prefetch("events", queryset=CaseEvent.objects.order_by("seq")))
    )
    for app in cases.iterator(chunk_size=500):
        checked += 1
        try:
            # Over a year whose holiday notice is missing the clock gives a provisional date, so
            # such a case is refreshed like any other (no error per case per day).
            now = computed_reply(app, app.events.all(), calendar=calendar, today=today)
            if now != stored_reply(app):
                application_refresh_deadline(application=app, calendar=calendar, today=today)
                changed += 1
        except DomainError as err:
            failed += 1
            log.warning("reminders: case %s: %s", app.pk, err.message)
    counts = {"checked": checked, "changed": changed, "failed": failed, "overdue": overdue_cases(today=today).count()}
    try:
        counts["due_soon"] = due_soon_cases(today=today, calendar=calendar).count()
    except DomainError as err:  # the calendar does not reach N working days ahead yet
        log.warning("reminders: %s", err.message)
        counts["due_soon"] = 0
    return counts


def next_run_at(now: datetime) -> datetime:
    """Tomorrow morning, local time, as an aware datetime."""
    hour = int(getattr(settings, "GONGKAI_REMINDER_HOUR", DEFAULT_REMINDER_HOUR))
    local = timezone.localtime(now)
    tomorrow = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(hour)), timezone.get_current_timezone())


def pending_runs() -> int | None:
    """Runs of the reminder task waiting in the queue; None when the backend cannot tell."""
    return waiting_runs(refresh_deadlines_task)


def schedule_next(*, now: datetime | None = None, run_after: datetime | None = None):
    """Queue the next run unless one is already waiting. Returns the queued result, or None."""
    return enqueue_unless_waiting(refresh_deadlines_task, run_after=run_after)


@task()
def refresh_deadlines_task() -> dict[str, int]:
    now = timezone.now()
    if refresh_deadlines_task.get_backend().supports_defer:
        # first, so a failure today still leaves tomorrow's run in the queue
        schedule_next(run_after=next_run_at(now))
    today = timezone.localdate(now)
    counts = refresh_open_deadlines(today=today)
    # 督办: units past their internal deadline, chased step by step in the case log (and the outbox)
    counts["chased"] = assignments_chase(today=today)
    # the day's digest of due and overdue work, then what is due in the outbox (SMS wait for the
    # end of the quiet hours: the outbox worker sends them then)
    counts["digests"] = notification_services.digests_queue(today=today, now=now)
    counts |= {f"outbox_{k}": v for k, v in notification_services.outbox_send_due(now=now).items()}
    return counts

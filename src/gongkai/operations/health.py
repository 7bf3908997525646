"""What ``/healthz`` checks: the database, the background worker, the holiday-notice coverage.

Each check returns a plain dict with a ``status``: ``ok``, ``warning`` (someone should look, the
service still works) or ``fail`` (the service does not work: the monitor should page). The page
answers 503 when any check fails and 200 otherwise, so a monitor needs only the status code.

- database: one trivial query. Its failure fails everything else too, so the other checks are
  then reported as ``unknown`` instead of raising.
- worker (only with the database task backend): the newest heartbeat of ``manage.py run_worker``
  must be younger than ``GONGKAI_WORKER_STALE_SECONDS``, else ``fail`` (no worker: audits, the
  daily deadline refresh and the backups do not run). A task waiting longer than
  ``GONGKAI_QUEUE_LAG_WARNING_SECONDS`` is a ``warning``: a live worker busy with a long audit batch
  is not dead, but a worker that beats and never takes a task is also seen here.
- calendar: every year touched by today … today + 60 days must have its holiday notice. A missing
  notice is a ``warning`` (``"calendar": "provisional"``): deadlines in that year are provisional
  until the State Council's notice is entered, which happens every December; it is not an outage.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

OK, WARNING, FAIL, UNKNOWN = "ok", "warning", "fail", "unknown"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as err:  # any driver error: the database is not reachable for us
        return {"status": FAIL, "error": type(err).__name__}
    return {"status": OK, "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def uses_database_worker() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


def check_worker(*, now: datetime) -> dict:
    if not uses_database_worker():
        return {"status": OK, "worker": "not used (tasks run in the web process)"}
    from django_tasks_db.models import DBTaskResult

    from gongkai.operations.models import WorkerHeartbeat

    stale_after = _setting("GONGKAI_WORKER_STALE_SECONDS", 120)
    lag_warning = _setting("GONGKAI_QUEUE_LAG_WARNING_SECONDS", 900)
    newest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    result: dict = {
        "stale_after_s": stale_after,
        "workers": WorkerHeartbeat.objects.filter(beat_at__gte=now - timedelta(seconds=stale_after)).count(),
    }
    if newest is None:
        result.update(status=FAIL, heartbeat_age_s=None, problem="no worker is running (manage.py run_worker)")
        return result
    age = (now - newest.beat_at).total_seconds()
    result["heartbeat_age_s"] = round(age, 1)
    result["status"] = OK if age <= stale_after else FAIL
    if result["status"] == FAIL:
        result["problem"] = "the newest heartbeat is too old: the worker is down"
    if newest.current_task and newest.task_started_at:
        result["busy_s"] = round((now - newest.task_started_at).total_seconds(), 1)
    waiting = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    lag = 0.0
    if waiting is not None:
        enqueued_at, run_after = waiting
        since = enqueued_at if run_after.year >= 9999 else max(enqueued_at, run_after)
        lag = max(0.0, (now - since).total_seconds())
    result["queue_lag_s"] = round(lag, 1)
    if lag > lag_warning and result["status"] == OK:
        result["status"] = WARNING
        result["problem"] = "a task has waited longer than the warning threshold"
    return result


def check_calendar(*, today: date) -> dict:
    from gongkai.workcalendar.selectors import working_calendar

    days = _setting("GONGKAI_HEALTH_CALENDAR_DAYS", 60)
    until = today + timedelta(days=days)
    covered = set(working_calendar().covered_years)
    missing = [y for y in range(today.year, until.year + 1) if y not in covered]
    return {
        "status": WARNING if missing else OK,
        "calendar": "provisional" if missing else "covered",
        "window": [today.isoformat(), until.isoformat()],
        "missing_notice_years": missing,
    }


def health(*, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    checks = {"database": check_database()}
    if checks["database"]["status"] == FAIL:
        checks["worker"] = {"status": UNKNOWN}
        checks["calendar"] = {"status": UNKNOWN}
    else:
        checks["worker"] = check_worker(now=now)
        checks["calendar"] = check_calendar(today=timezone.localdate(now))
    statuses = {c["status"] for c in checks.values()}
    status = FAIL if FAIL in statuses else WARNING if WARNING in statuses else OK
    return {"status": status, "time": now.isoformat(timespec="seconds"), "checks": checks}

"""/healthz: the database, the worker's heartbeat and the holiday-notice coverage; 200 or 503."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django_tasks import task

from gongkai.operations import health, views
from gongkai.operations.heartbeat import Heartbeat
from gongkai.operations.models import WorkerHeartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# 2026-06-01 12:00 in Beijing: today..+60 days stays in 2026, whose notice is shipped
JUNE = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
# 2026-12-07: the window reaches 2027, whose notice is not shipped (the State Council publishes it late)
DECEMBER = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


def _beat(age_s: float, now: datetime, worker_id: str = "w1", **kw) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="h",
        pid=1,
        started_at=now - timedelta(hours=1),
        beat_at=now - timedelta(seconds=age_s),
        **kw,
    )


@pytest.fixture
def at(monkeypatch):
    def freeze(now: datetime):
        monkeypatch.setattr(health.timezone, "now", lambda: now)
        return now

    return freeze


@pytest.mark.django_db
def test_healthy_is_200_json_without_login_and_names_every_check(client, at):
    now = at(JUNE)
    with override_settings(TASKS=DB_TASKS):
        _beat(5, now)
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "calendar"}
    assert body["checks"]["worker"]["heartbeat_age_s"] == 5.0
    assert body["checks"]["calendar"] == {
        "status": "ok",
        "calendar": "covered",
        "window": ["2026-06-01", "2026-07-31"],
        "missing_notice_years": [],
    }


@pytest.mark.django_db
def test_no_secrets_in_the_answer(client, settings, at):
    at(JUNE)
    text = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in text
    assert "PASSWORD" not in text.upper() and "@" not in text  # no database URL or credentials


@pytest.mark.django_db
def test_a_worker_that_never_beat_or_stopped_beating_is_503(client, at):
    now = at(JUNE)
    with override_settings(TASKS=DB_TASKS):
        missing = client.get("/healthz")
        _beat(121, now)  # the default stale limit is 120 s
        stale = client.get("/healthz")
        with override_settings(GONGKAI_WORKER_STALE_SECONDS=600):
            fresh_enough = client.get("/healthz")
    assert missing.status_code == 503 and missing.json()["checks"]["worker"]["status"] == "fail"
    assert stale.status_code == 503 and stale.json()["checks"]["worker"]["heartbeat_age_s"] == 121.0
    assert fresh_enough.status_code == 200


@pytest.mark.django_db
def test_tasks_run_in_the_web_process_need_no_worker(client, at):
    at(JUNE)
    response = client.get("/healthz")  # the test settings' immediate backend
    assert response.status_code == 200 and response.json()["checks"]["worker"]["status"] == "ok"


@pytest.mark.django_db
def test_a_task_waiting_too_long_is_a_warning_not_an_outage(client, at):
    now = at(JUNE)
    with override_settings(TASKS=DB_TASKS):
        _beat(
            1, now, current_task="gongkai.audits.tasks.audit_report_task", task_started_at=now - timedelta(minutes=40)
        )
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="x.y",
            backend_name="default",
            run_after=now - timedelta(minutes=30),
        )
        DBTaskResult.objects.update(enqueued_at=now - timedelta(minutes=31))
        response = client.get("/healthz")
    worker = response.json()["checks"]["worker"]
    assert response.status_code == 200 and response.json()["status"] == "warning"
    assert worker["status"] == "warning" and worker["queue_lag_s"] == 1800.0 and worker["busy_s"] == 2400.0


@pytest.mark.django_db
def test_a_missing_holiday_notice_within_60_days_is_provisional_and_still_200(client, at):
    at(DECEMBER)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "warning"
    assert body["checks"]["calendar"]["calendar"] == "provisional"
    assert body["checks"]["calendar"]["missing_notice_years"] == [2027]


@pytest.mark.django_db
def test_an_unreachable_database_is_503(client, monkeypatch, at):
    at(JUNE)

    def broken(*a, **kw):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    body = health.health()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["worker"]["status"] == "unknown"
    assert views.healthz(RequestFactory().get("/healthz")).status_code == 503


@pytest.mark.django_db
def test_a_local_monitor_over_plain_http_to_the_loopback_address_is_answered(client, at):
    at(JUNE)
    # production: HTTPS redirect on, only the site's host name allowed
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["gongkai.example.gov.cn"]):
        page = client.get("/xxgk/", HTTP_HOST="127.0.0.1:8000")
        page_https = client.get("/xxgk/", HTTP_HOST="gongkai.example.gov.cn")
        monitor = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert page.status_code == 400  # the host check still guards every page
    assert page_https.status_code == 301
    assert monitor.status_code == 200 and monitor.json()["checks"]["database"]["status"] == "ok"
    assert monitor["X-Request-ID"]


@task()
def _report_heartbeats() -> list:
    """Run by the worker in the test below: what /healthz would see while a task runs."""
    return list(WorkerHeartbeat.objects.values("worker_id", "current_task", "tasks_done"))


@pytest.mark.django_db(transaction=True)
def test_run_worker_beats_while_it_works_and_removes_its_row_when_it_stops():
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        _report_heartbeats.enqueue()
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
    (result,) = DBTaskResult.objects.all()
    assert result.status == "SUCCESSFUL"
    (seen,) = result.return_value
    assert seen["worker_id"] and seen["tasks_done"] == 0
    assert not WorkerHeartbeat.objects.exists()  # a clean stop: reported as missing, not as stale


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_keeps_beating_and_records_the_running_task():
    hb = Heartbeat("test-worker", every=0.05)
    hb.start()
    try:
        first = WorkerHeartbeat.objects.get(pk="test-worker").beat_at
        hb.current_task, hb.task_started_at = "gongkai.audits.tasks.audit_report_task", timezone.now()
        deadline = time.monotonic() + 10
        row = WorkerHeartbeat.objects.get(pk="test-worker")
        while (row.beat_at == first or not row.current_task) and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                row = WorkerHeartbeat.objects.get(pk="test-worker")
            except OperationalError:  # the test database (shared-cache SQLite) is locked while the thread writes
                pass
        assert row.beat_at > first and row.current_task == "gongkai.audits.tasks.audit_report_task"
    finally:
        hb.stop()
    assert not WorkerHeartbeat.objects.filter(pk="test-worker").exists()

"""An audit runs in a capped child process; an audit whose worker died is ended (issue 12).

The last test really kills a ``manage.py db_worker`` process with SIGKILL mid-audit: the worker
and the database must be separate processes sharing one database, so it runs them against a
SQLite file of its own (the test database is in memory).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from gongkai.audits.isolation import audit_isolated
from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.audits.services import audit_reap_stale, audit_report_run
from gongkai.domain.audit import audit_bytes
from tests.integration import processes
from tests.unit.audit import hostile as H

PROJECT = Path(__file__).resolve().parents[2]
# the slow input (a damaged body of empty paragraphs) is slow only past max_docx_elements
_NO_ELEMENT_LIMIT = {"max_docx_elements": 100_000_000}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _report(user, name: str, data: bytes, **fields) -> AuditedReport:
    batch = AuditBatch.objects.create(title="t", created_by=user)
    return AuditedReport.objects.create(batch=batch, position=1, filename=name, content=data, size=len(data), **fields)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("jiandu")


def test_the_child_says_what_the_domain_says(shared_dir):
    data = (shared_dir / "samples" / "sample-02.txt").read_bytes()
    outcome = audit_isolated(data, "sample-02.txt")
    expected = audit_bytes(data, "sample-02.txt")
    assert outcome.failure == ""
    assert outcome.payload["result"] == expected.to_json()
    assert outcome.payload["original"] == expected.original and outcome.payload["year"] == expected.year


def test_an_audit_past_the_timeout_is_killed_and_the_report_fails_with_a_reason(user):
    name, data = H.damaged_paragraphs_docx(60, text="")  # no text: 60 MB parsed at once, seconds on any machine
    report = _report(user, name, data)
    with override_settings(GONGKAI_AUDIT_TIMEOUT_SECONDS=1, GONGKAI_AUDIT_READER_LIMITS=_NO_ELEMENT_LIMIT):
        started = time.monotonic()
        audit_report_run(report_id=report.pk)
        assert time.monotonic() - started < 10
    report.refresh_from_db()
    assert report.status == AuditedReport.Status.FAILED
    assert "审计超时" in report.failure and "1秒" in report.failure
    assert report.finished_at is not None and report.attempts == 1


def test_an_audit_past_the_memory_limit_ends_as_a_failure_or_a_finding_never_a_dead_worker(user):
    name, data = H.damaged_paragraphs_docx(30, text="")  # no text to stop at: parsed whole (an intact one streams)
    report = _report(user, name, data)
    with override_settings(GONGKAI_AUDIT_MEMORY_MB=300, GONGKAI_AUDIT_READER_LIMITS=_NO_ELEMENT_LIMIT):
        audit_report_run(report_id=report.pk)
    report.refresh_from_db()
    if report.status == AuditedReport.Status.FAILED:
        assert "内存" in report.failure, report.failure
    else:  # the reader's own guards caught the failed allocation (lxml reports it as a syntax error)
        assert report.status == AuditedReport.Status.DONE
        assert any(f["rule"] in ("source_problem", "reader_error") for f in report.result["findings"])
        assert (
            report.result["findings"][0]["rule"] == "resource_limit"
            and "内存" in report.result["findings"][0]["message"]
        )


def test_reader_limit_overrides_reach_the_child(user, shared_dir):
    data = (shared_dir / "samples" / "sample-03.txt").read_bytes()
    with override_settings(GONGKAI_AUDIT_READER_LIMITS={"max_findings": 1}):
        outcome = audit_isolated(data, "s.txt")
    findings = outcome.payload["result"]["findings"]
    assert len(findings) == 2 and findings[0]["rule"] == "findings_limit"


@pytest.mark.django_db(transaction=True)
def test_a_stale_running_report_is_queued_again_then_failed_after_the_last_attempt(user, shared_dir):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from gongkai.audits.tasks import audit_report_task

    data = (shared_dir / "samples" / "sample-01.txt").read_bytes()
    long_ago = timezone.now() - timedelta(hours=1)
    with override_settings(TASKS=DB_TASKS, GONGKAI_AUDIT_MAX_ATTEMPTS=2):
        report = _report(user, "s.txt", data, status="running", started_at=long_ago, attempts=1)
        # the task row a killed worker leaves behind
        row = audit_report_task.enqueue(report.pk)
        DBTaskResult.objects.filter(pk=row.id).update(
            status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["dead"]
        )
        fresh = _report(user, "fresh.txt", data, status="running", started_at=timezone.now(), attempts=1)

        counts = audit_reap_stale()
        assert counts == {"requeued": 1, "failed": 0, "tasks": 1}
        assert DBTaskResult.objects.get(pk=row.id).status == TaskResultStatus.FAILED
        report.refresh_from_db()
        fresh.refresh_from_db()
        assert report.status == AuditedReport.Status.QUEUED and fresh.status == AuditedReport.Status.RUNNING

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        report.refresh_from_db()
        assert report.status == AuditedReport.Status.DONE and report.attempts == 2

        # once more dead, now at the last attempt: failed, with a reason
        AuditedReport.objects.filter(pk=report.pk).update(status="running", started_at=long_ago)
        assert audit_reap_stale()["failed"] == 1
        report.refresh_from_db()
        assert report.status == AuditedReport.Status.FAILED and "意外终止" in report.failure and "2次" in report.failure


def test_the_progress_poll_ends_a_dead_audit_of_its_batch(client, user, shared_dir):
    from gongkai.accounts.models import Agency, Membership, Role

    agency = Agency.objects.create(code="sup", name="某市政务公开办", kind="supervisor")
    Membership.objects.create(user=user, agency=agency, role=Role.SUPERVISOR)
    client.force_login(user)
    report = _report(user, "s.txt", b"x", status="running", started_at=timezone.now() - timedelta(hours=1), attempts=2)
    progress = client.get(f"/audit/batches/{report.batch_id}/progress.json").json()
    assert progress == {"total": 1, "finished": 1, "percent": 100, "complete": True}
    report.refresh_from_db()
    assert report.status == AuditedReport.Status.FAILED


# -- a real worker, really killed ------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker's child")
def test_kill_9_of_the_worker_mid_audit_leaves_nothing_running_and_the_batch_finishes(tmp_path, shared_dir):
    db = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.base",
        "DATABASE_URL": f"sqlite:///{db}",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "GONGKAI_AUDIT_TIMEOUT_SECONDS": "60",
        "GONGKAI_AUDIT_STALE_MARGIN_SECONDS": "5",
        "GONGKAI_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env["GONGKAI_AUDIT_READER_LIMITS"] = json.dumps(_NO_ELEMENT_LIMIT)  # the slow file stays slow

    def manage(*args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, str(PROJECT / "manage.py"), *args],
            env=env,
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    slow = tmp_path / "slow.docx"
    slow.write_bytes(H.damaged_paragraphs_docx(40, text="")[1])  # a few seconds of parsing in the child
    normal = shared_dir / "samples" / "sample-01.txt"
    manage("migrate", "--noinput", timeout=300)
    manage(
        "shell",
        "-c",
        (
            "from pathlib import Path\n"
            "from django.contrib.auth import get_user_model\n"
            "from gongkai.audits.services import audit_batch_create\n"
            "from gongkai.audits.uploads import Expanded\n"
            "u = get_user_model().objects.create_user('jiandu')\n"
            f"files = [('slow.docx', Path({str(slow)!r}).read_bytes()), ('normal.txt', Path({str(normal)!r}).read_bytes())]\n"
            "audit_batch_create(user=u, title='kill', expanded=Expanded(files=files))\n"
        ),
    )

    def rows(sql: str) -> list[tuple]:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()

    worker = subprocess.Popen(
        [sys.executable, str(PROJECT / "manage.py"), "db_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while time.monotonic() < deadline:
            running = rows("select filename from audits_auditedreport where status = 'running'")
            children = processes.children(worker.pid)
            if running == [("slow.docx",)] and children:
                break
            time.sleep(0.05)
        assert running == [("slow.docx",)] and children, "the worker never started the slow audit"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    # the audit child dies with its worker (PR_SET_PDEATHSIG): nothing keeps running
    deadline = time.monotonic() + 5
    while any(processes.alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(processes.alive(c) for c in children)
    # ... but the rows say "running" for ever, until the reaper comes
    assert rows("select status from audits_auditedreport where filename = 'slow.docx'") == [("running",)]
    assert ("RUNNING",) in rows("select status from django_tasks_database_dbtaskresult")

    # the audit timeout plus the margin later, the reaper (as the periodic task runs it) queues it again
    out = manage(
        "shell",
        "-c",
        (
            "from datetime import timedelta\n"
            "from django.utils import timezone\n"
            "from gongkai.audits.services import audit_reap_stale\n"
            "print(audit_reap_stale(now=timezone.now() + timedelta(seconds=66)))\n"
        ),
    )
    assert "'requeued': 1" in out and "'tasks': 1" in out
    assert not rows("select status from django_tasks_database_dbtaskresult where status = 'RUNNING'")

    manage("db_worker", "--batch", "--no-startup-delay", timeout=300)
    assert sorted(rows("select filename, status, attempts from audits_auditedreport")) == [
        ("normal.txt", "done", 1),
        ("slow.docx", "done", 2),
    ]


@pytest.mark.django_db(transaction=True)
def test_reap_audits_starts_one_periodic_reaper_however_often_it_runs():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from gongkai.audits.tasks import reap_stale_audits_task

    with override_settings(TASKS=DB_TASKS):
        call_command("reap_audits", stdout=open(os.devnull, "w"))
        call_command("reap_audits", stdout=open(os.devnull, "w"))
        waiting = DBTaskResult.objects.filter(
            task_path=reap_stale_audits_task.module_path, status=TaskResultStatus.READY
        )
        assert waiting.count() == 1
        assert waiting.get().run_after > timezone.now() + timedelta(minutes=4)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_a_child_whose_parent_is_already_gone_stops_at_once():
    """The parent's pid is passed in: a child adopted before it could ask to die with its parent
    (the parent killed between fork and start-up) notices and exits instead of auditing."""
    header = b'{"name": "x.txt", "memory_mb": 0, "cpu_seconds": 0, "limits": {}}\n'
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.audits.child", "1"], input=header + b"abc", capture_output=True, timeout=30
    )
    assert done.returncode == 1 and done.stdout == b""
    alive = subprocess.run(
        [sys.executable, "-m", "gongkai.audits.child", str(os.getpid())],
        input=header + b"abc",
        capture_output=True,
        timeout=30,
    )
    assert alive.returncode == 0 and b'"findings"' in alive.stdout


def test_the_memory_note_reads_the_peak_of_the_audit_not_of_the_worker_that_started_it():
    """Linux keeps ru_maxrss across exec: a fresh interpreter started by a big worker reported the
    worker's peak, and "审计时内存用量接近上限" on a small report. The child reads VmHWM instead."""
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "b = bytearray(400 * 2**20)\n"
        "b[::4096] = b'x' * len(b[::4096])\n"  # touched: resident
        "os.execv(sys.executable, [sys.executable, '-c', "
        "'import resource; from gongkai.audits.child import _peak_mb; "
        "print(_peak_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)'])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    peak, inherited = map(float, out.stdout.split())
    assert inherited >= 400  # the bug: the worker's peak, kept across exec
    assert peak < 200  # the interpreter's own

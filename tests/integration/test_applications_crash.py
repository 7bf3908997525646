"""Nothing is lost, with a real server process killed (SIGKILL) in the middle of a submission;
and a real double click (two simultaneous posts of one form) makes one application.

A launcher starts ``runserver`` against a temporary SQLite file, with the submission slowed down at
one point: inside the service's transaction after every row is inserted (before the commit), or
right after the service has committed (before the receipt is sent). When the server signals that
it reached the point, the test kills it with SIGKILL and opens the database: there is either no
application at all, or one complete application (its first log entry, its attachment and its
reply deadline), never a part of one.
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

LAUNCHER = r"""
import os, pathlib, sys, time
from datetime import date

import django

django.setup()
from gongkai import localtime
from gongkai.applications import services

marker = pathlib.Path(os.environ["CRASH_MARKER"])
localtime.local_today = lambda: date(2026, 3, 2)  # no dependence on next year's holiday notice

if os.environ["CRASH_POINT"] == "slow_first":
    real_refresh = services.application_refresh_deadline
    calls = []

    def refresh_slowly_once(**kwargs):  # the first click holds its transaction while the second arrives
        real_refresh(**kwargs)
        calls.append(1)
        if len(calls) == 1:
            marker.write_text("first inside")
            time.sleep(1.5)

    services.application_refresh_deadline = refresh_slowly_once
elif os.environ["CRASH_POINT"] == "before_commit":
    real_refresh = services.application_refresh_deadline

    def refresh_then_hang(**kwargs):  # the last step inside the service's transaction
        real_refresh(**kwargs)
        marker.write_text("inside the transaction")
        time.sleep(120)

    services.application_refresh_deadline = refresh_then_hang
elif os.environ["CRASH_POINT"] == "after_commit":
    real_submit = services.application_submit

    def submit_then_hang(**kwargs):  # committed, receipt not yet sent
        result = real_submit(**kwargs)
        marker.write_text("committed")
        time.sleep(120)
        return result

    services.application_submit = submit_then_hang

from django.core.management import execute_from_command_line

execute_from_command_line(["manage.py", "runserver", "--noreload", "--skip-checks", sys.argv[1]])
"""

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path, marker: Path, point: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings.test",
        DATABASE_URL=f"sqlite:///{db}",
        CRASH_MARKER=str(marker),
        CRASH_POINT=point,
        PYTHONUNBUFFERED="1",
    )
    return env


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """One migrated database with the site's agency and its people (tests.factories), copied for each scenario."""
    db = tmp_path_factory.mktemp("crash") / "template.sqlite3"
    env = _env(db, db.with_suffix(".marker"), "none")
    # the agency and its users only: no applications that would blur the counts
    seed_people = ["shell", "-c", "from tests.factories import bureau; bureau()"]
    for command in (["migrate", "--noinput"], seed_people):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return db


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM applications_{table}").fetchone()[0]
            for table in ("application", "caseevent", "attachment")
        }


class _Server:
    """runserver (through the launcher) on a free port against a copy of the migrated database."""

    def __init__(self, migrated_db: Path, tmp_path: Path, point: str, *, db: Path | None = None, opener=None):
        self.db = db or tmp_path / "db.sqlite3"
        if db is None:
            self.db.write_bytes(migrated_db.read_bytes())
        self.marker = tmp_path / "reached"
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, f"127.0.0.1:{port}"],
            cwd=PROJECT_ROOT,
            env=_env(self.db, self.marker, point),
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "server.log").open("wb"),
        )
        self.opener = opener or self.new_browser()

    @staticmethod
    def new_browser() -> urllib.request.OpenerDirector:
        """A client with its own cookies that does not follow redirects."""
        return urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def __enter__(self):
        def up() -> bool:
            try:
                return self.opener.open(f"{self.base}/apply/", timeout=2).status == 200
            except (urllib.error.URLError, ConnectionError, OSError):
                return False

        _wait_until(up, 60, "the server to answer")
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def form_request(self) -> urllib.request.Request:
        html = self.opener.open(f"{self.base}/apply/", timeout=10).read().decode()
        fields = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
            "submission_token": re.search(r'name="submission_token" value="([^"]+)"', html).group(1),
            **APPLICANT,
        }
        body, content_type = _multipart(fields, [("attachments", "通知.pdf", PDF)])
        return urllib.request.Request(f"{self.base}/apply/", data=body, headers={"Content-Type": content_type})

    def post_in_background(self, request: urllib.request.Request) -> tuple[threading.Thread, dict]:
        outcome: dict = {}

        def post():
            try:
                response = self.opener.open(request, timeout=120)
                outcome["status"], outcome["location"] = response.status, response.headers.get("Location")
            except urllib.error.HTTPError as err:
                outcome["status"], outcome["location"] = err.code, err.headers.get("Location")
            except Exception as err:  # the server dies under the request
                outcome["error"] = err

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        return thread, outcome


def _open(opener, request) -> tuple[int, str | None]:
    """(status, Location) of a request whose redirect is not followed."""
    try:
        response = opener.open(request, timeout=60)
        return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "email": "liuyang@example.com",
    "description": "2025年示范区义务教育阶段招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_killing_the_server_mid_submission_leaves_a_complete_application_or_none(migrated_db, tmp_path, point):
    with _Server(migrated_db, tmp_path, point) as server:
        thread, outcome = server.post_in_background(server.form_request())
        _wait_until(server.marker.exists, 60, f"the submission to reach {point}")
        server.kill()
        thread.join(timeout=10)
        assert "status" not in outcome, "the receipt must not have been sent"

    counts = _counts(server.db)
    if point == "before_commit":
        assert counts == {"application": 0, "caseevent": 0, "attachment": 0}
    else:
        assert counts == {"application": 1, "caseevent": 1, "attachment": 1}
        with sqlite3.connect(server.db) as conn:
            state, reply_due, events = conn.execute(
                "SELECT a.state, a.reply_due, (SELECT COUNT(*) FROM applications_caseevent e WHERE e.application_id = a.id)"
                " FROM applications_application a"
            ).fetchone()
        assert (state, reply_due, events) == ("received", "2026-03-30", 1)


def test_a_real_double_click_makes_one_application_and_the_browser_keeps_its_code(migrated_db, tmp_path):
    with _Server(migrated_db, tmp_path, "slow_first") as server:
        request = server.form_request()
        first, first_outcome = server.post_in_background(request)
        _wait_until(server.marker.exists, 60, "the first click to be inside its transaction")
        second, second_outcome = server.post_in_background(request)
        first.join(timeout=60)
        second.join(timeout=60)
        assert first_outcome["status"] == second_outcome["status"] == 302, (first_outcome, second_outcome)
        assert first_outcome["location"] == second_outcome["location"]
        # the browser shows the last answer, with whichever session cookie it was given last
        receipt = server.opener.open(server.base + second_outcome["location"], timeout=10).read().decode()
        assert re.search(r'id="query-code"[^>]*>[2-9A-Z]{8}<', receipt)
    assert _counts(server.db) == {"application": 1, "caseevent": 1, "attachment": 1}


def test_after_a_kill_between_commit_and_receipt_the_same_browser_gets_its_receipt_and_code(migrated_db, tmp_path):
    """The applicant whose receipt was lost resubmits the same form (browser back, 提交 again) to
    the restarted server: still one application, and the receipt shows its query code. Another
    browser resubmitting the same form gets the receipt without the code and is told how to
    recover it."""
    with _Server(migrated_db, tmp_path, "after_commit") as server:
        request = server.form_request()
        thread, outcome = server.post_in_background(request)
        _wait_until(server.marker.exists, 60, "the submission to be committed")
        server.kill()
        thread.join(timeout=10)
        assert "status" not in outcome, "the receipt must not have been sent"
    assert _counts(server.db)["application"] == 1

    restart = tmp_path / "restart"
    restart.mkdir()
    with _Server(migrated_db, restart, "restarted", db=server.db, opener=server.opener) as again:
        resubmit = urllib.request.Request(
            f"{again.base}/apply/", data=request.data, headers=dict(request.header_items())
        )
        status, location = _open(again.opener, resubmit)
        assert status == 302
        receipt = again.opener.open(again.base + location, timeout=10).read().decode()
        code = re.search(r'id="query-code"[^>]*>([2-9A-Z]{8})<', receipt)
        assert code is not None, "the same browser must see its code again"
        number = re.search(r'id="tracking-number"[^>]*>([^<]+)<', receipt).group(1)

        stranger = _Server.new_browser()
        html = stranger.open(f"{again.base}/apply/", timeout=10).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        token = re.search(rb'name="submission_token"\r\n\r\n([0-9a-f-]{36})', request.data).group(1).decode()
        body, content_type = _multipart(
            {"csrfmiddlewaretoken": csrf, "submission_token": token, **APPLICANT}, [("attachments", "通知.pdf", PDF)]
        )
        status, location = _open(
            stranger, urllib.request.Request(f"{again.base}/apply/", data=body, headers={"Content-Type": content_type})
        )
        assert status == 302
        page = stranger.open(again.base + location, timeout=10).read().decode()
        assert 'id="query-code"' not in page and "同一浏览器" in page and number in page

        # the code shown to the first browser is the case's code: the lookup accepts it
        lookup = stranger.open(f"{again.base}/apply/status/", timeout=10).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', lookup).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "number": number, "code": code.group(1)}).encode()
        assert _open(stranger, urllib.request.Request(f"{again.base}/apply/status/", data=form))[0] == 302
    assert _counts(server.db) == {"application": 1, "caseevent": 1, "attachment": 1}

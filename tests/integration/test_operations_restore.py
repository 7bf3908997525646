"""Backup and restore end to end, between separate installations, on SQLite and on PostgreSQL.

Each installation is a process of its own under the production settings with its own database and
MEDIA_ROOT (see operations_installation.py): on SQLite a file; when the suite runs with
DATABASE_URL=postgres://… (CI), a database created for the test on that server and dropped after
it, so ``pg_dump``/``pg_restore`` really run. The restored installation starts empty: nothing is
compared with itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("operations_installation.py")
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))


def _server():
    import psycopg

    s = dj_database_url.parse(SERVER_URL)
    kw = {
        k: str(s[K])
        for k, K in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST"), ("port", "PORT"))
        if s.get(K)
    }
    return psycopg.connect(dbname=s["NAME"], autocommit=True, **kw), s


class Installation:
    """A gongkai installation in ``tmp``: its own database, MEDIA_ROOT and backup directory."""

    def __init__(self, tmp: Path, name: str):
        self.dir = tmp / name
        self.media = self.dir / "media"
        self.dir.mkdir()
        if ON_POSTGRES:
            self.dbname = f"gongkai_op_{name}_{uuid.uuid4().hex[:8]}"
            conn, s = _server()
            with conn:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
            auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
            self.url = f"postgres://{auth}{s['HOST']}:{s['PORT']}/{self.dbname}"
        else:
            self.dbname = None
            self.url = f"sqlite:///{self.dir / 'gongkai.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gongkai.settings.production",
            "GONGKAI_SECRET_KEY": "operations-test-" + "k" * 60,
            "GONGKAI_ALLOWED_HOSTS": "localhost",
            "GONGKAI_VAR_DIR": str(self.dir / "var"),
            "GONGKAI_MEDIA_ROOT": str(self.media),
            "GONGKAI_BACKUP_DIR": str(self.dir / "backups"),
            "DATABASE_URL": self.url,
            "PYTHONPATH": str(ROOT / "src"),
        }

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run(["manage.py", *args], check=check)

    def script(self, *args: str) -> str:
        return self._run([str(SCRIPT), *args]).stdout

    def popen_script(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(SCRIPT), *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def drop(self) -> None:
        if self.dbname:
            conn, _ = _server()
            with conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


@pytest.fixture
def installations(tmp_path):
    made: list[Installation] = []

    def make(name: str) -> Installation:
        inst = Installation(tmp_path, name)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.drop()


def _backup_path(inst: Installation) -> Path:
    found = sorted((inst.dir / "backups").glob("gongkai-backup-*"))
    assert len(found) == 1, found
    return found[0]


def test_a_backup_of_the_demo_year_restores_every_record_and_file_into_an_empty_installation(installations):
    source = installations("source")
    source.script("setup", "--demo")
    source.manage("backup", "--tar", "--dest", str(source.dir / "backups"))
    backup = _backup_path(source)
    assert backup.suffix == ".tar"
    before = json.loads(source.script("fingerprint"))

    # what is compared is the whole office, not a handful of rows
    assert len(before["applications.Application"]) > 50
    assert len(before["applications.CaseEvent"]) > 200
    assert len(before["applications.Letter"]) > 30
    assert before["applications.Attachment"] and before["disclosure.DocumentVersion"]
    assert before["disclosure.DocumentAttachment"] and before["litigation.ReviewDocument"]
    assert before["annualreports.ReportVersion"] and before["annualreports.PreviousReport"]
    audited = before["audits.AuditedReport"]
    # the three samples uploaded here, beside the demo's own (the supervisor's board), every one audited
    assert len([r for r in audited if r["filename"].startswith("sample-")]) == 3
    assert all(r["result"] and r["content"] for r in audited)

    target = installations("target")
    restored = target.manage("restore", str(backup))
    assert "恢复完成" in restored.stdout
    after = json.loads(target.script("fingerprint"))
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], f"{label} differs after restore"
    # the stored files came back byte for byte (the fingerprint holds their SHA-256; here the set)
    files = sorted(p.relative_to(source.media) for p in source.media.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(target.media) for p in target.media.rglob("*") if p.is_file())

    # a second restore into the now full installation is refused, and changes nothing
    again = target.manage("restore", str(backup), check=False)
    assert again.returncode != 0 and "目标不是空的安装" in again.stderr
    # the restored installation is a working one: migrations complete, the deploy check clean
    assert "No planned migration operations" in target.manage("migrate", "--plan").stdout


def test_a_backup_taken_while_applications_are_being_submitted_is_one_consistent_snapshot(installations, tmp_path):
    source = installations("busy")
    source.script("setup")
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    writer = source.popen_script("write", str(stop), str(progress))
    try:
        deadline = time.monotonic() + 60
        while (not progress.exists() or int(progress.read_text() or 0) < 20) and time.monotonic() < deadline:
            assert writer.poll() is None, writer.communicate()
            time.sleep(0.05)
        written_before = int(progress.read_text())
        source.manage("backup", "--dest", str(source.dir / "backups"))
        written_after = int(progress.read_text())
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    # the backup really ran while the writer was writing
    assert written_after > written_before

    target = installations("snapshot")
    target.manage("restore", str(_backup_path(source)))
    seen = json.loads(target.script("consistency"))
    # every case in the backup has its first log entry and its history row, and no log entry
    # lacks its case: one snapshot, not tables copied one after another
    assert written_before <= seen["applications"] <= written_after + 1
    assert seen["events"] == seen["applications"]
    assert seen["without_submit_event"] == 0 and seen["without_history"] == 0

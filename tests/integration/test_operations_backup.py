"""The backup command's manifest and refusals, retention, the nightly task, the pg_dump finder.

The full round trip between installations is in test_operations_restore.py; here the backup is
taken of the test database itself (committed data: ``transaction=True``), with the files in a
temporary MEDIA_ROOT.
"""

import hashlib
import json
import os
import tarfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.applications.models import Application, Attachment
from gongkai.applications.services import application_submit
from gongkai.operations import backup, tasks
from tests.factories import EDU, bureau

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DAY = date(2026, 3, 2)
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "备份测试",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "备份测试",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
PDF = b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def office(media):
    bureau()
    return application_submit(
        agency=Agency.objects.get(code=EDU),
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=DAY,
        handed_in_on=DAY,
        today=DAY,
        attachments=[("证明.pdf", "application/pdf", PDF)],
    ).application


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_manifest_lists_every_file_with_its_checksum_and_the_row_counts(office, media, tmp_path):
    call_command("backup", "--dest", str(tmp_path / "out"), verbosity=0)
    (folder,) = (tmp_path / "out").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    db_file = manifest["database"]["file"]
    assert db_file == {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[manifest["database"]["vendor"]]
    on_disk = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(manifest["files"]) == on_disk
    for rel, meta in manifest["files"].items():
        assert meta["sha256"] == _sha(folder / rel) and meta["size"] == (folder / rel).stat().st_size
    att = Attachment.objects.get()
    assert (folder / "media" / att.file.name).read_bytes() == PDF
    assert manifest["tables"]["applications_application"] == Application.objects.count() == 1
    assert manifest["tables"]["applications_attachment"] == 1
    assert ["applications", "0001_initial"] in manifest["migrations"]
    assert manifest["missing_media"] == []
    # every applicant's data is in there: nothing readable by other accounts on the machine
    assert all(p.stat().st_mode & 0o077 == 0 for p in [folder, *folder.rglob("*")])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["change", "remove", "add"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(office, media, tmp_path, damage):
    call_command("backup", "--dest", str(tmp_path / "out"), "--tar", verbosity=0)
    (tar_path,) = (tmp_path / "out").iterdir()
    unpacked = tmp_path / "unpacked"
    with tarfile.open(tar_path) as t:
        t.extractall(unpacked, filter="data")
    (folder,) = unpacked.iterdir()
    (pdf,) = (folder / "media").rglob("*.pdf")
    if damage == "change":
        pdf.write_bytes(PDF.replace(b"1.4", b"1.5"))
    elif damage == "remove":
        pdf.unlink()
    else:
        (folder / "media" / "stray.txt").write_text("?")
    before = Application.objects.count()
    with pytest.raises(CommandError, match="备份校验失败") as refused:
        call_command("restore", str(folder), "--force", verbosity=0)
    assert {"change": "校验不符", "remove": "缺少", "add": "清单外的文件 media/stray.txt"}[damage] in str(refused.value)
    assert Application.objects.count() == before and Attachment.objects.get().file.read() == PDF


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_installation_that_holds_data(office, media, tmp_path):
    call_command("backup", "--dest", str(tmp_path / "out"), verbosity=0)
    (folder,) = (tmp_path / "out").iterdir()
    with pytest.raises(CommandError, match="目标不是空的安装") as refused:
        call_command("restore", str(folder), verbosity=0)
    assert "applications_application 1行" in str(refused.value) and "已有 1 个文件" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_a_row_naming_a_file_that_is_gone_is_listed_not_hidden(office, media, tmp_path):
    att = Attachment.objects.get()
    os.remove(media / att.file.name)
    result = backup.create_backup(dest=tmp_path / "out")
    assert result.missing_media == [att.file.name]
    assert json.loads((result.path / "manifest.json").read_text())["missing_media"] == [att.file.name]


def test_retention_keeps_the_newest_backups_and_nothing_else_is_touched(tmp_path):
    names = [
        "gongkai-backup-20261201T020000Z.tar",
        "gongkai-backup-20261202T020000Z",
        "gongkai-backup-20261203T020000Z.tar",
        "gongkai-backup-20261203T020000Z-2.tar",
    ]
    for n in names:
        (tmp_path / n).mkdir() if not n.endswith(".tar") else (tmp_path / n).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("mine")
    old_partial = tmp_path / "gongkai-backup-20261130T020000Z.partial"
    old_partial.mkdir()
    os.utime(old_partial, (0, 0))
    fresh_partial = tmp_path / "gongkai-backup-20261204T020000Z.partial"  # a backup being written now
    fresh_partial.mkdir()
    removed = backup.prune(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == sorted([names[0], names[1], old_partial.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names[2], names[3], "notes.txt", fresh_partial.name])
    with pytest.raises(backup.BackupError):
        backup.prune(tmp_path, keep=0)


@pytest.mark.django_db
def test_the_nightly_backup_is_queued_once_for_the_next_backup_hour(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    now = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # 04:00 on the 8th in Beijing
    monkeypatch.setattr(tasks.timezone, "now", lambda: now)
    with override_settings(TASKS=DB_TASKS, GONGKAI_BACKUP_HOUR=2):
        call_command("schedule_backups", verbosity=0)
        call_command("schedule_backups", verbosity=0)
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "gongkai.operations.tasks.backup_task"
    assert timezone.localtime(queued.run_after) == timezone.make_aware(datetime(2026, 12, 9, 2, 0))
    assert tasks.next_run_at(now - timedelta(hours=20)) == timezone.make_aware(datetime(2026, 12, 8, 2, 0))


@pytest.mark.django_db(transaction=True)
def test_the_nightly_task_writes_a_tar_queues_the_next_run_and_keeps_the_newest(office, media, tmp_path, settings):
    from django_tasks_db.models import DBTaskResult

    settings.GONGKAI_BACKUP_DIR = tmp_path / "nightly"
    settings.GONGKAI_BACKUP_KEEP = 2
    with override_settings(TASKS=DB_TASKS):
        for _ in range(3):
            summary = tasks.backup_task.call()
    kept = backup.list_backups(settings.GONGKAI_BACKUP_DIR)
    assert [p.suffix for p in kept] == [".tar", ".tar"] and kept[-1].name == summary["backup"]
    assert len(summary["removed"]) == 1
    assert DBTaskResult.objects.filter(task_path="gongkai.operations.tasks.backup_task", status="READY").count() == 1


def test_pg_dump_of_the_servers_major_version_or_newer_is_chosen(tmp_path, settings):
    fake = tmp_path / "bin"
    fake.mkdir()
    tool = fake / "pg_dump"
    tool.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 99.1'\n")
    tool.chmod(0o755)
    settings.GONGKAI_PG_BIN = str(fake)
    assert backup.pg_tool("pg_dump", 99) == tool
    with pytest.raises(backup.BackupError, match="PostgreSQL 100 或更新版本的 pg_dump"):
        backup.pg_tool("pg_dump", 100)

"""Backup and restore: the database and every stored file, with a manifest of SHA-256 checksums.

A backup is a folder (or the same folder in one ``.tar``) named ``gongkai-backup-<UTC time>``::

    manifest.json        what is inside, checksums, row counts, migrations, missing files
    database.sqlite3     SQLite: a page-for-page copy made with the online backup API
    database.pgdump      PostgreSQL: ``pg_dump --format=custom``
    media/…              every file under MEDIA_ROOT (attachments, letters, review papers, templates)

Consistency. The database copy is one snapshot: SQLite's backup API copies every page in one
step under a read transaction (writers carry on in the WAL); on PostgreSQL a REPEATABLE READ
transaction exports its snapshot and ``pg_dump --snapshot`` dumps exactly that, while the row
counts and the names of the files the rows point to are read in the same snapshot. The files are
copied after the snapshot: a file is written before the row that names it is committed, so every
file a row of the snapshot names already exists; the manifest lists any that were deleted in
between (``missing_media``) instead of pretending. Some uploaded bytes are not files at all (the
audit reader's uploads, earlier annual reports read by it): they live in database columns and
are in the database copy.

Restore goes into an empty installation (no application data in the database, no files in
MEDIA_ROOT) unless forced, checks every checksum before touching anything, and checks afterwards
that every table has the row count the manifest recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField

FORMAT = 1
PREFIX = "gongkai-backup-"
NAME_RE = re.compile(r"^gongkai-backup-(\d{8}T\d{6}Z)(-\d+)?(\.tar)?$")
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
CHUNK = 1024 * 1024

# Tables that hold no office data: a freshly migrated installation already has rows in some of
# them, a visit leaves a session or a rate-limit count, a worker its heartbeat and queued jobs.
NOT_DATA = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "django_tasks_db_dbtaskresult",
    "operations_workerheartbeat",
}


class BackupError(Exception):
    """Refused or failed; ``message`` is for the operator (Chinese, like the other commands)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Result:
    path: Path
    seconds: float
    database_bytes: int = 0
    media_files: int = 0
    media_bytes: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    missing_media: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    extra_media: int = 0


# -- helpers ------------------------------------------------------------------------------------


def _sha256_copy(src: Path, dst: Path | None, mode: int = 0o600) -> tuple[str, int]:
    """SHA-256 and size of ``src``, copying it to ``dst`` (created with ``mode``) on the way when given."""
    digest = hashlib.sha256()
    size = 0
    out = os.fdopen(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") if dst is not None else None
    try:
        with open(src, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if out:
                    out.write(chunk)
    finally:
        if out:
            out.close()
    if dst is not None:
        st = os.stat(src)
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    return digest.hexdigest(), size


def media_root() -> Path:
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            f"文件存储不是本地目录（{type(storage).__name__}）：备份只支持 FileSystemStorage（GONGKAI_MEDIA_ROOT）。"
        )
    return Path(storage.location)


def _private_dirs(top: Path, leaf: Path) -> None:
    """Create ``leaf`` and its parents below ``top`` with mode 0700."""
    missing = []
    p = leaf
    while p != top and not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counted_tables(existing: set[str]) -> list[str]:
    connection = connections["default"]
    names = set(connection.introspection.django_table_names(only_existing=False)) | {"django_migrations"}
    return sorted(names & existing)


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField: the names the database holds of stored files."""
    cols = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, FileField):
                cols.append((model._meta.db_table, f.column))
    return cols


def _facts(cursor, existing: set[str]) -> tuple[dict[str, int], list[str], list[list[str]]]:
    """Row counts, stored-file names and applied migrations, read through a DB-API cursor that
    sees the snapshot."""
    counts = {}
    for table in _counted_tables(existing):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    referenced = set()
    for table, column in _file_columns():
        if table in existing:
            cursor.execute(f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(column)} <> ''")
            referenced.update(r[0] for r in cursor.fetchall() if r[0])
    migrations = []
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(r) for r in cursor.fetchall()]
    return counts, sorted(referenced), migrations


# -- PostgreSQL tools -----------------------------------------------------------------------------


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    m = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(m.group(1)) if m else None


def pg_tool(name: str, server_major: int) -> Path:
    """``pg_dump``/``pg_restore`` of the server's major version or newer: GONGKAI_PG_BIN, then
    Debian's /usr/lib/postgresql/*/bin (newest first), then PATH."""
    candidates: list[Path] = []
    if getattr(settings, "GONGKAI_PG_BIN", ""):
        candidates.append(Path(settings.GONGKAI_PG_BIN) / name)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    if found := shutil.which(name):
        candidates.append(Path(found))
    seen = []
    for c in candidates:
        if c.is_file():
            major = _tool_major(c)
            seen.append(f"{c} ({major})")
            if major is not None and major >= server_major:
                return c
    raise BackupError(
        f"找不到 PostgreSQL {server_major} 或更新版本的 {name}（已查看：{', '.join(seen) or '无'}）。"
        f"请安装 postgresql-client-{server_major}，或用 GONGKAI_PG_BIN 指定其目录。"
    )


def _pg_params(alias: str = "default") -> tuple[dict, dict]:
    """psycopg keyword arguments and the libpq environment for the command-line tools."""
    s = connections[alias].settings_dict
    kw = {"dbname": s["NAME"]}
    env = {**os.environ, "PGDATABASE": s["NAME"]}
    for key, libpq, env_name in (
        ("USER", "user", "PGUSER"),
        ("PASSWORD", "password", "PGPASSWORD"),
        ("HOST", "host", "PGHOST"),
        ("PORT", "port", "PGPORT"),
    ):
        if s.get(key):
            kw[libpq] = str(s[key])
            env[env_name] = str(s[key])
    for opt in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if s.get("OPTIONS", {}).get(opt):
            kw[opt] = s["OPTIONS"][opt]
            env["PG" + opt.upper()] = str(s["OPTIONS"][opt])
    return kw, env


def _pg_connect(alias: str = "default"):
    import psycopg

    kw, _ = _pg_params(alias)
    return psycopg.connect(autocommit=True, **kw)


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")


# -- backup ---------------------------------------------------------------------------------------


def _backup_sqlite(work: Path) -> tuple[dict, dict[str, int], list[str], list[list[str]]]:
    connection = connections["default"]
    if connection.in_atomic_block:
        raise BackupError("不能在数据库事务中备份（备份只包含已提交的数据）。")
    connection.ensure_connection()
    target = work / SQLITE_FILE
    dst = sqlite3.connect(target)
    try:
        # pages=-1: every page in one step, under one read transaction: a single snapshot.
        # (Copying in steps would restart whenever another connection writes.)
        connection.connection.backup(dst, pages=-1)
        # a plain rollback-journal file: opening the copy (even read-only) then leaves no -wal/-shm
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        cur = copy.cursor()
        existing = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts, referenced, migrations = _facts(cur, existing)
    finally:
        copy.close()
    return (
        {"vendor": "sqlite", "file": SQLITE_FILE, "sqlite_version": sqlite3.sqlite_version},
        counts,
        referenced,
        migrations,
    )


def _backup_postgresql(work: Path) -> tuple[dict, dict[str, int], list[str], list[list[str]]]:
    raw = _pg_connect()
    try:
        server_major = raw.info.server_version // 10000
        pg_dump = pg_tool("pg_dump", server_major)
        cur = raw.cursor()
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        _, env = _pg_params()
        _run([str(pg_dump), "--format=custom", f"--snapshot={snapshot}", f"--file={work / PG_FILE}"], env)
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        existing = {r[0] for r in cur.fetchall()}
        counts, referenced, migrations = _facts(cur, existing)
        cur.execute("COMMIT")
    finally:
        raw.close()
    info = {"vendor": "postgresql", "file": PG_FILE, "server_major": server_major, "pg_dump": _tool_major(pg_dump)}
    return info, counts, referenced, migrations


def backup_name(now: datetime, directory: Path) -> str:
    base = PREFIX + now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while any((directory / (name + s)).exists() for s in ("", ".tar", ".partial", ".tar.partial")):
        n += 1
        name = f"{base}-{n}"
    return name


def create_backup(*, dest: Path, tar: bool = False, now: datetime | None = None) -> Result:
    """Write one backup into ``dest`` (created if needed); returns where it is and what it holds.

    Written under a ``.partial`` name and renamed when complete, so a crash never leaves
    something that looks like a backup (and retention never counts one)."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = media_root()
    name = backup_name(now, dest)
    work = dest / (name + ".partial")
    # a backup holds every applicant's personal data: readable by the service account only
    work.mkdir(mode=0o700)
    try:
        vendor = connections["default"].vendor
        if vendor == "sqlite":
            db_info, counts, referenced, migrations = _backup_sqlite(work)
        elif vendor == "postgresql":
            db_info, counts, referenced, migrations = _backup_postgresql(work)
        else:
            raise BackupError(f"不支持备份 {vendor} 数据库（只支持 SQLite 和 PostgreSQL）。")
        files = {}
        (work / db_info["file"]).chmod(0o600)
        sha, size = _sha256_copy(work / db_info["file"], None)
        files[db_info["file"]] = {"sha256": sha, "size": size}
        result = Result(path=work, seconds=0.0, database_bytes=size, tables=counts)
        backup_dir = dest.resolve()
        for src in _media_files(root):
            if backup_dir == src.resolve() or backup_dir in src.resolve().parents:
                continue  # never back up the backups, should they be kept under MEDIA_ROOT
            rel = src.relative_to(root).as_posix()
            target = work / "media" / rel
            _private_dirs(work, target.parent)
            try:
                sha, size = _sha256_copy(src, target)
            except FileNotFoundError:
                continue  # deleted while we walked: if a row still names it, it is listed below
            files[f"media/{rel}"] = {"sha256": sha, "size": size}
            result.media_files += 1
            result.media_bytes += size
        copied = {k[len("media/") :] for k in files if k.startswith("media/")}
        result.missing_media = [n for n in referenced if n not in copied]
        manifest = {
            "format": FORMAT,
            "application": "gongkai",
            "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
            "database": db_info,
            "migrations": migrations,
            "tables": counts,
            "media_files": result.media_files,
            "missing_media": result.missing_media,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (work / MANIFEST).chmod(0o600)
        if tar:
            partial_tar = dest / (name + ".tar.partial")
            os.close(os.open(partial_tar, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            with tarfile.open(partial_tar, "w") as t:
                t.add(work, arcname=name)
            shutil.rmtree(work)
            final = dest / (name + ".tar")
            partial_tar.rename(final)
        else:
            final = dest / name
            work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        (dest / (name + ".tar.partial")).unlink(missing_ok=True)
        raise
    result.path = final
    result.seconds = time.monotonic() - started
    return result


def list_backups(directory: Path) -> list[Path]:
    """Complete backups in ``directory``, oldest first (by the time in their name)."""
    if not Path(directory).is_dir():
        return []
    found = [p for p in Path(directory).iterdir() if NAME_RE.match(p.name)]
    return sorted(
        found, key=lambda p: (NAME_RE.match(p.name).group(1), int((NAME_RE.match(p.name).group(2) or "-1")[1:]))
    )


def prune(directory: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` backups; remove older ones and partial leftovers over a day old."""
    if keep < 1:
        raise BackupError("GONGKAI_BACKUP_KEEP 至少为 1。")
    removed = []
    for old in list_backups(directory)[:-keep]:
        shutil.rmtree(old) if old.is_dir() else old.unlink()
        removed.append(old)
    day_ago = time.time() - timedelta(days=1).total_seconds()
    for p in Path(directory).glob(PREFIX + "*.partial"):
        if p.stat().st_mtime < day_ago:
            shutil.rmtree(p) if p.is_dir() else p.unlink()
            removed.append(p)
    return removed


# -- restore --------------------------------------------------------------------------------------


def _open(path: Path, scratch: Path) -> Path:
    """The backup folder: ``path`` itself, or the folder inside a ``.tar`` unpacked into ``scratch``."""
    path = Path(path)
    if path.is_dir():
        return path
    if not path.is_file() or not tarfile.is_tarfile(path):
        raise BackupError(f"{path} 不是备份目录，也不是备份的 .tar 文件。")
    with tarfile.open(path) as t:
        t.extractall(scratch, filter="data")  # refuses absolute paths, '..', links out of the folder
    inner = [p for p in scratch.iterdir() if p.is_dir()]
    if len(inner) != 1:
        raise BackupError(f"{path} 里应当只有一个备份目录。")
    return inner[0]


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 里没有 {MANIFEST}：不是 gongkai 的备份，或备份未完成。") from None
    except ValueError as err:
        raise BackupError(f"{MANIFEST} 无法读取：{err}") from None
    if manifest.get("application") != "gongkai" or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} 不是本版本 gongkai 能读取的备份格式。")
    return manifest


def verify(folder: Path, manifest: dict) -> None:
    """Every listed file present with its size and SHA-256; nothing unlisted. Raises on any difference."""
    problems = []
    listed = manifest["files"]
    for rel, expect in listed.items():
        p = folder / rel
        if not p.is_file():
            problems.append(f"缺少 {rel}")
            continue
        sha, size = _sha256_copy(p, None)
        if size != expect["size"] or sha != expect["sha256"]:
            problems.append(f"校验不符 {rel}")
    for p in folder.rglob("*"):
        if p.is_file() and p.name != MANIFEST and p.relative_to(folder).as_posix() not in listed:
            problems.append(f"清单外的文件 {p.relative_to(folder).as_posix()}")
    if problems:
        shown = "；".join(problems[:20]) + ("……" if len(problems) > 20 else "")
        raise BackupError(f"备份校验失败（{len(problems)}处），未做任何恢复：{shown}")


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the backup's database had that this code does not know: a newer version's backup."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known = set(loader.disk_migrations)
    known |= {key for m in loader.disk_migrations.values() for key in getattr(m, "replaces", [])}
    return [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known]


def _existing_data() -> dict[str, int]:
    """Tables of the target database that hold office data, with their row counts (non-zero only)."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        found = {}
        cache_tables = {
            c.get("LOCATION") for c in settings.CACHES.values() if c.get("BACKEND", "").endswith("DatabaseCache")
        }
        for table in sorted(existing - NOT_DATA - cache_tables):
            if table.startswith("sqlite_") or table.startswith("disclosure_document_fts"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            n = cursor.fetchone()[0]
            if n:
                found[table] = n
    return found


def _restore_sqlite(folder: Path) -> None:
    connection = connections["default"]
    if connection.in_atomic_block:
        raise BackupError("不能在数据库事务中恢复。")
    name = str(connection.settings_dict["NAME"])
    if not connection.is_in_memory_db():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    src = sqlite3.connect(f"file:{folder / SQLITE_FILE}?mode=ro", uri=True)
    try:
        src.backup(connection.connection, pages=-1)  # replaces every page of the target
    finally:
        src.close()
    connection.close()


def _restore_postgresql(folder: Path) -> None:
    connections["default"].close()
    raw = _pg_connect()
    try:
        server_major = raw.info.server_version // 10000
        pg_restore = pg_tool("pg_restore", server_major)
        cur = raw.cursor()
        # whatever a `migrate` (or a forced restore) left: the dump recreates every table
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [r[0] for r in cur.fetchall()]
        if tables:
            cur.execute("DROP TABLE " + ", ".join(_quote(t) for t in tables) + " CASCADE")
        cur.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")
        sequences = [r[0] for r in cur.fetchall()]
        if sequences:
            cur.execute("DROP SEQUENCE " + ", ".join(_quote(s) for s in sequences) + " CASCADE")
    finally:
        raw.close()
    _, env = _pg_params()
    # one transaction: a failure leaves the database as empty as it was. No owners, grants or
    # comments: the target's role owns everything (the comment on the pg_trgm extension would
    # need the extension's owner).
    _run(
        [
            str(pg_restore),
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={env['PGDATABASE']}",
            str(folder / PG_FILE),
        ],
        env,
    )


def restore_backup(path: Path, *, force: bool = False) -> Result:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as scratch:
        folder = _open(Path(path), Path(scratch))
        manifest = read_manifest(folder)
        verify(folder, manifest)
        connection = connections["default"]
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(f"这是 {vendor} 数据库的备份，不能恢复到 {connection.vendor} 数据库。")
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                "备份来自更新的 gongkai 版本（本版本不认识这些数据库迁移："
                + "，".join(unknown[:10])
                + "）：请先升级 gongkai 再恢复。"
            )
        root = media_root()
        data = _existing_data()
        present = _media_files(root)
        if (data or present) and not force:
            what = []
            if data:
                what.append("数据库已有数据（" + "，".join(f"{t} {n}行" for t, n in list(data.items())[:8]) + "）")
            if present:
                what.append(f"文件目录 {root} 已有 {len(present)} 个文件")
            raise BackupError("目标不是空的安装：" + "；".join(what) + "。恢复只用于空的安装；确要覆盖请加 --force。")
        if vendor == "sqlite":
            _restore_sqlite(folder)
        else:
            _restore_postgresql(folder)
        result = Result(
            path=Path(path), seconds=0.0, tables=manifest["tables"], missing_media=manifest.get("missing_media", [])
        )
        backed_up = set()
        for rel, expect in manifest["files"].items():
            if not rel.startswith("media/"):
                continue
            target = root / rel[len("media/") :]
            target.parent.mkdir(parents=True, exist_ok=True)
            # as FileSystemStorage writes uploads (FILE_UPLOAD_PERMISSIONS, else 0644 less the umask)
            sha, size = _sha256_copy(folder / rel, target, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
            if sha != expect["sha256"]:  # pragma: no cover - verified above; a failing disk
                raise BackupError(f"写入 {target} 后校验不符。")
            backed_up.add(target.resolve())
            result.media_files += 1
            result.media_bytes += size
        result.extra_media = sum(1 for p in present if p.resolve() not in backed_up)
        result.database_bytes = manifest["files"][manifest["database"]["file"]]["size"]
    check_counts(manifest["tables"])
    result.seconds = time.monotonic() - started
    return result


def check_counts(expected: dict[str, int]) -> None:
    connection = connections["default"]
    wrong = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table, n in expected.items():
            if table not in existing:
                wrong.append(f"{table} 缺失")
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            got = cursor.fetchone()[0]
            if got != n:
                wrong.append(f"{table} {got}行（应为{n}行）")
    if wrong:
        raise BackupError("恢复后行数与备份清单不符：" + "；".join(wrong[:20]))


def unapplied_migrations() -> list[str]:
    """Migrations this code has and the restored database has not (an older backup): run migrate."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]

"""Benchmark of ``manage.py backup`` and ``manage.py restore``: the demo year, then 100,000 applications.

    .venv/bin/python benchmarks/backup.py [--count 100000] [--runs 3] [--skip-demo]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/backup.py

Each part runs in a scratch database (``_scratch.py``: an SQLite file in a temporary directory, or
with DATABASE_URL the server's test database, never the real one) with a temporary MEDIA_ROOT:

1. the demo year (``seed_demo``: applications with their letters as .docx files, documents,
   reviews, annual reports);
2. ``--count`` applications generated with ``bulk_create`` (``generate_applications``, logs
   consistent with states) for a fixed "today" (2026-06-30), so the figures do not depend on the
   day the script runs nor on next year's holiday notice; the demo people only, no files.

For each: the backup to a folder and to a .tar (mean and worst of ``--runs``), then a restore of the
.tar with ``--force`` into the same scratch database (on PostgreSQL the tables are dropped and
``pg_restore`` recreates them; on SQLite every page is replaced) — the same work as a restore into
an empty installation, plus dropping what is there. Printed figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

GENERATED_TODAY = date(2026, 6, 30)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _measure(label: str, runs: int, work: Path) -> list[tuple]:
    from gongkai.operations.backup import create_backup, restore_backup

    rows = []
    for tar in (False, True):
        times, made = [], None
        for _ in range(runs):
            if made is not None:
                shutil.rmtree(made) if made.is_dir() else made.unlink()
            t = time.perf_counter()
            made = create_backup(dest=work, tar=tar).path
            times.append(time.perf_counter() - t)
        rows.append(
            (
                f"{label}: backup to {'a .tar' if tar else 'a folder'}",
                statistics.mean(times),
                max(times),
                _size(made) / 1e6,
            )
        )
    t = time.perf_counter()
    result = restore_backup(made, force=True)
    elapsed = time.perf_counter() - t
    rows.append(
        (
            f"{label}: restore the .tar ({sum(result.tables.values())} rows, {result.media_files} files)",
            elapsed,
            elapsed,
            _size(made) / 1e6,
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-backup-"))
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp / "media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows: list[tuple] = []
    try:
        with override_settings(MEDIA_ROOT=tmp / "media", STORAGES=storages):
            if not args.skip_demo:
                with scratch_database("gongkai-bench-backup-demo-"):
                    t = time.perf_counter()
                    call_command("seed_demo", stdout=open(os.devnull, "w"))
                    print(f"demo year loaded in {time.perf_counter() - t:.1f}s")
                    rows += _measure("demo year", args.runs, tmp / "demo-backups")
                shutil.rmtree(tmp / "media", ignore_errors=True)
            if args.count:
                with scratch_database("gongkai-bench-backup-many-"):
                    from django.contrib.auth import get_user_model

                    from gongkai.accounts.models import Agency
                    from gongkai.applications.models import Application, CaseEvent
                    from gongkai.demo.accounts import seed_demo
                    from gongkai.demo.generate_applications import generate

                    seed_demo()
                    t = time.perf_counter()
                    generate(
                        args.count,
                        agency=Agency.objects.get(code="demo-edu"),
                        today=GENERATED_TODAY,
                        actor=get_user_model().objects.get(username="jingban"),
                        progress=lambda n: print(f"  generated {n}", flush=True) if n % 20000 == 0 else None,
                    )
                    print(
                        f"generated {Application.objects.count()} applications, {CaseEvent.objects.count()} log "
                        f"entries in {time.perf_counter() - t:.1f}s"
                    )
                    rows += _measure(f"{args.count:,} applications", args.runs, tmp / "many-backups")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'measure':<66} {'mean s':>8} {'worst s':>8} {'MB':>8}")
    for name, mean, worst, mb in rows:
        print(f"{name:<66} {mean:8.2f} {worst:8.2f} {mb:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

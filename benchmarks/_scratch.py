"""The scratch database every database benchmark runs in (imported by the scripts beside it)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_database(prefix: str, *, keep: bool = False, reuse: str | None = None) -> Iterator[Path | None]:
    """Django's test database: on SQLite a file in a temporary directory (or ``reuse``, kept between
    runs), with DATABASE_URL set the server's test database. Dropped afterwards unless kept or reused.
    Yields the SQLite file, or None on a server."""
    from django.db import connection

    scratch = None
    if connection.vendor == "sqlite":
        scratch = Path(reuse).resolve() if reuse else Path(tempfile.mkdtemp(prefix=prefix)) / "bench.sqlite3"
        scratch.parent.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(scratch)
    print(f"database: {connection.vendor}" + (f" (file {scratch})" if scratch else " (test database on DATABASE_URL)"))
    # serialize=False: nothing is rolled back to a snapshot here
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=bool(reuse))
    try:
        yield scratch
    finally:
        if reuse or keep:
            print(f"kept the database: {scratch or connection.settings_dict['NAME']}")
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
            if scratch:
                for p in scratch.parent.glob("*"):
                    p.unlink()
                scratch.parent.rmdir()

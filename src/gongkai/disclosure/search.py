"""Substring search support on SQLite: an FTS5 trigram index over the search text (title, 文号,
索引号 and body, normalised: ``Document.search_text``).

Chinese has no spaces between words, so the search matches substrings (``icontains``). Without
help, a word that occurs in few documents makes the database read every body. PostgreSQL gets
pg_trgm GIN indexes (migration 0002). On SQLite (3.34+), this module keeps an external-content FTS5
table with the built-in ``trigram`` tokenizer in step with ``disclosure_document`` through triggers;
``selectors.search_public_documents`` asks it for the documents containing each word of three
characters or more. Shorter words (and every word on a database without the table) use ``LIKE``.

The table and triggers are (re)created after every ``migrate`` (``post_migrate``, idempotent): a
later migration that makes Django rebuild ``disclosure_document`` on SQLite drops its triggers, and
this puts them back and rebuilds the index. Nothing happens on other databases.
"""

from __future__ import annotations

from django.db import connections

FTS_TABLE = "disclosure_document_fts"
MIN_TRIGRAM_TERM = 3
_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON disclosure_document BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{FTS_TABLE}_ad": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON disclosure_document BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END""",
    f"{FTS_TABLE}_au": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON disclosure_document BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}
_SCHEMA_NAMES = "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
_available: dict[str, bool] = {}


def ensure_sqlite_search_index(using: str = "default") -> bool:
    """Create the FTS5 table and its triggers where missing (rebuilding the index then); True if in place."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        names = {r[0] for r in cursor.execute(_SCHEMA_NAMES)}
        if "disclosure_document" not in names:
            return False
        missing = FTS_TABLE not in names or any(t not in names for t in _TRIGGERS)
        if missing:
            try:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
                    "content='disclosure_document', content_rowid='id', tokenize='trigram')"
                )
            except Exception:  # SQLite without FTS5 or older than 3.34 (no trigram tokenizer): LIKE only
                _available[using] = False
                return False
            for sql in _TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    _available[using] = True
    return True


def trigram_index_available(using: str = "default") -> bool:
    """Whether the SQLite FTS5 trigram index is in place (checked once per process and database)."""
    if using not in _available:
        connection = connections[using]
        if connection.vendor != "sqlite":
            _available[using] = False
        else:
            with connection.cursor() as cursor:
                names = {r[0] for r in cursor.execute(_SCHEMA_NAMES)}
            _available[using] = FTS_TABLE in names and all(t in names for t in _TRIGGERS)
    return _available[using]


def forget_availability() -> None:
    """Drop the cached answer (after a database is created or migrated)."""
    _available.clear()


def fts_phrase(term: str) -> str:
    """An FTS5 query matching ``term`` as a substring (a quoted phrase; quotes doubled)."""
    return '"' + term.replace('"', '""') + '"'


def _post_migrate(sender, using: str = "default", **kwargs) -> None:
    forget_availability()
    ensure_sqlite_search_index(using)

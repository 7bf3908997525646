"""Helpers every format reader shares: limits applied to text and tables, problem wording, file-name extensions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from gongkai.domain.audit.limits import ReaderLimits
from gongkai.domain.audit.model import RawDocument, SourceKind, SourceTable

_MAX_PROBLEM_DETAIL = 160
_MAX_COLSPAN = 1000  # the HTML limit

_EXTENSION_KIND: dict[str, SourceKind] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".htm": "html",
    ".html": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".jsp": "html",
    ".asp": "html",
    ".aspx": "html",
    ".php": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".csv": "text",
    ".tsv": "text",
}


def _cut_input(data: bytes, limits: ReaderLimits) -> tuple[bytes, list[str]]:
    """A text-like input cut to ``max_input_bytes`` at a line break (a character is never split
    in UTF-8, GB18030 or Big5 at a ``\\n``, all ASCII-safe there)."""
    limit = limits.max_input_bytes
    if len(data) <= limit:
        return data, []
    cut = data.rfind(b"\n", 0, limit)
    data = data[: cut + 1] if cut > 0 else data[:limit]
    return data, [f"文件超过读取上限（{_mb(limit)}），只读取了前{_mb(len(data))}"]


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n < 10 * 1048576 else f"{n // 1048576} MB"


def _cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters after a whole line when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit + 1)
    return text[:cut] if cut > 0 else text[:limit]


def _text_limit_note(limits: ReaderLimits) -> str:
    return f"文字超过{limits.max_text_chars}个字符的上限，其后的内容没有读取"


def _within_limits(doc: RawDocument, limits: ReaderLimits) -> RawDocument:
    """The last guard, whatever the reader: text and tables never beyond the limits."""
    problems = list(doc.problems)
    text, tables = doc.text, doc.tables
    if len(text) > limits.max_text_chars:
        text = _cut_text(text, limits.max_text_chars)
        problems.append(_text_limit_note(limits))
    kept = []
    for t in tables:
        if t.end > len(text):
            continue
        rows, notes = _cap_rows(t.rows, limits)
        problems.extend(notes)
        kept.append(t if rows is t.rows else SourceTable(rows=rows, start=t.start, end=t.start + len(_render(rows))))
    if text is doc.text and len(kept) == len(tables) and len(problems) == len(doc.problems):
        return doc
    return _with(doc, text=text, tables=tuple(kept), problems=tuple(dict.fromkeys(problems)))


def _cap_rows(rows: tuple[tuple[str, ...], ...], limits: ReaderLimits) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """A table's rows within the row, column and cell limits (the same object when within)."""
    notes: list[str] = []
    width = max((len(r) for r in rows), default=0)
    if (
        len(rows) <= limits.max_table_rows
        and width <= limits.max_table_columns
        and sum(len(r) for r in rows) <= limits.max_table_cells
    ):
        return rows, notes
    if len(rows) > limits.max_table_rows:
        rows = rows[: limits.max_table_rows]
        notes.append(f"表格超过{limits.max_table_rows}行的上限，只读取了前{limits.max_table_rows}行")
    if width > limits.max_table_columns:
        rows = tuple(r[: limits.max_table_columns] for r in rows)
        notes.append(f"表格超过{limits.max_table_columns}列的上限，只读取了前{limits.max_table_columns}列")
    cells = 0
    for i, r in enumerate(rows):
        cells += len(r)
        if cells > limits.max_table_cells:
            rows = rows[:i]
            notes.append(f"表格超过{limits.max_table_cells}个单元格的上限，只读取了前{i}行")
            break
    return rows, notes


def _with(doc: RawDocument, **changes: Any) -> RawDocument:
    from dataclasses import replace

    return replace(doc, **changes)


def _extension(name: str) -> str:
    base = name.split("?", 1)[0].split("#", 1)[0].replace("\\", "/")
    return PurePosixPath(base).suffix.lower()


# "<_io.BytesIO object at 0x7f…>": a library naming the stream it was given by its repr, whose
# address differs on every run; the same input must give the same problem text
_OBJECT_ADDRESS = re.compile(r"<([\w.]+) object at 0x[0-9a-fA-F]+>")


def _detail(exc: BaseException) -> str:
    msg = _OBJECT_ADDRESS.sub(r"<\1>", str(exc).strip())
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= _MAX_PROBLEM_DETAIL else text[: _MAX_PROBLEM_DETAIL - 1] + "…"


def _render(rows: Sequence[Sequence[str]]) -> str:
    return "\n".join("\t".join(row) for row in rows)

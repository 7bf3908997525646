"""Plain text and Markdown: the text as it is, tab-separated runs and pipe tables as SourceTables."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument, SourceKind, SourceTable
from gongkai.domain.audit.sources.build import _PIPE, _clean_cell
from gongkai.domain.audit.sources.common import _cut_text, _text_limit_note, _within_limits

_MD_SEPARATOR = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_MD_SEPARATOR_LINE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _is_md_separator(line: str) -> bool:
    return "-" in line and "|" in line and _MD_SEPARATOR_LINE.match(line) is not None


def _split_md_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    if "\\|" in s:
        cells = [c.replace("\\|", "|") for c in _PIPE.split(s)]
    else:
        cells = s.split("|")
    return [_clean_cell(c) for c in cells]


def _md_table_at(lines: Sequence[str], i: int) -> int:
    """How many lines from ``i`` form a Markdown table (header, separator, body); 0 if none."""
    if i + 1 >= len(lines) or "|" not in lines[i] or not _is_md_separator(lines[i + 1]):
        return 0
    header = _split_md_row(lines[i])
    sep = _split_md_row(lines[i + 1])
    if len(header) < 2 and len(sep) < 2:
        return 0
    j = i + 2
    while j < len(lines) and "|" in lines[j] and lines[j].strip():
        j += 1
    return j - i


def _has_markdown_table(text: str) -> bool:
    lines = text.split("\n")
    for i in range(1, len(lines)):
        line = lines[i]
        if "|" in line and "-" in line and _is_md_separator(line) and _md_table_at(lines, i - 1):
            return True
    return False


def _tab_row_like(line: str) -> bool:
    if "\t" not in line:
        return False
    cells = line.split("\t")
    filled = [c for c in cells if c.strip()]
    if len(filled) >= 2:
        return True
    # one filled cell (a label carried over, a title row): short, else it is indented prose
    return len(filled) == 1 and len(filled[0].strip()) <= 80


def _tab_multi(line: str) -> bool:
    return sum(1 for c in line.split("\t") if c.strip()) >= 2


def read_markdown(text: str, name: str = "report.md", *, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """A Markdown text already in memory (e.g. a report gongkai wrote), with no decoding or sniffing."""
    return _within_limits(_read_text(text, "utf-8", name, "markdown", limits), limits)


def _read_text(
    text: str, encoding: str | None, name: str, kind: SourceKind, limits: ReaderLimits = DEFAULT_LIMITS
) -> RawDocument:
    """Plain text and Markdown: the text is kept; tab runs and pipe tables become tables.

    Plain text: lines are kept exactly; a run of two or more consecutive tab-separated lines (at
    least one with two filled cells) is also a SourceTable pointing at those lines. Markdown: a
    pipe table's lines are rewritten as tab-separated cells and its ``|---|`` line is dropped.
    """
    notes: list[str] = []
    if len(text) > limits.max_text_chars:
        text = _cut_text(text, limits.max_text_chars)
        notes.append(_text_limit_note(limits))
    max_rows, max_cols, max_cells = limits.max_table_rows, limits.max_table_columns, limits.max_table_cells
    lines = text.split("\n")
    out: list[str] = []
    tables: list[SourceTable] = []
    pos = 0  # length of "\n".join(out) + "\n" when out is non-empty

    def note(msg: str) -> None:
        if msg not in notes:
            notes.append(msg)

    def tab_row(line: str) -> bool:
        if line.count("\t") >= max_cols:
            note(f"表格一行超过{max_cols}列的上限，该行未作为表格读取")
            return False
        return _tab_row_like(line)

    def emit(line: str) -> None:
        nonlocal pos
        out.append(line)
        pos += len(line) + 1

    check_md = kind == "markdown" or "|" in text
    i = 0
    n = len(lines)
    while i < n:
        if check_md and "|" in lines[i]:
            count = _md_table_at(lines, i)
            if count:
                if count - 1 > max_rows:  # header + separator + body: rows beyond the limit stay text
                    count = max_rows + 1
                    note(f"表格超过{max_rows}行的上限，其后的行未作为表格读取")
                raw_rows = [_split_md_row(lines[i])] + [_split_md_row(ln) for ln in lines[i + 2 : i + count]]
                width = max(len(r) for r in raw_rows)
                if width > max_cols:
                    width = max_cols
                    raw_rows = [r[:max_cols] for r in raw_rows]
                    note(f"表格超过{max_cols}列的上限，只读取了前{max_cols}列")
                if width * len(raw_rows) > max_cells:
                    keep = max(1, max_cells // width)
                    count = 1 + keep  # header, separator, keep - 1 body lines
                    raw_rows = raw_rows[:keep]
                    note(f"表格超过{max_cells}个单元格的上限，其后的行未作为表格读取")
                rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in raw_rows)
                start = pos
                for row in rows:
                    emit("\t".join(row))
                tables.append(SourceTable(rows=rows, start=start, end=pos - 1))
                kind = "markdown"
                i += count
                continue
        if "\t" in lines[i] and tab_row(lines[i]):
            j = i
            cells = 0
            capped = False
            while j < n and (j == i or tab_row(lines[j])):  # (line i was just found a row)
                cells += lines[j].count("\t") + 1
                if j - i >= max_rows or cells > max_cells:
                    capped = True
                    note(f"表格超过{max_rows}行或{max_cells}个单元格的上限，其后的行未作为表格读取")
                    break
                j += 1
            if j - i >= 2 and any(_tab_multi(ln) for ln in lines[i:j]):
                start = pos
                rows = tuple(tuple(ln.split("\t")) for ln in lines[i:j])
                for ln in lines[i:j]:
                    emit(ln)
                tables.append(SourceTable(rows=rows, start=start, end=pos - 1))
            else:
                for ln in lines[i:j]:
                    emit(ln)
            while capped and j < n and "\t" in lines[j]:  # the rest of the run stays text
                emit(lines[j])
                j += 1
            i = j
            continue
        emit(lines[i])
        i += 1

    result = "\n".join(out)
    problems: list[str] = notes
    if not result.strip():
        problems.append("文件中没有可读的文字")
    return RawDocument(
        name=name, kind=kind, text=result, tables=tuple(tables), encoding=encoding, problems=tuple(problems)
    )

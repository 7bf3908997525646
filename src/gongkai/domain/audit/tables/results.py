"""What the table readers produce: issues, label uses, the :class:`Extraction`, and the helpers
that find where a table's lines are."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document, Line
from gongkai.domain.audit.recognise import SectionHit
from gongkai.domain.audit.tables.rows import (
    _BLANK,
    Cell,
    Group,
    Number,
    Reading,
    RowReading,
    TextRow,
    _gapped,
    ocr_digits,
    parse_number,
)
from gongkai.domain.audit.tables.stream import clip

TABLE_NAMES = {"table_2": "表二", "table_3": "表三", "table_4": "表四"}


# -- results ---------------------------------------------------------------------------------


@dataclass
class TableIssue:
    """Something the extraction has to say; findings.py turns it into an AuditFinding."""

    rule: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)
    expected: Any = None
    actual: Any = None


@dataclass
class LabelUse:
    table: str
    key: str
    written: str
    official: str
    spans: list[tuple[int, int]]


@dataclass
class Extraction:
    tables: dict[str, Any] = field(default_factory=dict)
    cell_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # "table_3.granted.total" -> span
    status: dict[str, str] = field(default_factory=dict)  # table -> read | partial | unreadable | absent
    issues: list[TableIssue] = field(default_factory=list)
    label_uses: list[LabelUse] = field(default_factory=list)
    old_stats: dict[str, Any] | None = None
    # "table_2.art20_1.regulations.made" -> "/": a cell written as a mark (/, —, －, 无 …), which
    # the tables hold as blank (or 0 in table 三, by the format's convention): kept apart from an
    # empty cell and from a written 0
    markers: dict[str, str] = field(default_factory=dict)
    # the section a table was read under when several headings could be its (see extract_tables)
    sections: dict[str, SectionHit] = field(default_factory=dict)


_DIGIT = re.compile(r"\d")


def _region(
    doc: Document,
    section: SectionHit | None,
    ex: Extraction | None = None,
    table: str = "",
    max_rows: int = DEFAULT_LIMITS.max_table_rows,
) -> list[Line]:
    """The lines of a section; without the section, every line that could be a table row.

    At most ``max_rows`` lines that could be table rows (a tab or a digit) are examined: a table
    of a million rows costs what one of ``max_rows`` does, and the extraction says so."""
    if section is None:
        lines = [ln for ln in doc.lines if "\t" in ln.text or _DIGIT.search(ln.text)]
    else:
        a, b = section.body
        lines = [ln for ln in doc.lines if ln.end > a and ln.start < b]
        if lines and (lines[0].start < a or lines[-1].end > b):
            lines = clip(lines, a, b)  # an inline heading: the section is only part of its line
    lines = [ln for ln in lines if not _PAGE_FURNITURE.match(ln.text)]
    rows = 0
    for i, ln in enumerate(lines):
        if "\t" in ln.text or _DIGIT.search(ln.text):
            rows += 1
            if rows > max_rows:
                if ex is not None:
                    ex.issues.insert(
                        0,
                        TableIssue(  # first: kept however many findings follow
                            "source_problem",
                            "warning",
                            f"{TABLE_NAMES.get(table, '表格')}所在部分超过{max_rows}行的上限，其后的行没有检查",
                            spans=[(ln.start, ln.end)],
                        ),
                    )
                return lines[:i]
    return lines


# page headers and footers a PDF or a printed copy leaves between table rows: — 3 —, - 3 -,
# 第3页 共9页, 第 3 页, 3/9
_PAGE_FURNITURE = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def is_page_number(line: Line) -> bool:
    """A line that is one short number: a page number between the rows of a wide table (a row
    of table 三 or 四 never has one figure only)."""
    return _LONE_NUMBER.match(line.text) is not None


def _is_prose(line: Line) -> bool:
    s = line.text
    return ("。" in s and len(s) > 40) or len(s) > 400


def _fmt_reading(r: Reading) -> str:
    return ", ".join("空" if v is None else (str(int(v)) if float(v).is_integer() else str(v)) for v in r)


def _use(ex: Extraction, table: str, m: L.LabelMatch, cells: Sequence[Cell], written: str | None = None) -> None:
    text = written if written is not None else "".join(c.text for c in cells)
    ex.label_uses.append(LabelUse(table, m.key, text, m.label, [(c.start, c.end) for c in cells]))


def _laid_out(tr: TextRow, ncols: int) -> list[Cell | None]:
    return tr.padded if tr.padded is not None and len(tr.padded) == ncols else tr.values


@functools.lru_cache(maxsize=1024)
def _cell_refs(prefix: str, cols: tuple[str, ...]) -> tuple[str, ...]:
    """``prefix.column`` for each column (a row's cell names: the same few hundred every report)."""
    return tuple(f"{prefix}.{key}" for key in cols)


def _record_spans(ex: Extraction, prefix: str, cols: Sequence[str], tr: TextRow, reading: Reading) -> None:
    values = _laid_out(tr, len(cols))
    refs = _cell_refs(prefix, tuple(cols))
    if len(values) == len(cols):
        spans = ex.cell_spans
        for ref, c in zip(refs, values):
            if c is not None:
                spans[ref] = (c.start, c.end)
                if c.text in _BLANK:
                    ex.markers[ref] = c.text
        return
    cells = [c for c in values if c is not None]
    if cells:  # glued or shifted: every cell points at the stretch of digits it came from
        span = (cells[0].start, cells[-1].end)
        for ref in refs:
            ex.cell_spans[ref] = span


def _t3_row_issue(
    ex: Extraction,
    table: str,
    row_key: str,
    label: str,
    cols: Sequence[str],
    tr: TextRow,
    rr: RowReading,
    groups: Sequence[Group] = (),
) -> None:
    cells = [c for c in tr.values if c is not None]
    written = " ".join(c.text for c in cells)
    spans = [(cells[0].start, cells[-1].end)] if cells else [(tr.line.start, tr.line.end)]
    # table 四 is one row: its cells are table_4.<column>, as in the tables and the page
    refs = tuple(f"table_4.{c}" if table == "table_4" else f"{table}.{row_key}.{c}" for c in cols)
    name = TABLE_NAMES[table]
    lost = _lost_cell_readings(tr, len(cols), groups, rr.readings or rr.structural)
    also = ""
    if lost:
        also = "；若有数字在转换中丢失，还可能是：" + "；".join(f"（{_fmt_reading(r)}）" for r in lost[:6])
        also += "等" if len(lost) > 6 else ""
    if rr.readings:
        shown = "；".join(f"（{_fmt_reading(r)}）" for r in rr.readings[:6])
        more = f"{len(rr.readings)}种"
        shown += "等" if len(rr.readings) > 6 else ""
        ex.issues.append(
            TableIssue(
                "ambiguous_cells",
                "warning",
                f"{name}“{label}”行的数字“{written}”有{more}读法{_AGREE[table]}：{shown}{also}，无法确定，本行记为空白",
                refs,
                spans,
                actual=[list(r) for r in [*rr.readings, *lost]],
            )
        )
    else:
        why = rr.why or "无法读取"
        extra = ""
        if rr.structural:
            extra = "，可能的读法：" + "；".join(f"（{_fmt_reading(r)}）" for r in rr.structural[:6])
        ex.issues.append(
            TableIssue(
                "unreadable_cells",
                "warning",
                f"{name}“{label}”行的数字“{written}”无法读取：{why}{extra}{also}，本行记为空白",
                refs,
                spans,
                actual=[list(r) for r in [*rr.structural[:20], *lost]],
            )
        )


def _lost_cell_readings(tr: TextRow, ncols: int, groups: Sequence[Group], listed: Sequence[Reading]) -> list[Reading]:
    """For a row written with spaces and fewer figures than columns: the readings in which the
    missing cells were lost in conversion (each what the row's totals make it), beyond those
    listed. Named as candidates only, never read: with spaces a lost cell and a blank one look
    alike, and taking a computed figure would hide a blank or an inconsistency the author wrote."""
    if tr.tabbed or tr.glued or not groups:
        return []
    texts = [c.text for c in tr.values if c is not None]
    if not texts or len(texts) >= ncols or not all(_is_figure(t) for t in texts):
        return []
    vals = [parse_number(t) for t in texts]
    if any(v is None for v in vals):
        return []
    seen = set(listed)
    return [r for r in dict.fromkeys(_gapped(vals, ncols, groups) or ()) if r not in seen]


def _is_figure(t: str) -> bool:
    return ocr_digits(t).isdigit()


def partial_row_issue(
    ex: Extraction,
    table: str,
    row_key: str,
    label: str,
    cols: Sequence[str],
    names: Sequence[str],
    tr: TextRow,
    rr: RowReading,
    agreed: Reading,
) -> None:
    """An ambiguous row whose readings agree on some cells: those are read, the others named with
    every value the readings leave them (candidates, never a value)."""
    cells = [c for c in tr.values if c is not None]
    written = " ".join(c.text for c in cells)
    spans = [(cells[0].start, cells[-1].end)] if cells else [(tr.line.start, tr.line.end)]
    open_ = [i for i, v in enumerate(agreed) if v is None]
    prefix = f"{table}.{row_key}" if row_key else table  # table 四 is one row: table_4.<column>
    candidates: dict[str, list[Number | None]] = {}
    for i in open_:
        values = {r[i] for r in rr.readings}
        # None: a reading where the cell was left blank (a blank is one of the possibilities)
        candidates[f"{prefix}.{cols[i]}"] = [
            *sorted(v for v in values if v is not None),
            *([None] if None in values else []),
        ]
    shown = "；".join(
        f"{names[i]}：{'或'.join(_fmt_reading((v,)) for v in candidates[f'{prefix}.{cols[i]}'])}" for i in open_
    )
    name = TABLE_NAMES[table]
    ex.issues.append(
        TableIssue(
            "ambiguous_cells",
            "warning",
            f"{name}“{label}”行的数字“{written}”有{len(rr.readings)}种读法{_AGREE[table]}；"
            f"各种读法相同的{len(agreed) - len(open_)}格已读取，其余{len(open_)}格无法确定，记为空白（{shown}）",
            tuple(candidates),
            spans,
            actual=candidates,
        )
    )


_AGREE = {
    "table_2": "（表二没有可供核对的合计）",
    "table_3": "都符合本行总计与各列勾稽关系",
    "table_4": "都符合各组“总计”",
}


def _unmatched_issue(ex: Extraction, name: str, tr: TextRow) -> None:
    label = tr.own.text if tr.own else ""
    if not label and not tr.numbers:
        return
    ex.issues.append(
        TableIssue(
            "unmatched_row",
            "warning",
            f"{name}中有一行“{tr.line.text.strip()[:60]}”无法对应到规范格式的任何一行，其数字未计入",
            spans=[(tr.line.start, tr.line.end)],
        )
    )

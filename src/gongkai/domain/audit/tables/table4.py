"""Table 四 (政府信息公开行政复议、行政诉讼情况): one row of fifteen cells.

Some reports write it as three tables of five columns under the sub-headings 行政复议 /
（行政诉讼）未经复议直接起诉 / 复议后起诉: each sub-table's row is read on its own (its 总计
checks it) and put in its place."""

from __future__ import annotations

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document, Line
from gongkai.domain.audit.recognise import SectionHit
from gongkai.domain.audit.tables.results import (
    Extraction,
    TableIssue,
    _is_prose,
    _record_spans,
    _region,
    _t3_row_issue,
    _use,
    is_page_number,
    partial_row_issue,
)
from gongkai.domain.audit.tables.rows import (
    Group,
    RowReading,
    TextRow,
    lost_figure_readings,
    parse_number,
    read_row,
    split_line,
)
from gongkai.domain.audit.tables.stream import split_figure_run
from gongkai.domain.report_format import ReportFormat

# -- table 四 ---------------------------------------------------------------------------------


def extract_table4(
    doc: Document,
    fmt: ReportFormat,
    section: SectionHit | None,
    ex: Extraction,
    max_rows: int = DEFAULT_LIMITS.max_table_rows,
) -> None:
    vocab = L.table4_vocabulary(fmt.version)
    cols = [c.key for c in fmt.table_4.columns]
    groups: list[Group] = [((i, i + 1, i + 2, i + 3), i + 4) for i in range(0, len(cols), 5)]
    lines = split_figure_run(_region(doc, section, ex, "table_4", max_rows))
    if _read_transposed(ex, cols, lines):
        return
    header = 0
    data: TextRow | None = None
    group_at: int | None = None  # the sub-table (0, 5, 10) a split table 四 is under
    parts: dict[int, TextRow] = {}
    for line in lines:
        if not line.text.strip() or _is_prose(line) or is_page_number(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
            at = _subtable(" ".join(c.text for c in tr.labels))
            if at is not None:
                group_at = at
            hits = [(c, vocab.match(c.text)) for c in tr.labels]
            good = [(c, m) for c, m in hits if m is not None and m.score >= L.ACCEPT]
            if len(good) >= 2:
                header += 1
                for c, m in good:
                    _use(ex, "table_4", m, [c], c.text)
            continue
        if section is None and not header:
            continue
        own = tr.own
        if own is not None and len(own.text) > 8:
            continue  # a labelled line is not the single data row of table 四
        if group_at is not None and group_at not in parts:
            parts[group_at] = tr
        if data is None:
            data = tr
    if len(parts) == 3 and data is not None and len(data.numbers) < len(cols) and len(data.values) <= 5:
        _read_split(ex, fmt, cols, parts)
        return
    if data is None:
        if header:
            ex.status["table_4"] = "unreadable"
            ex.tables["table_4"] = dict.fromkeys(cols)
            ex.issues.append(
                TableIssue("unreadable_cells", "error", "表四只有表头，没有数字", tuple(f"table_4.{c}" for c in cols))
            )
        return
    rr = read_row(data.values, len(cols), data.tabbed, groups, padded=data.padded, glued=data.glued)
    reading = rr.unique
    every_way = _separated(data)  # the readings are every way the row can have been written
    if reading is None and not every_way:
        lost = lost_figure_readings(data, len(cols), groups, rr.readings)
        if lost:
            rr, every_way = RowReading(lost, lost), True
            reading = rr.unique
    if reading is None:
        agreed = rr.agreed() if every_way else None
        if agreed is not None:
            ex.tables["table_4"] = dict(zip(cols, agreed))
            ex.status["table_4"] = "partial"
            partial_row_issue(ex, "table_4", "", "行政复议、行政诉讼", cols, _names(fmt), data, rr, agreed)
            return
        ex.tables["table_4"] = dict.fromkeys(cols)
        ex.status["table_4"] = "unreadable"
        _t3_row_issue(ex, "table_4", "cases", "行政复议、行政诉讼", cols, data, rr, groups)
        return
    ex.tables["table_4"] = dict(zip(cols, reading))
    ex.status["table_4"] = "read"
    _record_spans(ex, "table_4", cols, data, reading)


def _separated(tr: TextRow) -> bool:
    """Whether the row's cells were written apart by tabs: then its readings are every place a
    lost cell can have been (each computed from its group's 总计), and a figure they all agree on
    is right. Not so with spaces (a blank and a lost cell look alike there, and the last figure
    is taken for the 总计, so a lost 总计 is among no reading) nor for a run of digits glued
    together that lost a cell (it may split into readings none of which is the row written):
    nothing is taken from their agreement."""
    return tr.tabbed and not tr.glued


def _names(fmt: ReportFormat) -> list[str]:
    """Table 四's column names with their group (行政复议·结果维持), for messages."""
    group = {}
    for g in fmt.table_4.column_groups:
        for child in g.children:
            group[child] = g.label
    return [f"{group.get(c.key, '')}·{c.label}" if c.key in group else c.label for c in fmt.table_4.columns]


def _subtable(text: str) -> int | None:
    """Which sub-table a heading line of a split table 四 opens (None: not such a heading)."""
    if "复议后起诉" in text and "直接起诉" not in text:
        return 10
    if "直接起诉" in text and "复议后起诉" not in text:
        return 5
    if "行政复议" in text and "诉讼" not in text and "起诉" not in text:
        return 0
    return None


def _read_split(ex: Extraction, fmt: ReportFormat, cols: list[str], parts: dict[int, TextRow]) -> None:
    """Table 四 written as three five-column tables: each row read against its own 总计."""
    values: dict[str, int | float | None] = dict.fromkeys(cols)
    unread = 0
    for at, tr in sorted(parts.items()):
        keys = cols[at : at + 5]
        rr = read_row(tr.values, 5, tr.tabbed, [((0, 1, 2, 3), 4)], padded=tr.padded, glued=tr.glued)
        reading = rr.unique
        agreed = rr.agreed() if reading is None and _separated(tr) else None
        if agreed is not None:
            unread += 1
            values.update((k, v) for k, v in zip(keys, agreed) if v is not None)
            partial_row_issue(ex, "table_4", "", "行政复议、行政诉讼", cols[at:], _names(fmt)[at:], tr, rr, agreed)
            continue
        if reading is None:
            unread += 1
            _t3_row_issue(ex, "table_4", f"cases_{at}", "行政复议、行政诉讼", keys, tr, rr, [((0, 1, 2, 3), 4)])
            continue
        values.update(zip(keys, reading))
        _record_spans(ex, "table_4", keys, tr, reading)
    ex.tables["table_4"] = values
    ex.status["table_4"] = "read" if not unread else ("unreadable" if unread == 3 else "partial")


_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _group_order(text: str) -> list[int] | None:
    """The order of the three groups named in a header line of a transposed table 四 (0 行政复议,
    5 未经复议直接起诉, 10 复议后起诉), or None when the line does not name all three."""
    at = {0: text.find("行政复议"), 5: text.find("直接起诉"), 10: text.find("复议后起诉")}
    if at[0] >= 0 and at[0] == text.find("行政复议后"):
        at[0] = -1
    if min(at.values()) < 0:
        return None
    return sorted(at, key=lambda k: at[k])


def _read_transposed(ex: Extraction, cols: list[str], lines: list[Line]) -> bool:
    """Table 四 written turned on its side: a header naming the three groups, then one row per
    result (结果维持 … 总计) with one figure per group. Read only when the header and all five
    result rows are there with three figures each written apart; each group checked by its
    总计 like any table 四 (the format's rules t4_*)."""
    order: list[int] | None = None
    rows: dict[int, TextRow] = {}
    for line in lines:
        if not line.text.strip() or _is_prose(line) or is_page_number(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
            if order is None:
                order = _group_order(line.text)
            continue
        if order is None:
            continue
        own = tr.own.text.strip() if tr.own else ""
        which = [i for i, name in enumerate(_RESULTS) if own.endswith(name) and len(own) <= len(name) + 4]
        if len(which) == 1 and which[0] not in rows:
            rows[which[0]] = tr
    if order is None or len(rows) != 5:
        return False
    if any(len(tr.numbers) != 3 or len([v for v in tr.values if v is not None]) != 3 for tr in rows.values()):
        return False  # a lost or glued figure: not read this way (the row reader says what it can)
    values: dict[str, int | float | None] = dict.fromkeys(cols)
    for i, tr in rows.items():
        for g, cell in zip(order, [c for c in tr.values if c is not None]):
            values[cols[g + i]] = parse_number(cell.text)
            ex.cell_spans[f"table_4.{cols[g + i]}"] = (cell.start, cell.end)
    ex.tables["table_4"] = values
    ex.status["table_4"] = "read"
    return True

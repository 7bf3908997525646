"""Table 四 (政府信息公开行政复议、行政诉讼情况): one row of fifteen cells."""

from __future__ import annotations

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.recognise import SectionHit
from gongkai.domain.audit.tables.results import _is_prose, _record_spans, _region, _t3_row_issue, _use, Extraction, TableIssue
from gongkai.domain.audit.tables.stream import split_figure_run
from gongkai.domain.audit.tables.rows import Group, read_row, split_line, TextRow
from gongkai.domain.report_format import ReportFormat


# -- table 四 ---------------------------------------------------------------------------------


def extract_table4(
    doc: Document, fmt: ReportFormat, section: SectionHit | None, ex: Extraction, max_rows: int = DEFAULT_LIMITS.max_table_rows
) -> None:
    vocab = L.table4_vocabulary(fmt.version)
    cols = [c.key for c in fmt.table_4.columns]
    groups: list[Group] = [((i, i + 1, i + 2, i + 3), i + 4) for i in range(0, len(cols), 5)]
    lines = split_figure_run(_region(doc, section, ex, "table_4", max_rows))
    header = 0
    data: TextRow | None = None
    for line in lines:
        if not line.text.strip() or _is_prose(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
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
        if data is None:
            data = tr
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
    if reading is None:
        ex.tables["table_4"] = dict.fromkeys(cols)
        ex.status["table_4"] = "unreadable"
        _t3_row_issue(ex, "table_4", "cases", "行政复议、行政诉讼", cols, data, rr)
        return
    ex.tables["table_4"] = dict(zip(cols, reading))
    ex.status["table_4"] = "read"
    _record_spans(ex, "table_4", cols, data, reading)

"""Table 二 (主动公开政府信息情况): the sub-tables of 第二十条 read row by row."""

from __future__ import annotations

import re
from typing import Any

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.recognise import SectionHit
from gongkai.domain.audit.tables.results import (
    Extraction,
    TableIssue,
    _is_prose,
    _record_spans,
    _region,
    _t3_row_issue,
    _unmatched_issue,
    _use,
    partial_row_issue,
)
from gongkai.domain.audit.tables.rows import Cell, RowReading, read_row, split_line
from gongkai.domain.audit.tables.stream import reline
from gongkai.domain.consistency import row_breaks_error_rule
from gongkai.domain.report_format import ReportFormat

_CAPTION = re.compile(r"第二十条第?\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*项?")


# -- table 二 ---------------------------------------------------------------------------------

_CN_NUM = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}


def extract_table2(
    doc: Document,
    fmt: ReportFormat,
    section: SectionHit | None,
    ex: Extraction,
    max_rows: int = DEFAULT_LIMITS.max_table_rows,
) -> None:
    vocab = L.table2_vocabulary(fmt.version)
    t2 = fmt.table_2
    sub_ids = {s.id for s in t2.subtables}
    anchors = [label for sub in t2.subtables for label in (sub.caption, *(r.label for r in sub.rows))]
    lines = reline(_region(doc, section, ex, "table_2", max_rows), anchors)
    sub: str | None = None
    order: dict[str, list[str | None]] = {}
    values: dict[str, dict[str, dict[str, Any]]] = {}
    rows_read = rows_unread = 0
    caption_seen = False
    rows_seen: set[tuple[str, str]] = set()
    for line in lines:
        if not line.text.strip() or _is_prose(line):
            continue
        tr = split_line(line)
        cap = next((c for c in tr.labels if _CAPTION.search(c.text)), None)
        if cap is not None:
            n = _CN_NUM.get(_CAPTION.search(cap.text).group(1), 0)  # type: ignore[union-attr]
            sub = f"art20_{n}" if f"art20_{n}" in sub_ids else None
            caption_seen = True
            if sub is not None:
                # only the caption itself: in a one-line report the header runs on after it
                cm = _CAPTION.search(cap.text)
                written = cap.text if cm is None or len(cap.text) <= cm.end() + 2 else cap.text[: cm.end()]
                cell = cap if written == cap.text else Cell(written, cap.start, cap.start + len(written))
                _use(ex, "table_2", L.LabelMatch(sub, t2.subtable(sub).caption, "caption", 1.0), [cell], written)
            else:
                ex.issues.append(
                    TableIssue(
                        "unmatched_row",
                        "warning",
                        f"表二中的“{cap.text}”不属于{fmt.version}年格式的表二，其下数字未计入",
                        spans=[(cap.start, cap.end)],
                    )
                )
            continue
        if not tr.numbers:
            if sub is None or not tr.labels:
                continue
            cvocab = L.table2_columns(fmt.version, sub)
            head = t2.subtable(sub).row_header_label
            c0 = tr.labels[0]
            if len(tr.labels) == 1 and c0.text.startswith(head) and len(c0.text) > len(head):
                # 信息内容本年处理决定数量: the header cells ran together; the row header is known
                tr.labels = [
                    Cell(head, c0.start, c0.start + len(head)),
                    Cell(c0.text[len(head) :], c0.start + len(head), c0.end),
                ]
            first = vocab.match(tr.labels[0].text, ("header",))
            cells = tr.labels[1:] if first and first.score >= L.ACCEPT else tr.labels
            if first and first.score >= L.ACCEPT:
                _use(ex, "table_2", first, [tr.labels[0]], tr.labels[0].text)
            matched: list[str | None] = []
            for c in cells:
                m = cvocab.match(c.text, ("column",))
                if m and m.score >= L.WEAK:
                    matched.append(m.key)
                    _use(ex, "table_2", L.LabelMatch(f"{sub}.{m.key}", m.label, "column", m.score), [c], c.text)
                else:
                    matched.append(None)
            if any(matched) and len(matched) == len(t2.subtable(sub).columns):
                order[sub] = matched  # a header naming fewer cells than columns ran together: not an order
            continue
        own = tr.own
        if own is None:
            continue
        m = vocab.match(own.text, ("row",))
        if m is None:
            _unmatched_issue(ex, "表二", tr)
            continue
        row_sub, row_key = m.key.split(".", 1)
        if sub != row_sub:
            sub = row_sub  # the label says which sub-table, whatever caption came before
        _use(ex, "table_2", m, [own], own.text)
        rows_seen.add((row_sub, row_key))
        st = t2.subtable(row_sub)
        keys: list[str | None] = list(order.get(row_sub) or [c.key for c in st.columns])
        rr = read_row(tr.values, len(keys), tr.tabbed, padded=tr.padded, glued=tr.glued)
        if 1 < len(rr.readings) <= MAX_CHECKED_READINGS and keys == [c.key for c in st.columns]:
            rr = _within_rules(rr, fmt, row_sub, row_key)
        reading = rr.unique
        prefix = f"table_2.{row_sub}.{row_key}"
        agreed = rr.agreed() if reading is None and keys == [c.key for c in st.columns] else None
        if agreed is not None:  # the readings agree on some cells: those are read, the others named
            rows_read += 1
            values.setdefault(row_sub, {})[row_key] = {k: v for k, v in zip(keys, agreed) if k is not None}
            partial_row_issue(
                ex,
                "table_2",
                f"{row_sub}.{row_key}",
                st.row(row_key).label,
                [c.key for c in st.columns],
                [c.label for c in st.columns],
                tr,
                rr,
                agreed,
            )
            continue
        if reading is None:
            rows_unread += 1
            _t3_row_issue(
                ex, "table_2", f"{row_sub}.{row_key}", st.row(row_key).label, [c.key for c in st.columns], tr, rr
            )
            continue
        rows_read += 1
        cell = values.setdefault(row_sub, {}).setdefault(row_key, {})
        for key, v in zip(keys, reading):
            if key is not None:
                cell[key] = v
        _record_spans(ex, prefix, [k or "" for k in keys], tr, reading)
    if not rows_read and not rows_unread and not caption_seen:
        return
    table = {
        s.id: {r.key: {c.key: values.get(s.id, {}).get(r.key, {}).get(c.key) for c in s.columns} for r in s.rows}
        for s in t2.subtables
    }
    ex.tables["table_2"] = table
    missing = [f"{s.caption}“{r.label}”" for s in t2.subtables for r in s.rows if (s.id, r.key) not in rows_seen]
    ex.status["table_2"] = "unreadable" if not rows_read else ("partial" if missing else "read")
    if not rows_read and not rows_unread:  # a heading, maybe a header, and not one number
        ex.issues.append(
            TableIssue(
                "unreadable_cells",
                "error",
                "表二只有标题或表头，没有可以读取的数字",
                tuple(f"table_2.{s.id}" for s in t2.subtables),
            )
        )
    if missing and rows_read:
        ex.issues.append(
            TableIssue(
                "partial_table",
                "warning",
                f"表二中未找到{len(missing)}行：{'、'.join(missing[:6])}{'等' if len(missing) > 6 else ''}，记为空白",
                cells=tuple(
                    f"table_2.{s.id}.{r.key}" for s in t2.subtables for r in s.rows if (s.id, r.key) not in rows_seen
                ),
            )
        )


MAX_CHECKED_READINGS = 200  # readings of one row checked against the rules; more are all kept


def _within_rules(rr: RowReading, fmt: ReportFormat, sub: str, row: str) -> RowReading:
    """Of several readings of a row whose separators were lost, those breaking no rule of the
    year within the row that the format makes an error to break: a count or an amount is never
    negative (t2_non_negative), so ``198-20`` is not 1, 98, -20. A warning is not used to choose
    (t2_published_le_total, 本年新公开 not above 对外公开总数, is inferred: an author may break it, and
    the reading chosen by it would then be a wrong value with the warning hidden). A row read as
    written keeps what it says; when no reading is left, all are kept."""
    cols = [c.key for c in fmt.table_2.subtable(sub).columns]
    kept = [r for r in rr.readings if not row_breaks_error_rule(fmt, "table_2", sub, row, dict(zip(cols, r)))]
    return RowReading(kept, rr.structural) if kept and len(kept) < len(rr.readings) else rr

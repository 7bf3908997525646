"""Shaping audit results for pages and exports: highlighted text, tables with official labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.domain.report_format import ReportFormat, load_formats


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...]  # indexes into the report's findings
    severity: str = ""


def highlight(text: str, findings: list[dict[str, Any]], *, original: bool = True) -> list[Segment]:
    """Cut ``text`` at every finding span's edges so each piece knows which findings cover it."""
    start_key, end_key = ("original_start", "original_end") if original else ("start", "end")
    marks: list[tuple[int, int, int, str]] = []
    for i, f in enumerate(findings):
        for span in f.get("where", {}).get("spans", []):
            a, b = max(0, int(span[start_key])), min(len(text), int(span[end_key]))
            if a < b:
                marks.append((a, b, i, f["severity"]))
    cuts = sorted({0, len(text), *[m[0] for m in marks], *[m[1] for m in marks]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        severity = "error" if any(m[3] == "error" for m in covering) else ("warning" if covering else "")
        out.append(Segment(text[a:b], tuple(sorted({m[2] for m in covering})), severity))
    return out


def _fmt(version: str | None) -> ReportFormat | None:
    return load_formats().get(version) if version in ("2019", "2021") else None


def _flagged_cells(findings: list[dict[str, Any]]) -> dict[str, str]:
    flagged: dict[str, str] = {}
    for f in findings:
        for cell in f.get("where", {}).get("cells", []):
            if flagged.get(cell) != "error":
                flagged[cell] = f["severity"]
    return flagged


def table3_view(version: str | None, tables: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Table 三 as rows of (label, cells) in the official order, each cell with its flag."""
    fmt = _fmt(version)
    t3 = tables.get("table_3")
    if fmt is None or t3 is None:
        return None
    flagged = _flagged_cells(findings)
    columns = [(c.key, c.label) for c in fmt.table_3.columns]
    rows = []
    for row in fmt.table_3.rows:
        cells = []
        if row.data:
            for key, _ in columns:
                ref = f"table_3.{row.key}.{key}"
                cells.append({"value": (t3.get(row.key) or {}).get(key), "flag": flagged.get(ref, "")})
        rows.append({"label": row.label, "data": row.data, "cells": cells, "depth": 0 if row.parent is None else 1})
    return {"columns": columns, "rows": rows, "note": fmt.table_3.row_header_note}


def table2_view(version: str | None, tables: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    fmt = _fmt(version)
    t2 = tables.get("table_2")
    if fmt is None or t2 is None:
        return None
    flagged = _flagged_cells(findings)
    out = []
    for sub in fmt.table_2.subtables:
        data = t2.get(sub.id) or {}
        rows = [
            {
                "label": r.label,
                "cells": [
                    {"value": (data.get(r.key) or {}).get(c.key), "flag": flagged.get(f"table_2.{sub.id}.{r.key}.{c.key}", "")}
                    for c in sub.columns
                ],
            }
            for r in sub.rows
        ]
        out.append({"caption": sub.caption, "columns": [c.label for c in sub.columns], "rows": rows})
    return out


def table4_view(version: str | None, tables: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any] | None:
    fmt = _fmt(version)
    t4 = tables.get("table_4")
    if fmt is None or t4 is None:
        return None
    flagged = _flagged_cells(findings)
    groups = []
    for group_key, group_label in (("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉")):
        cols = [c for c in fmt.table_4.columns if c.parent == group_key]
        groups.append(
            {
                "label": group_label,
                "cells": [{"label": c.label, "value": t4.get(c.key), "flag": flagged.get(f"table_4.{c.key}", "")} for c in cols],
            }
        )
    return {"groups": groups}

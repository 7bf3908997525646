"""Shaping audit results for pages and exports: highlighted text, tables with official labels."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.domain.audit.tables import OLD_STATS_KEYS, OLD_STATS_LABELS
from gongkai.domain.report_format import ReportFormat, load_formats


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...]  # indexes into the report's findings (at most MAX_FINDINGS_PER_SEGMENT)
    severity: str = ""


# A piece of text covered by more findings than this names only the first ones (in the order of
# the findings list): the page stays linear in the text however the spans pile up.
MAX_FINDINGS_PER_SEGMENT = 10
FINDINGS_PER_PAGE = 200
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def highlight(
    text: str, findings: list[dict[str, Any]], *, original: bool = True, only: range | None = None
) -> list[Segment]:
    """Cut ``text`` at every finding span's edges so each piece knows which findings cover it.

    One sweep over the span edges (sorted once): time O(n log n + text) for n spans, not the
    O(n²) of asking every piece which spans cover it. ``only`` marks just those findings (the
    page of the list being shown).
    """
    start_key, end_key = ("original_start", "original_end") if original else ("start", "end")
    edges: list[tuple[int, int, int]] = []  # (position, +1 start / -1 end, finding index)
    severities: dict[int, str] = {}
    indexes = only if only is not None else range(len(findings))
    for i in indexes:
        if i >= len(findings):
            break
        f = findings[i]
        for span in f.get("where", {}).get("spans", []):
            try:
                a, b = max(0, int(span[start_key])), min(len(text), int(span[end_key]))
            except (KeyError, TypeError, ValueError):
                continue
            if a < b:
                edges.append((a, 1, i))
                edges.append((b, -1, i))
                severities[i] = f.get("severity", "")
    if not edges:
        return [Segment(text, ())] if text else []
    edges.sort()
    out: list[Segment] = []
    active: dict[int, int] = {}  # finding index -> spans of it open here (dicts keep insertion order)
    errors = 0
    pos = 0
    k = 0
    while k < len(edges):
        at = edges[k][0]
        if at > pos:
            out.append(_segment(text[pos:at], active, errors))
            pos = at
        while k < len(edges) and edges[k][0] == at:
            _, kind, i = edges[k]
            if kind > 0:
                active[i] = active.get(i, 0) + 1
                if active[i] == 1 and severities[i] == "error":
                    errors += 1
            else:
                left = active[i] - 1
                if left:
                    active[i] = left
                else:
                    del active[i]
                    if severities[i] == "error":
                        errors -= 1
            k += 1
    if pos < len(text):
        out.append(Segment(text[pos:], ()))
    return out


def _segment(piece: str, active: dict[int, int], errors: int) -> Segment:
    if not active:
        return Segment(piece, ())
    if len(active) <= MAX_FINDINGS_PER_SEGMENT:
        first = tuple(sorted(active))
    else:
        first = tuple(heapq.nsmallest(MAX_FINDINGS_PER_SEGMENT, active))
    return Segment(piece, first, "error" if errors else "warning")


def highlighted_html(segments: list[Segment]) -> SafeString:
    """The segments as escaped HTML with ``<mark>`` around covered pieces: built in one pass
    (a template loop over tens of thousands of pieces is what made the page slow)."""
    parts: list[str] = []
    for s in segments:
        if not s.findings:
            parts.append(escape(s.text))
            continue
        numbers = " ".join(f"#{i + 1}" for i in s.findings)
        ids = " ".join(str(i) for i in s.findings)
        parts.append(f'<mark class="{s.severity}" title="{numbers}" data-findings="{ids}">{escape(s.text)}</mark>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


@dataclass(frozen=True)
class FindingGroup:
    rule: str
    severity: str
    count: int
    example: str  # the first message of the rule


def finding_groups(findings: list[dict[str, Any]]) -> list[FindingGroup]:
    """Findings counted by rule (most severe first, then most frequent): one pass."""
    counts: dict[str, list[Any]] = {}
    for f in findings:
        rule = f.get("rule", "")
        entry = counts.get(rule)
        if entry is None:
            counts[rule] = [f.get("severity", ""), 1, f.get("message", "")]
        else:
            entry[1] += 1
            if _SEVERITY_RANK.get(f.get("severity", ""), 3) < _SEVERITY_RANK.get(entry[0], 3):
                entry[0] = f.get("severity", "")
    groups = [FindingGroup(rule, sev, n, msg) for rule, (sev, n, msg) in counts.items()]
    groups.sort(key=lambda g: (_SEVERITY_RANK.get(g.severity, 3), -g.count, g.rule))
    return groups


def _fmt(version: str | None) -> ReportFormat | None:
    return load_formats().get(version) if version in ("2019", "2021") else None


def flagged_cells(findings: list[dict[str, Any]]) -> dict[str, str]:
    """Every table cell some finding names, with the worst severity naming it."""
    flagged: dict[str, str] = {}
    for f in findings:
        for cell in f.get("where", {}).get("cells", []):
            if flagged.get(cell) != "error":
                flagged[cell] = f["severity"]
    return flagged


def table3_view(
    version: str | None, tables: dict[str, Any], flagged: dict[str, str], markers: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """Table 三 as rows of (label, cells) in the official order, each cell with its flag."""
    fmt = _fmt(version)
    t3 = tables.get("table_3")
    if fmt is None or t3 is None:
        return None
    columns = [(c.key, c.label) for c in fmt.table_3.columns]
    rows = []
    for row in fmt.table_3.rows:
        cells = []
        if row.data:
            for key, _ in columns:
                ref = f"table_3.{row.key}.{key}"
                cells.append(
                    {
                        "value": (t3.get(row.key) or {}).get(key),
                        "flag": flagged.get(ref, ""),
                        "marker": (markers or {}).get(ref, ""),
                    }
                )
        rows.append({"label": row.label, "data": row.data, "cells": cells, "depth": 0 if row.parent is None else 1})
    return {"columns": columns, "rows": rows, "note": fmt.table_3.row_header_note}


def table2_view(
    version: str | None, tables: dict[str, Any], flagged: dict[str, str], markers: dict[str, str] | None = None
) -> list[dict[str, Any]] | None:
    fmt = _fmt(version)
    t2 = tables.get("table_2")
    if fmt is None or t2 is None:
        return None
    out = []
    for sub in fmt.table_2.subtables:
        data = t2.get(sub.id) or {}
        rows = [
            {
                "label": r.label,
                "cells": [
                    {
                        "value": (data.get(r.key) or {}).get(c.key),
                        "flag": flagged.get(f"table_2.{sub.id}.{r.key}.{c.key}", ""),
                        "marker": (markers or {}).get(f"table_2.{sub.id}.{r.key}.{c.key}", ""),
                    }
                    for c in sub.columns
                ],
            }
            for r in sub.rows
        ]
        out.append({"caption": sub.caption, "columns": [c.label for c in sub.columns], "rows": rows})
    return out


def table4_view(
    version: str | None, tables: dict[str, Any], flagged: dict[str, str], markers: dict[str, str] | None = None
) -> dict[str, Any] | None:
    fmt = _fmt(version)
    t4 = tables.get("table_4")
    if fmt is None or t4 is None:
        return None
    groups = []
    for group_key, group_label in (
        ("review", "行政复议"),
        ("litigation_direct", "未经复议直接起诉"),
        ("litigation_after_review", "复议后起诉"),
    ):
        cols = [c for c in fmt.table_4.columns if c.parent == group_key]
        groups.append(
            {
                "label": group_label,
                "cells": [
                    {
                        "label": c.label,
                        "value": t4.get(c.key),
                        "flag": flagged.get(f"table_4.{c.key}", ""),
                        "marker": (markers or {}).get(f"table_4.{c.key}", ""),
                    }
                    for c in cols
                ],
            }
        )
    return {"groups": groups}


def old_stats_view(old_stats: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The old-format statistics as (Chinese label, figure) in the usual order; a figure the
    report does not state is said so, not shown as None."""
    if not old_stats:
        return []
    out = []
    for key in (*OLD_STATS_KEYS, *(k for k in old_stats if k not in OLD_STATS_KEYS)):
        if key not in old_stats:
            continue
        value = old_stats[key]
        out.append(
            (
                OLD_STATS_LABELS.get(key, key),
                "报告未说明" if value is None else f"{value:g}" if isinstance(value, float) else str(value),
            )
        )
    return out


def report_summary(result: dict[str, Any]) -> dict[str, Any]:
    """What the report page needs besides one page of findings, computed once when the audit is
    saved: the page then never decodes the whole result (20,000 findings are ~10 MB of JSON)."""
    findings = result.get("findings", [])
    return {
        "count": len(findings),
        "format": result.get("format"),
        "tables": result.get("tables", {}),
        "old_stats": result.get("old_stats"),
        "groups": [[g.rule, g.severity, g.count, g.example] for g in finding_groups(findings)],
        "flagged": flagged_cells(findings),
        # cells written as a mark (/, —, 无 …): shown as written, apart from an empty cell and a 0
        "markers": result.get("markers", {}),
    }


def finding_pages(findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The findings cut into pages of FINDINGS_PER_PAGE (stored one row per page)."""
    return [findings[i : i + FINDINGS_PER_PAGE] for i in range(0, len(findings), FINDINGS_PER_PAGE)]

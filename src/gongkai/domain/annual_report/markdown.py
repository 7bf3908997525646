"""A report as Markdown: the text every check reads back, and a plain copy for the clerk.

Title, opening paragraph, the six sections in the order of the year's format with their exact
titles, tables 二/三/四 as pipe tables with the exact labels of the format, then the signature.
Markdown cannot merge cells, so a spanning header cell is written once and the cells it spans are
left empty (the audit reader, :mod:`gongkai.domain.audit`, reads such tables back cell for cell).
A blank cell (None) is written empty, never as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.report_format import ReportFormat


def number_text(v: Any) -> str:
    """A cell as printed: integers as is, decimals without trailing zeros, blank for None."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        text = format(v.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(v, float):
        return number_text(Decimal(repr(v)))
    return str(v)


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell_text(c) for c in cells) + " |"


def _separator(n: int) -> str:
    return "|" + "---|" * n


def _get(node: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(k)
    return node


def table2_lines(fmt: ReportFormat, table: Mapping[str, Any] | None) -> list[str]:
    out: list[str] = []
    for sub in fmt.table_2.subtables:
        out += [f"**{sub.caption}**", ""]
        out.append(_row([sub.row_header_label, *(c.label for c in sub.columns)]))
        out.append(_separator(1 + len(sub.columns)))
        for r in sub.rows:
            out.append(_row([r.label, *(number_text(_get(table, sub.id, r.key, c.key)) for c in sub.columns)]))
        out.append("")
    return out


def table3_lines(fmt: ReportFormat, table: Mapping[str, Any] | None) -> list[str]:
    t3 = fmt.table_3
    cols = list(t3.columns)
    width = 1 + len(cols)
    applicant_group = next(g for g in t3.column_groups if g.key == "applicant")
    org_group = next(g for g in t3.column_groups if g.key == "legal_person_or_other_org")
    # header: note | 申请人情况 (spans all); then 自然人 | 法人或其他组织 (spans 5) | 总计; then the five
    top = [t3.row_header_note, applicant_group.label] + [""] * (len(cols) - 1)
    middle = [""]
    bottom = [""]
    placed_org = False
    for c in cols:
        if c.key in org_group.children:
            middle.append("" if placed_org else org_group.label)
            placed_org = True
            bottom.append(c.label)
        else:
            middle.append(c.label)
            bottom.append("")
    out = [_row(top), _separator(width), _row(middle), _row(bottom)]
    for r in t3.rows:
        if not r.data:
            out.append(_row([r.label] + [""] * len(cols)))
        else:
            out.append(_row([r.label, *(number_text(_get(table, r.key, c.key)) for c in cols)]))
    out.append("")
    return out


def table4_lines(fmt: ReportFormat, table: Mapping[str, Any] | None) -> list[str]:
    t4 = fmt.table_4
    cols = list(t4.columns)
    groups = {g.key: g for g in t4.column_groups}
    top_groups = [g for g in t4.column_groups if g.parent is None]

    def leaves(group_key: str) -> list[str]:
        g = groups[group_key]
        out: list[str] = []
        for child in g.children:
            out += leaves(child) if child in groups else [child]
        return out

    # row 1: the top groups (行政复议 | 行政诉讼); row 2: 行政复议's results, then the litigation
    # sub-groups; row 3: the results under each sub-group
    row1, row2, row3 = [], [], []
    for g in top_groups:
        span = leaves(g.key)
        row1 += [g.label] + [""] * (len(span) - 1)
        for child in g.children:
            if child in groups:
                sub_leaves = leaves(child)
                row2 += [groups[child].label] + [""] * (len(sub_leaves) - 1)
                row3 += [t4.column(k).label for k in sub_leaves]
            else:
                row2.append(t4.column(child).label)
                row3.append("")
    return [
        _row(row1),
        _separator(len(cols)),
        _row(row2),
        _row(row3),
        _row([number_text(_get(table, c.key)) for c in cols]),
        "",
    ]


def as_markdown(content: ReportContent) -> str:
    fmt = content.fmt
    tables = content.tables or {}
    out = [f"# {content.title}", ""]
    for p in content.opening.splitlines():
        if p.strip():
            out += [p.strip(), ""]
    for section in fmt.sections:
        out += [f"## {section.title}", ""]
        if section.kind == "narrative":
            for p in content.paragraphs(section.key):
                out += [p.replace("\t", " "), ""]  # a tab would make the line a table row
        elif section.table == "table_2":
            out += table2_lines(fmt, tables.get("table_2"))
        elif section.table == "table_3":
            out += table3_lines(fmt, tables.get("table_3"))
        elif section.table == "table_4":
            out += table4_lines(fmt, tables.get("table_4"))
    out.append(content.agency_name)
    if content.dated is not None:
        out.append("")
        out.append(date_text(content.dated))
    return "\n".join(out).rstrip("\n") + "\n"

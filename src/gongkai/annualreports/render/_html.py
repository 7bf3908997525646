"""The report body as an HTML fragment (Django template, autoescaped), and the full page the PDF is printed from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.layout import Cell, ReportLayout, TableLayout, report_layout

BODY_TEMPLATE = "annualreports/render/report_body.html"
PAGE_TEMPLATE = "annualreports/render/report_pdf.html"


@dataclass(frozen=True)
class _HtmlCell:
    tag: str  # "th" or "td"
    text: str
    rowspan: int
    colspan: int
    scope: str
    css: str


@dataclass(frozen=True)
class _HtmlRow:
    cells: list[_HtmlCell]
    kind: str = ""  # "caption-row" (第二十条第（一）项), "head-row" (信息内容 …) or ""


@dataclass(frozen=True)
class _HtmlTable:
    id: str
    caption: str
    columns: range
    header: list[_HtmlRow]
    body: list[_HtmlRow]


def _cell(c: Cell, *, in_head: bool) -> _HtmlCell:
    if not c.header:
        return _HtmlCell("td", c.text, c.rowspan, c.colspan, "", "num" if c.numeric else "")
    if in_head:
        scope = "colgroup" if c.colspan > 1 else "col"
        css = ""
    else:
        scope = "rowgroup" if c.rowspan > 1 else "row"
        css = f"label indent-{c.indent}"
    return _HtmlCell("th", c.text, c.rowspan, c.colspan, scope, css)


def _table(t: TableLayout) -> _HtmlTable:
    width = t.width
    body = []
    for row in t.body:
        if len(row) == 1 and row[0].header and row[0].colspan == width:
            body.append(_HtmlRow([_cell(row[0], in_head=True)], "caption-row"))
        elif all(c.header for c in row):
            body.append(_HtmlRow([_cell(c, in_head=True) for c in row], "head-row"))
        else:
            body.append(_HtmlRow([_cell(c, in_head=False) for c in row]))
    header = [_HtmlRow([_cell(c, in_head=True) for c in row]) for row in t.header]
    return _HtmlTable(t.table_id, t.caption, range(1, width + 1), header, body)


def template_context(content: ReportContent, report: ReportLayout | None = None) -> dict[str, Any]:
    report = report or report_layout(content)
    prefix = f"annual-report-{content.year}"
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "anchor": f"{prefix}-{s.key}",
            "paragraphs": s.paragraphs,
            "table": _table(s.table) if s.table else None,
        }
        for s in report.sections
    ]
    return {"report": report, "sections": sections, "agency_name": content.agency_name}


def html_fragment(content: ReportContent) -> str:
    """The report body (title, opening, the six sections with their tables, signature) as escaped HTML."""
    return render_to_string(BODY_TEMPLATE, template_context(content))


def html_page(content: ReportContent) -> str:
    """A complete HTML document around the same body, for printing."""
    return render_to_string(PAGE_TEMPLATE, template_context(content))

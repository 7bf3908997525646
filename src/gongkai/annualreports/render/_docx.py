"""The report as Word (.docx), the clerk's habit: python-docx, A4, the official tables with real merged cells.

Typography after the usual layout of official documents (GB/T 9704): title in 宋体 bold 二号,
section headings in 黑体 三号 (Word's "Heading 1", so they show in the navigation pane), text in
仿宋 三号 with a two-character first-line indent, tables in 宋体 (五号; table 三 小五 on a landscape
section of its own). Every run carries its East Asian font name (``w:eastAsia``) as well as the
Latin one, so Word never falls back to a Latin font for the Chinese text. Tables have single
borders, a fixed grid, merged cells where the official table merges them, and header rows that
repeat on every page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.layout import TableLayout, report_layout

LATIN = "Times New Roman"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五
LINE = Pt(28)  # fixed line pitch of the text

LANDSCAPE_TABLES = frozenset({"table_3"})

# page: A4, GB/T 9704 margins; the landscape section gets narrower ones so table 三 fits a page
PORTRAIT = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE = {"top": 18, "bottom": 18, "left": 22, "right": 22}

# column widths (mm) per table; None = what is left of the text width
COLUMN_WIDTHS: dict[str, Sequence[float | None]] = {
    "table_2": (44, None, None, None),
    "table_3": (13, 24, None, 17, 17, 17, 17, 17, 17, 17),
}


# -- OOXML helpers ------------------------------------------------------------------------------

_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)
_TRPR_ORDER = (
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
)


def _put(parent, tag: str, order: Sequence[str], **attrs: str):
    """Set child ``w:tag`` of ``parent`` (replacing one already there) in schema order; Word is strict."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    el = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    later = set(order[order.index(tag) + 1 :])
    for i, child in enumerate(parent):
        if child.tag.split("}")[-1] in later:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def _east_asian(rpr_owner, east_asia: str) -> None:
    """The run's or style's fonts: Latin and East Asian names, no theme fonts overriding them."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _run(paragraph: Paragraph, text: str, font: str, size: Pt, *, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold
    _east_asian(run._r, font)


def _mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# -- page set-up --------------------------------------------------------------------------------


def _page(section: Section, *, landscape: bool) -> None:
    m = LANDSCAPE if landscape else PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.footer_distance = Mm(12 if landscape else 20)


def _text_width_mm(landscape: bool) -> float:
    m = LANDSCAPE if landscape else PORTRAIT
    return (297 if landscape else 210) - m["left"] - m["right"]


def _footer(section: Section) -> None:
    """Page numbers as official documents print them: — 1 — at the foot, centred."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", BODY_FONT, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(field)
    _run(p, " —", BODY_FONT, Pt(14))


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _east_asian(normal.element, BODY_FONT)
    lang = normal.element.get_or_add_rPr()
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), "en-US")
    el.set(qn("w:eastAsia"), "zh-CN")
    lang.append(el)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    heading = doc.styles["Heading 1"]
    heading.font.size = BODY_SIZE
    heading.font.bold = False
    heading.font.color.rgb = None
    _east_asian(heading.element, HEADING_FONT)
    fmt = heading.paragraph_format
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(0)
    fmt.line_spacing = LINE
    fmt.first_line_indent = Pt(32)
    fmt.keep_with_next = True


# -- blocks ---------------------------------------------------------------------------------------


def _paragraph(doc: DocxDocument, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    p.paragraph_format.line_spacing = LINE
    _run(p, text, BODY_FONT, BODY_SIZE)


def _heading(doc: DocxDocument, text: str) -> None:
    p = doc.add_paragraph(style="Heading 1")
    _run(p, text, HEADING_FONT, BODY_SIZE)


def _widths(layout: TableLayout, text_width: float) -> list[float]:
    n = layout.width
    spec = list(COLUMN_WIDTHS.get(layout.table_id, [None] * n))
    spec = (spec + [None] * n)[:n]
    fixed = sum(w for w in spec if w is not None)
    free = [i for i, w in enumerate(spec) if w is None]
    rest = max(text_width - fixed, 0) / len(free) if free else 0
    return [w if w is not None else rest for w in spec]


def _table(doc: DocxDocument, layout: TableLayout, text_width: float, size: Pt) -> None:
    rows = layout.rows
    n = layout.width
    widths = _widths(layout, text_width)
    table = doc.add_table(rows=len(rows), cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the grid below, not Word's guess

    tbl_pr = table._tbl.tblPr
    _put(tbl_pr, "tblW", _TBLPR_ORDER, w=str(sum(_mm_twips(w) for w in widths)), type="dxa")
    borders = _put(tbl_pr, "tblBorders", _TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        for k, v in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            b.set(qn(f"w:{k}"), v)
        borders.append(b)
    margins = _put(tbl_pr, "tblCellMar", _TBLPR_ORDER)
    for edge, w in (("top", 0), ("left", 40), ("bottom", 0), ("right", 40)):
        m = OxmlElement(f"w:{edge}")
        m.set(qn("w:w"), str(w))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    _put(tbl_pr, "tblCaption", _TBLPR_ORDER, val=layout.caption)  # Word's alt text

    for i, col in enumerate(table.columns):
        col.width = Mm(widths[i])

    placed = list(layout.placed())
    for r, c, cell in placed:  # merge first: merging changes the cells below it
        if cell.rowspan > 1 or cell.colspan > 1:
            table.cell(r, c).merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
    grid = table._cells  # one look-up of the merged grid
    for r, c, cell in placed:
        target = grid[r * n + c]
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = target.paragraphs[0]
        # a row label (a header cell in a row of figures) reads from the left, unless it spans rows
        label = cell.header and cell.rowspan == 1 and any(not x.header for x in rows[r])
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if label else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.first_line_indent = Pt(0)
        if cell.text:
            _run(p, cell.text, TABLE_FONT, size)
    for tr in table._tbl.tr_lst:  # each cell's width from the grid it spans
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths[col : col + span]))
            col += span
    for i, tr in enumerate(table._tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        _put(tr_pr, "cantSplit", _TRPR_ORDER)
        if i < len(layout.header):
            _put(tr_pr, "tblHeader", _TRPR_ORDER)


def _section_break(doc: DocxDocument, *, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=landscape)
    # the paragraph that now holds the previous section's properties follows a table: keep it tiny,
    # so a table filling its page does not push an empty line onto a page of its own
    body = doc.element.body
    holders = [p for p in body.iterchildren(qn("w:p")) if p.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None]
    if holders:
        para = Paragraph(holders[-1], doc._body)
        para.paragraph_format.line_spacing = Pt(1)
        para.paragraph_format.first_line_indent = Pt(0)
        rpr = para._p.get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), "2")
        mark.append(sz)
        sect = rpr.find(qn("w:sectPr"))
        sect.addprevious(mark)


# -- the document -------------------------------------------------------------------------------


def docx_bytes(content: ReportContent) -> bytes:
    """The report as a Word document (.docx)."""
    report = report_layout(content)
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], landscape=False)
    _footer(doc.sections[0])
    props = doc.core_properties
    props.title = report.title
    props.author = content.agency_name
    props.last_modified_by = content.agency_name
    props.comments = ""
    props.keywords = "政府信息公开工作年度报告"
    stamp = (
        datetime(content.dated.year, content.dated.month, content.dated.day)
        if content.dated
        else datetime(content.year + 1, 1, 1)
    )
    props.created = props.modified = stamp

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    title.paragraph_format.line_spacing = Pt(36)
    _run(title, report.title, TITLE_FONT, TITLE_SIZE, bold=True)
    for text in report.preamble:
        _paragraph(doc, text)

    for s in report.sections:
        wide = s.table is not None and s.table.table_id in LANDSCAPE_TABLES
        if wide:
            _section_break(doc, landscape=True)
        _heading(doc, s.title)
        for text in s.paragraphs:
            _paragraph(doc, text)
        if s.table is not None:
            _table(doc, s.table, _text_width_mm(wide), WIDE_TABLE_SIZE if wide else TABLE_SIZE)
        if wide:
            _section_break(doc, landscape=False)

    first = True
    for line in report.signature:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.line_spacing = LINE
        if first:
            p.paragraph_format.space_before = Pt(32)
            first = False
        _run(p, line, BODY_FONT, BODY_SIZE)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

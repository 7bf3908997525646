"""The year's circular (年报审查情况通报): what the board says of every overseen agency's report —
published in time or not, what the audit found, how the rectifications stand — in the words of an
official circular, as Word (python-docx) and PDF (WeasyPrint, offline). Made from the board, so the
circular and the page never disagree."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html import escape

from gongkai.accounts.models import Agency
from gongkai.domain.supervision import ARTICLE, Timeliness
from gongkai.supervision.selectors import Board


@dataclass(frozen=True)
class Circular:
    title: str
    addressee: str
    sections: list[tuple[str, list[str]]]  # heading ("" for the opening) and its paragraphs
    office: str
    dated: date


def _names(rows) -> str:
    return "、".join(r.agency.name for r in rows)


def circular_of(board: Board, office: Agency, *, dated: date) -> Circular:
    rows = board.rows
    year = board.year
    by = {t: [r for r in rows if r.timeliness is t] for t in Timeliness}
    opening = [
        f"根据《中华人民共和国政府信息公开条例》{ARTICLE}规定，各单位应于{board.due.year}年1月31日前公布本单位"
        f"{year}年度政府信息公开工作年度报告。{office.name}对所辖{len(rows)}个单位{year}年度报告的公开和内容进行了审查，"
        "现将有关情况通报如下。"
    ]
    published = [f"按时公开{len(by[Timeliness.ON_TIME])}个单位。"]
    if by[Timeliness.LATE]:
        published.append(
            f"逾期公开{len(by[Timeliness.LATE])}个单位："
            + "、".join(f"{r.agency.name}（逾期{r.days_late}天）" for r in by[Timeliness.LATE])
            + "。"
        )
    if by[Timeliness.MISSING]:
        published.append(f"截至通报之日仍未公开{len(by[Timeliness.MISSING])}个单位：{_names(by[Timeliness.MISSING])}。")
    if by[Timeliness.NOT_DUE]:
        published.append(f"尚未到公开期限{len(by[Timeliness.NOT_DUE])}个单位。")
    audited = [r for r in rows if r.audit is not None and r.audit.status == "done"]
    with_errors = [r for r in audited if r.audit.errors]
    content = [f"对已收到的{len(audited)}份报告逐项审查，{len(audited) - len(with_errors)}份未发现错误。"]
    if with_errors:
        content.append(
            f"{len(with_errors)}份报告存在错误："
            + "；".join(f"{r.agency.name}（错误{r.audit.errors}处、提示{r.audit.warnings}处）" for r in with_errors)
            + "。主要问题包括表格数据前后不一致、合计与分项不符、必备内容缺失等。"
        )
    pending = [r for r in rows if r.received and (r.audit is None or r.audit.status != "done")]
    if pending:
        content.append(f"{_names(pending)}的报告尚在审查中。")
    rectifying = [r for r in rows if r.rectification is not None]
    follow = []
    if rectifying:
        closed = [r for r in rectifying if r.rectification.state == "closed"]
        open_ = [r for r in rectifying if r.rectification.state != "closed"]
        follow.append(f"已向{len(rectifying)}个单位发出整改通知，其中{len(closed)}个已整改到位。")
        if open_:
            follow.append(f"{_names(open_)}正在整改，请于整改期限内完成并报送整改情况。")
    else:
        follow.append("本年度未发出整改通知。")
    demands = [
        "各单位要对照审查发现的问题认真整改，严格按照国务院办公厅政府信息与政务公开办公室印发的年度报告格式编制报告，"
        "做到数据准确、前后一致、内容完整，并按期公开。逾期未公开的单位要立即公开，并说明逾期原因。"
    ]
    return Circular(
        title=f"关于{year}年度政府信息公开工作年度报告审查情况的通报",
        addressee="各有关单位：",
        sections=[
            ("", opening),
            ("一、年度报告公开情况", published),
            ("二、年度报告内容审查情况", content),
            ("三、整改情况", follow),
            ("四、下一步工作要求", demands),
        ],
        office=office.name,
        dated=dated,
    )


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def circular_docx(c: Circular) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
        r = paragraph.add_run(text)
        r.font.name, r.font.size, r.bold = font, Pt(size), bold
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    doc = Document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, c.title, "方正小标宋简体", 22)
    run(doc.add_paragraph(), c.addressee, "仿宋_GB2312", 16)
    for heading, paragraphs in c.sections:
        if heading:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            run(p, heading, "黑体", 16)
        for text in paragraphs:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            run(p, text, "仿宋_GB2312", 16)
    for text in (c.office, _date(c.dated)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(p, text, "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.6; }
h1 { font-size: 22pt; text-align: center; font-weight: normal; margin: 0 0 1em; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.addressee { text-indent: 0; }
p.sign { text-align: right; text-indent: 0; }
"""


def circular_html(c: Circular) -> str:
    parts = [f"<h1>{escape(c.title)}</h1>", f'<p class="addressee">{escape(c.addressee)}</p>']
    for heading, paragraphs in c.sections:
        if heading:
            parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(t)}</p>" for t in paragraphs]
    parts += [f'<p class="sign">{escape(c.office)}</p>', f'<p class="sign">{_date(c.dated)}</p>']
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>'
        + "".join(parts)
        + "</body></html>"
    )


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"the circular fetches nothing (asked for {url[:200]})")


def circular_pdf(c: Circular) -> bytes:
    """Printed offline: WeasyPrint is refused every URL."""
    from weasyprint import CSS, HTML

    return HTML(string=circular_html(c), url_fetcher=_refuse).write_pdf(
        stylesheets=[CSS(string=PRINT_CSS, url_fetcher=_refuse)]
    )

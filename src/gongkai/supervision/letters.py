"""The rectification notice (整改通知) as a Word letter, for an agency that does not work in gongkai
(or to print and seal): made with python-docx from the notice as sent, in the usual official layout
(title, addressee, body, the office and the date)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.supervision.models import Rectification


def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def notice_docx(rectification: Rectification, *, office_name: str, dated: date) -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        title.add_run(f"关于{rectification.agency.name}{rectification.year}年政府信息公开工作年度报告的整改通知"),
        "方正小标宋简体",
        22,
    )
    _font(doc.add_paragraph().add_run(f"{rectification.agency.name}："), "仿宋_GB2312", 16)
    for line in rectification.notice.splitlines():
        if line.strip():
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _font(p.add_run(line.strip()), "仿宋_GB2312", 16)
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _font(
        p.add_run(
            f"整改期限：{rectification.due_on.year}年{rectification.due_on.month}月{rectification.due_on.day}日。"
        ),
        "仿宋_GB2312",
        16,
    )
    for text in (office_name, f"{dated.year}年{dated.month}月{dated.day}日"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

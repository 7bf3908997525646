"""The comparison as Excel: every row through ``gongkai.spreadsheets.append_row`` (a name a
spreadsheet could take for a formula is kept as text)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from gongkai.spreadsheets import append_row

HEADINGS = [
    "机关",
    "新收申请",
    "办结",
    "予以公开（含部分）",
    "公开率（%）",
    "行政复议（结案）",
    "复议纠正",
    "行政诉讼（结案）",
    "诉讼纠正",
    "纠正率（%）",
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "信息处理费（元）",
    "制发规章和行政规范性文件",
    "值得关注",
]


def _cells(name: str, f, outliers: list[str]) -> list:
    if f is None:
        return [name, *([None] * (len(HEADINGS) - 2)), "未收到已审计的报告"]
    return [
        name,
        f.received,
        f.results,
        f.granted,
        f.granted_rate,
        f.reviews,
        f.reviews_corrected,
        f.lawsuits,
        f.lawsuits_corrected,
        f.corrected_rate,
        *(n for _label, n in f.outcome_mix),
        f.fee,
        f.documents,
        "；".join(outliers),
    ]


def comparison_workbook(*, year: int, rows, history_of=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度各机关"
    append_row(ws, HEADINGS)
    for r in rows:
        append_row(ws, _cells(r.agency.name, r.figures, r.outliers))
    if history_of is not None:
        agency, history = history_of
        ws2 = wb.create_sheet(f"{agency.name[:20]}历年")
        append_row(ws2, ["年度", *HEADINGS[1:]])
        for y, f, outs in history:
            append_row(ws2, [y, *_cells("", f, outs)[1:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

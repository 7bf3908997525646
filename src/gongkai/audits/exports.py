"""A batch's results as an Excel workbook (openpyxl) or JSON, for supervisors' own analysis.

File names, agency names and finding texts come from uploaded files: every row goes through
``spreadsheets.append_row`` so none of them can become a formula in the workbook."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.domain.report_format import load_formats
from gongkai.spreadsheets import append_row

SEVERITY_LABELS = {"error": "错误", "warning": "提示", "info": "说明"}


def batch_json(batch: AuditBatch) -> list[dict[str, Any]]:
    out = []
    for r in batch.reports.order_by("position").only("filename", "status", "result", "failure"):
        if r.result is not None:
            out.append({**r.result, "file": r.filename})
        else:
            out.append({"file": r.filename, "status": r.status, "failure": r.failure})
    return out


def _sheet(wb: Workbook, title: str, header: list[str]):
    ws = wb.create_sheet(title)
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    return ws


def batch_workbook(batch: AuditBatch) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    summary = _sheet(wb, "汇总", ["序号", "文件", "状态", "机关", "年度", "格式", "错误", "提示"])
    findings = _sheet(wb, "问题清单", ["序号", "文件", "规则", "级别", "说明", "涉及单元格"])
    t3_labels = {r.key: r.label for r in load_formats()["2021"].table_3.rows}
    t3_labels.update({r.key: r.label for r in load_formats()["2019"].table_3.rows if r.key not in t3_labels})
    columns = [c.key for c in load_formats()["2021"].table_3.columns]
    col_labels = [c.label for c in load_formats()["2021"].table_3.columns]
    table3 = _sheet(wb, "表三", ["序号", "文件", "行", *col_labels])
    reports = batch.reports.order_by("position").only(
        "position", "filename", "status", "agency", "year", "report_format", "errors", "warnings", "result"
    )
    for r in reports:
        append_row(
            summary,
            [
                r.position,
                r.filename,
                AuditedReport.Status(r.status).label,
                r.agency,
                r.year,
                r.report_format,
                r.errors,
                r.warnings,
            ],
        )
        result = r.result or {}
        for f in result.get("findings", []):
            append_row(
                findings,
                [
                    r.position,
                    r.filename,
                    f["rule"],
                    SEVERITY_LABELS.get(f["severity"], f["severity"]),
                    f["message"],
                    "、".join(f.get("where", {}).get("cells", [])),
                ],
            )
        for row_key, cells in (result.get("tables", {}).get("table_3") or {}).items():
            append_row(
                table3, [r.position, r.filename, t3_labels.get(row_key, row_key), *[cells.get(c) for c in columns]]
            )
    for ws in wb.worksheets:
        ws.column_dimensions["B"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

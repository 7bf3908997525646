"""A batch's results as an Excel workbook (openpyxl) or JSON, for supervisors' own analysis.

File names, agency names and finding texts come from uploaded files: every row goes through
``spreadsheets.append_row`` so none of them can become a formula in the workbook."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.audits.models import AuditBatch, AuditedReport
from gongkai.domain.audit.model import CERTAINTY_LABELS
from gongkai.domain.audit.tables import OLD_STATS_LABELS
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


# the format a report follows, as a supervisor names it (never the internal key "pre2019")
FORMAT_LABELS = {
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "pre2019": "修订前条例下的旧式报告（无统一表格）",
}


def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Chinese names of table 二's rows (with their sub-table), table 三's rows and table 四's
    columns (with their group), over both formats (2021 first)."""
    formats = [load_formats()["2021"], load_formats()["2019"]]
    t2: dict[str, str] = {}
    t3: dict[str, str] = {}
    t4: dict[str, str] = {}
    for fmt in formats:
        for st in fmt.table_2.subtables:
            for r in st.rows:
                t2.setdefault(f"{st.id}.{r.key}", f"{st.caption}·{r.label}")
            for c in st.columns:
                t2.setdefault(f"{st.id}.col.{c.key}", c.label)
        for r in fmt.table_3.rows:
            t3.setdefault(r.key, r.label)
        group = {child: g.label for g in fmt.table_4.column_groups for child in g.children}
        for c in fmt.table_4.columns:
            t4.setdefault(c.key, f"{group[c.key]}·{c.label}" if c.key in group else c.label)
    return t2, t3, t4


def batch_workbook(batch: AuditBatch) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    summary = _sheet(wb, "汇总", ["序号", "文件", "状态", "机关", "年度", "格式", "错误", "提示"])
    findings = _sheet(wb, "问题清单", ["序号", "文件", "规则", "级别", "把握", "说明", "涉及单元格"])
    t2_labels, t3_labels, t4_labels = _labels()
    columns = [c.key for c in load_formats()["2021"].table_3.columns]
    col_labels = [c.label for c in load_formats()["2021"].table_3.columns]
    # table 二: one row per table row, its figures under the column names of its sub-table
    table2 = _sheet(
        wb, "表二", ["序号", "文件", "行", "栏目1", "数值1", "栏目2", "数值2", "栏目3", "数值3", "栏目4", "数值4"]
    )
    table3 = _sheet(wb, "表三", ["序号", "文件", "行", *col_labels])
    t4_columns = [c.key for c in load_formats()["2021"].table_4.columns]
    table4 = _sheet(wb, "表四", ["序号", "文件", *[t4_labels[c] for c in t4_columns]])
    old = _sheet(wb, "旧式统计", ["序号", "文件", "项目", "数值"])
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
                FORMAT_LABELS.get(r.report_format, r.report_format),
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
                    CERTAINTY_LABELS.get(f.get("certainty", ""), ""),
                    f["message"],
                    "、".join(f.get("where", {}).get("cells", [])),
                ],
            )
        tables = result.get("tables") or {}
        for sub, rows in (tables.get("table_2") or {}).items():
            for row_key, cells in rows.items():
                pairs = [x for k, v in cells.items() for x in (t2_labels.get(f"{sub}.col.{k}", k), v)]
                append_row(table2, [r.position, r.filename, t2_labels.get(f"{sub}.{row_key}", row_key), *pairs])
        for row_key, cells in (tables.get("table_3") or {}).items():
            append_row(
                table3, [r.position, r.filename, t3_labels.get(row_key, row_key), *[cells.get(c) for c in columns]]
            )
        if tables.get("table_4"):
            append_row(table4, [r.position, r.filename, *[tables["table_4"].get(c) for c in t4_columns]])
        for key, value in (result.get("old_stats") or {}).items():
            append_row(old, [r.position, r.filename, OLD_STATS_LABELS.get(key, key), value])
    for ws in wb.worksheets:
        ws.column_dimensions["B"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Reading an uploaded sheet (.xlsx or .csv) into a header row and its data rows, safely.

Offices import what other systems export (a hotline platform's work orders, a new-media account's
monthly figures); the file comes from outside and is read with limits (:class:`SheetLimits`): its
size is checked before it is opened; an .xlsx is a zip, and one whose content would unpack far
beyond the limit is refused (zip bomb); openpyxl reads it read-only and values-only (a formula is
not evaluated: a cell holds what the exporting program cached), rows lazily and no wider than the
column limit; a CSV is UTF-8 (with or without BOM) or, failing that, GB18030 (Windows exports).

Each importing app keeps its own limits and its own error class (the domain's, so its pages show
the message like any other import error) and passes them in.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int
    max_columns: int
    max_unpacked: int  # the .xlsx zip's content, unpacked
    error: type[Exception]  # raised with a Chinese message
    source: str = ""  # who exported it, for the messages: "平台导出的"
    split_hint: str = "请分批导入"


def kind_of(filename: str, limits: SheetLimits) -> str:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    raise limits.error(f"只能导入{limits.source} .xlsx 或 .csv 文件")


def check_size(content: bytes, limits: SheetLimits) -> None:
    if len(content) > limits.max_bytes:
        raise limits.error(f"文件超过{limits.max_bytes // (1024 * 1024)}MB，{limits.split_hint}")
    if not content:
        raise limits.error("文件是空的")


def read_sheet(filename: str, content: bytes, limits: SheetLimits) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    """The header row and the data rows (lazily) of the file's first sheet."""
    check_size(content, limits)
    if kind_of(filename, limits) == "csv":
        return _read_csv(content, limits)
    return _read_xlsx(content, limits)


def _read_csv(content: bytes, limits: SheetLimits) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise limits.error("无法识别文件的文字编码")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise limits.error("表格中没有表头行")
    width = limits.max_columns
    return header[:width], (r[:width] for r in reader)


def _read_xlsx(content: bytes, limits: SheetLimits) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if sum(i.file_size for i in z.infolist()) > limits.max_unpacked:
                raise limits.error(f"表格内容过大，{limits.split_hint}")
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except limits.error:
        raise
    except Exception:
        raise limits.error(f"无法打开该 .xlsx 文件：请确认是{limits.source}Excel 表格") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True, max_col=limits.max_columns)
    header = next(rows, None)
    if header is None:
        raise limits.error("表格中没有表头行")
    header = list(header)
    while header and header[-1] in (None, ""):
        header.pop()  # read-only mode pads a row to max_col
    return header, rows

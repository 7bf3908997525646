"""Reading an uploaded sheet of monthly figures (.xlsx or .csv) into a header and rows.

The same guards as the work orders' reader (:mod:`gongkai.workorders.sheets`, which this app may not
import: both sit in one layer): the size is checked before the file is opened; an .xlsx whose content
would unpack far beyond the limit is refused (zip bomb); openpyxl reads it read-only, values only
(formulas are not evaluated), rows lazily and no wider than :data:`MAX_COLUMNS`; a CSV is UTF-8 (with
or without BOM) or GB18030 (Windows exports).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import load_workbook

from gongkai.domain.publicity.importing import MAX_BYTES, SheetError

MAX_COLUMNS = 30
MAX_UNPACKED = 20 * MAX_BYTES


def kind_of(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    raise SheetError("只能导入 .xlsx 或 .csv 表格")


def check_size(content: bytes) -> None:
    if len(content) > MAX_BYTES:
        raise SheetError(f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请分批导入")
    if not content:
        raise SheetError("文件是空的")


def read_sheet(filename: str, content: bytes) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    """The header row and the data rows (lazily) of the file's first sheet."""
    check_size(content)
    if kind_of(filename) == "csv":
        return _read_csv(content)
    return _read_xlsx(content)


def _read_csv(content: bytes) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise SheetError("无法识别文件的文字编码")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise SheetError("表格中没有表头行")
    return header[:MAX_COLUMNS], (r[:MAX_COLUMNS] for r in reader)


def _read_xlsx(content: bytes) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise SheetError("表格内容过大，请分批导入")
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception:
        raise SheetError("无法打开该 .xlsx 文件：请确认是 Excel 表格") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        raise SheetError("表格中没有表头行")
    header = list(header)
    while header and header[-1] in (None, ""):
        header.pop()
    return header, rows

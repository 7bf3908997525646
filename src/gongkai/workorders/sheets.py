"""The work orders' uploaded sheets (read through :mod:`gongkai.sheet_uploads` with this app's limits)
and the export back in the platform's layout (every text cell through :mod:`gongkai.spreadsheets`,
so that no cell becomes a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook

from gongkai import sheet_uploads
from gongkai.domain.workorders.importing import MAX_BYTES, SheetError
from gongkai.spreadsheets import append_row

MAX_COLUMNS = 60
# An .xlsx is a zip: refuse one whose content would unpack far beyond the upload limit (zip bomb).
MAX_UNPACKED = 20 * MAX_BYTES


def _limits() -> sheet_uploads.SheetLimits:
    # read at each call, so a test (or a deployment) may set the module's limits
    return sheet_uploads.SheetLimits(
        MAX_BYTES, MAX_COLUMNS, MAX_UNPACKED, SheetError, source="平台导出的", split_hint="请分批导出后再导入"
    )


def kind_of(filename: str) -> str:
    return sheet_uploads.kind_of(filename, _limits())


def check_size(content: bytes) -> None:
    sheet_uploads.check_size(content, _limits())


def read_sheet(filename: str, content: bytes) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    """The header row and the data rows (lazily) of the file's first sheet."""
    return sheet_uploads.read_sheet(filename, content, _limits())


def write_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, header)
    for r in rows:
        append_row(ws, r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

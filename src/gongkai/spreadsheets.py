"""Spreadsheet cells that can never become formulas (CSV/formula injection).

Names of applicants, agencies and uploaded files reach the Excel exports as typed by strangers. A
text like ``=HYPERLINK("http://…","点击")`` or ``=2+5+cmd|'calc'!A0`` would be stored by openpyxl as
a live formula (it types any string beginning with ``=`` as one), and a spreadsheet program
evaluates formulas — and, once the file is saved as CSV and opened again, text beginning with
``+``, ``-``, ``@``, a tab or a carriage return too. Following OWASP's guidance on CSV injection,
every text cell of every export goes through :func:`append_row`: text beginning with one of those
characters gets a leading single quote, and the cell is typed as a string, so neither openpyxl
nor Excel ever treats it as a formula. Numbers and dates stay what they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

# the media type of every Excel export
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append(values)`` with every text cell neutralised and typed as a string."""
    ws.append([neutralise(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING

"""The Chinese names of the positions and cells of a format, for the messages of failures and of
checks that cannot run (built only then, and each once per format)."""

from __future__ import annotations

from decimal import Decimal

from gongkai.domain.consistency.binding import REPORT_NAMES, TABLE_NAMES, Cell, Grid
from gongkai.domain.consistency.results import Number
from gongkai.domain.report_format import ReportFormat


def fmt_num(v: Number | None) -> str:
    if v is None:
        return "空白"
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _row_label(fmt: ReportFormat, cell: Cell) -> str:
    if cell.table == "table_2":
        return fmt.table_2.subtable(cell.sub or "").row(cell.row).label
    if cell.table == "table_3":
        return fmt.table_3.row(cell.row).label
    return ""


def _col_label(fmt: ReportFormat, cell: Cell) -> str:
    if cell.table == "table_2":
        return f"“{fmt.table_2.subtable(cell.sub or '').column(cell.col).label}”"
    if cell.table == "table_3":
        return f"“{fmt.table_3.column(cell.col).label}”"
    return fmt.table_4.column_heading(cell.col)


def _caption(fmt: ReportFormat, cell: Cell) -> str:
    return fmt.table_2.subtable(cell.sub or "").caption if cell.table == "table_2" else ""


def _full(fmt: ReportFormat, cell: Cell) -> str:
    if cell.table == "table_4":
        return _col_label(fmt, cell)
    return f"{_caption(fmt, cell)}“{_row_label(fmt, cell)}”行{_col_label(fmt, cell)}列"


class Labels:
    """The Chinese names of positions and cells of one format, each built once (they are only
    needed for failures and uncheckable positions, and then repeatedly)."""

    __slots__ = ("fmt", "_contexts", "_descriptions")

    def __init__(self, fmt: ReportFormat):
        self.fmt = fmt
        self._contexts: dict[tuple[str, Grid, str | None, str | None], str] = {}
        self._descriptions: dict[tuple[str, Grid, Cell], str] = {}

    def context(self, kind: str, grid: Grid, row: str | None, col: str | None) -> str:
        key = (kind, grid, row, col)
        text = self._contexts.get(key)
        if text is None:
            text = self._contexts[key] = _context(self.fmt, kind, grid, row, col)
        return text

    def describe(self, kind: str, grid: Grid, cell: Cell) -> str:
        key = (kind, grid, cell)
        text = self._descriptions.get(key)
        if text is None:
            text = self._descriptions[key] = _describe(self.fmt, kind, grid, cell)
        return text


def _context(fmt: ReportFormat, kind: str, grid: Grid, row: str | None, col: str | None) -> str:
    cell = Cell("current", grid.table, grid.sub, row or "", col or "")
    if kind == "each_cell":
        return _full(fmt, cell)
    if grid.table == "table_4":
        return _col_label(fmt, cell) if kind == "each_column" else ""
    if kind == "each_column":
        return f"{_caption(fmt, cell)}{_col_label(fmt, cell)}列"
    return f"{_caption(fmt, cell)}“{_row_label(fmt, cell)}”行"


def _describe(fmt: ReportFormat, kind: str, grid: Grid, cell: Cell) -> str:
    prefix = REPORT_NAMES[cell.report] + "的" if cell.report in REPORT_NAMES else ""
    if cell.table != grid.table:
        return prefix + TABLE_NAMES[cell.table] + _full(fmt, cell)
    if kind == "each_cell":
        return prefix + _full(fmt, cell)
    caption = _caption(fmt, cell) if cell.sub != grid.sub else ""
    if kind == "each_column" and cell.table != "table_4":
        return f"{prefix}{caption}“{_row_label(fmt, cell)}”"
    return f"{prefix}{caption}{_col_label(fmt, cell)}"

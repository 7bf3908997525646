"""The layout of the 政府信息公开工作年度报告: sections, tables 二/三/四 and their rules, per format.

Two formats exist: the 2019 trial format (国办公开办函〔2019〕60号, report years 2019 and 2020)
and the 2021 format (国办公开办函〔2021〕30号, report years 2021 onward). Both are read from the
copy of the format specification shipped in this package (``data/annual_report_format.json``);
nothing else is read. Labels are reproduced exactly as the specification writes them (full-width
punctuation, curly quotes “”), so a generator can print them and a parser can match them.

The model is immutable. Keys (snake_case) are stable identifiers shared by both formats wherever
a row or column means the same thing; the consistency rules (:mod:`gongkai.domain.consistency`)
are written in terms of them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from gongkai.domain.errors import DomainError

FormatVersion = Literal["2019", "2021"]
Severity = Literal["error", "warning"]

FIRST_STANDARD_YEAR = 2019
FIRST_2021_FORMAT_YEAR = 2021
_DATA_FILE = "data/annual_report_format.json"


class ReportYearNotCovered(DomainError):
    """A report year before 2019: the old regulation had no uniform table format."""

    code = "report_year_not_covered"

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年度报告适用修订前的《中华人民共和国政府信息公开条例》：条例修订前的年度报告无统一表格格式，"
            f"无法按统一表格填报或检查。统一表格格式自2019年度报告起适用（国办公开办函〔2019〕60号）。"
        )


class ReportFormatDataError(DomainError):
    """The packaged format data does not hold together (a packaging or editing mistake)."""

    code = "report_format_data_error"


# -- the model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One consistency rule, exactly as written in the format data (see consistency.py)."""

    id: str
    table: str
    scope: str
    severity: Severity
    basis: str
    expr: str
    source: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: str  # "narrative" or "table"
    must_cover: tuple[str, ...] = ()
    commonly_also: tuple[str, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class Row:
    """A row of a table. ``data`` is False for label-only rows that span their children."""

    key: str
    label: str
    parent: str | None = None
    data: bool = True


@dataclass(frozen=True)
class Column:
    """A value column. ``type`` is non_negative_integer, signed_integer or non_negative_decimal."""

    key: str
    label: str
    type: str = "non_negative_integer"
    unit: str | None = None
    parent: str | None = None

    @property
    def is_decimal(self) -> bool:
        return self.type.endswith("decimal")


@dataclass(frozen=True)
class ColumnGroup:
    key: str
    label: str
    children: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class SubTable:
    """One sub-table of table 二 (one item of 条例第二十条)."""

    id: str
    caption: str
    row_header_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def column(self, key: str) -> Column:
        return _by_key(self.columns, key, f"{self.caption}的列")

    def row(self, key: str) -> Row:
        return _by_key(self.rows, key, f"{self.caption}的行")


@dataclass(frozen=True)
class Table2:
    id: str
    title: str
    subtables: tuple[SubTable, ...]
    rules: tuple[Rule, ...]

    def subtable(self, sub_id: str) -> SubTable:
        for s in self.subtables:
            if s.id == sub_id:
                return s
        raise KeyError(sub_id)

    def cells(self) -> tuple[tuple[str, str, str], ...]:
        """Every value cell as (subtable id, row key, column key), in table order."""
        return tuple((s.id, r.key, c.key) for s in self.subtables for r in s.rows for c in s.columns)


@dataclass(frozen=True)
class Table3:
    id: str
    title: str
    row_header_note: str
    column_groups: tuple[ColumnGroup, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]
    cell_type: str = "non_negative_integer"
    unit: str = ""

    TOTAL_COLUMN = "total"

    def column(self, key: str) -> Column:
        return _by_key(self.columns, key, "表三的列")

    def row(self, key: str) -> Row:
        return _by_key(self.rows, key, "表三的行")

    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.data)

    def outcome_rows(self) -> tuple[Row, ...]:
        """The data rows strictly between 三、本年度办理结果 and （七）总计: one per outcome."""
        keys = [r.key for r in self.rows]
        start, end = keys.index("results"), keys.index("results_total")
        return tuple(r for r in self.rows[start + 1 : end] if r.data)

    def applicant_columns(self) -> tuple[Column, ...]:
        """The six applicant columns, i.e. every column except 总计."""
        return tuple(c for c in self.columns if c.key != self.TOTAL_COLUMN)


@dataclass(frozen=True)
class Table4:
    id: str
    title: str
    column_groups: tuple[ColumnGroup, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]
    cell_type: str = "non_negative_integer"
    unit: str = ""

    ROW_KEY = "cases"

    def column(self, key: str) -> Column:
        return _by_key(self.columns, key, "表四的列")

    def group(self, key: str) -> ColumnGroup:
        return _by_key(self.column_groups, key, "表四的列组")

    def column_heading(self, key: str) -> str:
        """A column's label qualified by its groups, e.g. ``行政诉讼（未经复议直接起诉）“总计”``."""
        col = self.column(key)
        names: list[str] = []
        parent = col.parent
        while parent is not None:
            g = self.group(parent)
            names.append(g.label)
            parent = g.parent
        names.reverse()
        head = names[0] + "".join(f"（{n}）" for n in names[1:]) if names else ""
        return f"{head}“{col.label}”"


@dataclass(frozen=True)
class ReportFormat:
    version: FormatVersion
    name: str
    document_number: str
    issued_by: str
    applies_to_report_years: str
    sections: tuple[Section, ...]
    table_2: Table2
    table_3: Table3
    table_4: Table4

    @property
    def tables(self) -> tuple[Table2, Table3, Table4]:
        return (self.table_2, self.table_3, self.table_4)

    def table(self, table_id: str) -> Table2 | Table3 | Table4:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for t in self.tables for r in t.rules)


def _by_key(items: tuple[Any, ...], key: str, what: str) -> Any:
    for item in items:
        if item.key == key:
            return item
    raise KeyError(f"{what}中没有“{key}”")


# -- loading --------------------------------------------------------------------------------


def _rules(table: dict[str, Any]) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            id=r["id"],
            table=table["id"],
            scope=r["scope"],
            severity=r["severity"],
            basis=r["basis"],
            expr=r["expr"],
            source=r.get("source"),
        )
        for r in table.get("rules", ())
    )


def _rows(raw: list[dict[str, Any]]) -> tuple[Row, ...]:
    return tuple(Row(r["key"], r["label"], r.get("parent"), bool(r.get("data", True))) for r in raw)


def _columns(raw: list[dict[str, Any]], default_type: str) -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"], c.get("type", default_type), c.get("unit"), c.get("parent")) for c in raw)


def _groups(raw: list[dict[str, Any]]) -> tuple[ColumnGroup, ...]:
    return tuple(ColumnGroup(g["key"], g["label"], tuple(g["children"]), g.get("parent")) for g in raw)


def _table2(t: dict[str, Any]) -> Table2:
    subs = tuple(
        SubTable(
            s["id"],
            s["caption"],
            s["row_header_label"],
            _columns(s["columns"], "non_negative_integer"),
            _rows(s["rows"]),
        )
        for s in t["subtables"]
    )
    return Table2(t["id"], t["title"], subs, _rules(t))


def _table3(t: dict[str, Any]) -> Table3:
    return Table3(
        id=t["id"],
        title=t["title"],
        row_header_note=t["row_header_note"],
        column_groups=_groups(t["column_groups"]),
        columns=_columns(t["columns"], t["cell_type"]),
        rows=_rows(t["rows"]),
        rules=_rules(t),
        cell_type=t["cell_type"],
        unit=t.get("unit", ""),
    )


def _table4(t: dict[str, Any]) -> Table4:
    return Table4(
        id=t["id"],
        title=t["title"],
        column_groups=_groups(t["column_groups"]),
        columns=_columns(t["columns"], t["cell_type"]),
        rows=_rows(t["rows"]),
        rules=_rules(t),
        cell_type=t["cell_type"],
        unit=t.get("unit", ""),
    )


def _format(version: str, f: dict[str, Any]) -> ReportFormat:
    sections = tuple(
        Section(
            key=s["key"],
            title=s["title"],
            kind=s["kind"],
            must_cover=tuple(s.get("must_cover", ())),
            commonly_also=tuple(s.get("commonly_also", ())),
            table=s.get("table"),
        )
        for s in f["sections"]
    )
    by_id = {t["id"]: t for t in f["tables"]}
    missing = {"table_2", "table_3", "table_4"} - set(by_id)
    if missing:
        raise ReportFormatDataError(f"{version}年格式数据缺少表格：{'、'.join(sorted(missing))}")
    if version not in ("2019", "2021"):
        raise ReportFormatDataError(f"未知的年度报告格式版本：{version}")
    return ReportFormat(
        version=version,  # type: ignore[arg-type]
        name=f["name"],
        document_number=f["document_number"],
        issued_by=f["issued_by"],
        applies_to_report_years=f["applies_to_report_years"],
        sections=sections,
        table_2=_table2(by_id["table_2"]),
        table_3=_table3(by_id["table_3"]),
        table_4=_table4(by_id["table_4"]),
    )


@functools.cache
def _loaded() -> tuple[tuple[str, ReportFormat], ...]:
    text = resources.files("gongkai.domain").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    try:
        return tuple((v, _format(v, f)) for v, f in raw["formats"].items())
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportFormatDataError(f"年度报告格式数据不完整或有误：{exc!r}") from exc


def load_formats() -> dict[str, ReportFormat]:
    """Both formats by version ("2019", "2021"), read once from the packaged data."""
    return dict(_loaded())


def format_for_year(report_year: int) -> ReportFormat:
    """The format of the report *on* ``report_year`` (the data year, not the publication year).

    2019 and 2020 use the 2019 trial format; 2021 onward the 2021 format. Earlier years raise
    :class:`ReportYearNotCovered`: the pre-2019 reports have no standard tables.
    """
    if report_year < FIRST_STANDARD_YEAR:
        raise ReportYearNotCovered(report_year)
    version = "2019" if report_year < FIRST_2021_FORMAT_YEAR else "2021"
    return load_formats()[version]


# -- helpers --------------------------------------------------------------------------------


def table3_data_rows(fmt: ReportFormat) -> tuple[Row, ...]:
    """Rows of table 三 that carry numbers (label-only group rows left out), in order."""
    return fmt.table_3.data_rows()


def table3_outcome_rows(fmt: ReportFormat) -> tuple[Row, ...]:
    """The outcome data rows summed by （七）总计: 21 in the 2021 format, 19 in the 2019 one."""
    return fmt.table_3.outcome_rows()


def table2_cells(fmt: ReportFormat) -> tuple[tuple[str, str, str], ...]:
    """Every value cell of table 二 as (subtable id, row key, column key)."""
    return fmt.table_2.cells()


def table4_columns(fmt: ReportFormat) -> tuple[Column, ...]:
    """The fifteen columns of table 四's single data row, in order."""
    return fmt.table_4.columns

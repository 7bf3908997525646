"""The printed layout of an annual report: its blocks in order and tables 二/三/四 as grids of cells.

Every output (Word, PDF, HTML) is drawn from this one layout, so they cannot differ in a label, a
figure or a merged cell. Labels come from the year's format (:mod:`gongkai.domain.report_format`),
never retyped here.

The official tables, as the format describes them:

- 二: one table of ``1 + n`` columns (n = the most value columns of any sub-table): for each
  sub-table of 第二十条 a caption row (``第二十条第（一）项`` across the table), a header row
  (``信息内容`` and the column labels) and its data rows. A sub-table with fewer value columns
  lets its last column span the rest (the 2021 ``本年处理决定数量`` spans three columns);
- 三: three label columns and seven value columns. Header: the 勾稽 note (3 rows × 3 columns),
  ``申请人情况`` over all seven, then ``自然人`` | ``法人或其他组织`` (over five) | ``总计``, then the
  five organisations. Body: a data row's label spans the label columns its depth leaves free;
  a label-only row (三、本年度办理结果, （三）不予公开 …) spans, down its column, every data row
  below it;
- 四: fifteen value columns and no label column. Header: ``行政复议`` (5) | ``行政诉讼`` (10);
  the five 行政复议 results (down two rows) | ``未经复议直接起诉`` (5) | ``复议后起诉`` (5); the ten
  litigation results. One unlabelled data row.

Column headers are built from the format's column groups (a group over exactly the columns below
it), so a later format with other groups lays out without code changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import Column, ColumnGroup, ReportFormat, Row, Table2, Table3, Table4


class LayoutError(DomainError):
    """The format data cannot be laid out as a table (overlapping or non-contiguous groups)."""

    code = "annual_report_layout_error"


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a heading cell (column heading, caption row, row-group label)
    numeric: bool = False  # a figure
    indent: int = 0  # depth of a row label in the row hierarchy (0 = top level)


@dataclass(frozen=True)
class TableLayout:
    """A table as rows of cells; a spanning cell appears once, in the first row and column it covers."""

    table_id: str  # "table_2", "table_3", "table_4"
    title: str  # the section title the table sits under, e.g. 三、收到和处理政府信息公开申请情况
    caption: str  # a short name for assistive technology / Word's alt text
    header: list[list[Cell]]  # rows repeated on every page
    body: list[list[Cell]]
    label_columns: int = 0  # leading columns holding row labels

    @property
    def rows(self) -> list[list[Cell]]:
        return [*self.header, *self.body]

    @property
    def width(self) -> int:
        return max((c + cell.colspan for _r, c, cell in self.placed()), default=0)

    def placed(self) -> Iterator[tuple[int, int, Cell]]:
        """Every cell with the grid row and column of its top-left corner (header rows first)."""
        taken: dict[int, set[int]] = {}
        for r, row in enumerate(self.rows):
            c = 0
            used = taken.setdefault(r, set())
            for cell in row:
                while c in used:
                    c += 1
                yield r, c, cell
                for dr in range(cell.rowspan):
                    occupied = taken.setdefault(r + dr, set())
                    for dc in range(cell.colspan):
                        if c + dc in occupied:
                            raise LayoutError(f"表格布局有重叠的单元格（第{r + dr + 1}行第{c + dc + 1}列）")
                        occupied.add(c + dc)
                c += cell.colspan

    def occupancy(self) -> list[int]:
        """How many grid columns each row covers (its own cells and the row-spanning ones above)."""
        counts = [0] * len(self.rows)
        for r, _c, cell in self.placed():
            for dr in range(cell.rowspan):
                if r + dr < len(counts):
                    counts[r + dr] += cell.colspan
        return counts


# -- values ------------------------------------------------------------------------------------


def format_value(value: Any) -> str:
    """A figure as printed: integers plainly, decimals exactly as given (12.50 stays 12.50), blank as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if isinstance(value, float):
        # the shortest repr round-trips: 0.1 prints as 0.1, not 0.1000000000000000055…
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


# -- table 二 ---------------------------------------------------------------------------------


def table2_layout(t2: Table2, values: Mapping[str, Any] | None, title: str) -> TableLayout:
    n = max(len(s.columns) for s in t2.subtables)
    width = 1 + n
    body: list[list[Cell]] = []
    for sub in t2.subtables:
        spans = [1] * len(sub.columns)
        spans[-1] = n - len(sub.columns) + 1
        body.append([Cell(sub.caption, colspan=width, header=True)])
        body.append(
            [Cell(sub.row_header_label, header=True)]
            + [Cell(c.label, colspan=s, header=True) for c, s in zip(sub.columns, spans)]
        )
        for row in sub.rows:
            body.append(
                [Cell(row.label, header=True)]
                + [
                    Cell(format_value(_get(values, sub.id, row.key, c.key)), colspan=s, numeric=True)
                    for c, s in zip(sub.columns, spans)
                ]
            )
    return TableLayout(t2.id, title, _caption(title), [], body, label_columns=1)


# -- column headers from the groups (tables 三 and 四) -----------------------------------------


def _leaves(group: ColumnGroup, groups: Mapping[str, ColumnGroup]) -> list[str]:
    out: list[str] = []
    for child in group.children:
        out.extend(_leaves(groups[child], groups) if child in groups else [child])
    return out


def _column_header(
    columns: tuple[Column, ...], groups: tuple[ColumnGroup, ...], what: str
) -> tuple[int, list[list[Cell]]]:
    """Header rows over ``columns``: (number of rows, rows of cells, without any label columns)."""
    by_key = {g.key: g for g in groups}
    order = [c.key for c in columns]
    position = {k: i for i, k in enumerate(order)}
    spans: list[tuple[ColumnGroup, int, int]] = []  # group, first column, last column
    for g in groups:
        idx = sorted(position[k] for k in _leaves(g, by_key) if k in position)
        if not idx:
            continue
        if idx != list(range(idx[0], idx[-1] + 1)):
            raise LayoutError(f"{what}的列组“{g.label}”下的列不相邻，无法合并表头")
        spans.append((g, idx[0], idx[-1]))

    # a group's ancestors are the groups strictly covering it
    def covers(a: tuple[ColumnGroup, int, int], b: tuple[ColumnGroup, int, int]) -> bool:
        return a[1] <= b[1] and b[2] <= a[2] and (a[2] - a[1]) > (b[2] - b[1])

    for a in spans:
        for b in spans:
            if a is not b and not covers(a, b) and not covers(b, a) and a[1] <= b[2] and b[1] <= a[2]:
                raise LayoutError(f"{what}的列组“{a[0].label}”与“{b[0].label}”部分重叠，无法合并表头")
    level = {g.key: sum(1 for other in spans if covers(other, (g, s, e))) for g, s, e in spans}
    depth_of_column = [sum(1 for g, s, e in spans if s <= i <= e) for i in range(len(order))]
    n_rows = max(depth_of_column, default=0) + 1
    rows: list[list[tuple[int, Cell]]] = [[] for _ in range(n_rows)]
    for g, s, e in spans:
        rows[level[g.key]].append((s, Cell(g.label, colspan=e - s + 1, header=True)))
    for i, col in enumerate(columns):
        d = depth_of_column[i]
        rows[d].append((i, Cell(col.label, rowspan=n_rows - d, header=True)))
    return n_rows, [[cell for _, cell in sorted(r, key=lambda pc: pc[0])] for r in rows]


# -- table 三 ---------------------------------------------------------------------------------


def _depth(row: Row, by_key: Mapping[str, Row]) -> int:
    d = 0
    parent = row.parent
    while parent is not None:
        d += 1
        parent = by_key[parent].parent
    return d


def table3_layout(t3: Table3, values: Mapping[str, Any] | None, title: str) -> TableLayout:
    by_key = {r.key: r for r in t3.rows}
    depth = {r.key: _depth(r, by_key) for r in t3.rows}
    label_columns = max(depth[r.key] for r in t3.data_rows()) + 1
    n_header, header_cells = _column_header(t3.columns, t3.column_groups, "表三")
    header = [list(r) for r in header_cells]
    header[0].insert(0, Cell(t3.row_header_note, rowspan=n_header, colspan=label_columns, header=True))

    # how many data rows each label-only row spans
    data_below: dict[str, int] = {r.key: 0 for r in t3.rows}
    for r in t3.data_rows():
        parent = r.parent
        while parent is not None:
            data_below[parent] += 1
            parent = by_key[parent].parent

    body: list[list[Cell]] = []
    pending: list[Cell] = []  # label-only rows waiting for their first data row
    for r in t3.rows:
        if not r.data:
            if data_below[r.key]:
                pending.append(Cell(r.label, rowspan=data_below[r.key], header=True, indent=depth[r.key]))
            continue
        label = Cell(r.label, colspan=label_columns - depth[r.key], header=True, indent=depth[r.key])
        row_values = values.get(r.key) if isinstance(values, Mapping) else None
        figures = [Cell(format_value(_get(row_values, c.key)), numeric=True) for c in t3.columns]
        body.append([*pending, label, *figures])
        pending = []
    return TableLayout(t3.id, title, _caption(title), header, body, label_columns=label_columns)


# -- table 四 ---------------------------------------------------------------------------------


def table4_layout(t4: Table4, values: Mapping[str, Any] | None, title: str) -> TableLayout:
    _, header = _column_header(t4.columns, t4.column_groups, "表四")
    body = []
    for row in t4.rows:
        cells = [Cell(row.label, header=True)] if row.label else []
        cells += [Cell(format_value(_get(values, c.key)), numeric=True) for c in t4.columns]
        body.append(cells)
    return TableLayout(t4.id, title, _caption(title), header, body, label_columns=0)


def _caption(title: str) -> str:
    """The title without its numbering (二、主动公开政府信息情况 → 主动公开政府信息情况)."""
    return title.split("、", 1)[1] if "、" in title[:3] else title


# -- the whole report ---------------------------------------------------------------------------


def table_layouts(content: ReportContent) -> list[TableLayout]:
    """Tables 二, 三 and 四 of ``content`` in the layout of its year's format."""
    return _table_layouts(content.fmt, content.tables)


def _table_layouts(fmt: ReportFormat, tables: Mapping[str, Any]) -> list[TableLayout]:
    titles = {s.table: s.title for s in fmt.sections if s.table}
    return [
        table2_layout(fmt.table_2, tables.get("table_2"), titles.get(fmt.table_2.id, fmt.table_2.title)),
        table3_layout(fmt.table_3, tables.get("table_3"), titles.get(fmt.table_3.id, fmt.table_3.title)),
        table4_layout(fmt.table_4, tables.get("table_4"), titles.get(fmt.table_4.id, fmt.table_4.title)),
    ]


@dataclass(frozen=True)
class SectionLayout:
    key: str
    title: str  # exact, e.g. 一、总体情况
    paragraphs: list[str] = field(default_factory=list)
    table: TableLayout | None = None


@dataclass(frozen=True)
class ReportLayout:
    title: str
    preamble: list[str]
    sections: list[SectionLayout]
    signature: list[str]  # the agency, then the date if there is one


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def report_layout(content: ReportContent) -> ReportLayout:
    """Title, opening paragraphs, the six sections in the format's order, the signature."""
    fmt = content.fmt
    tables = {t.table_id: t for t in _table_layouts(fmt, content.tables)}
    sections = []
    for s in fmt.sections:
        if s.table:
            sections.append(SectionLayout(s.key, s.title, [], tables[s.table]))
        else:
            sections.append(SectionLayout(s.key, s.title, content.paragraphs(s.key)))
    preamble = [p.strip() for p in content.opening.splitlines() if p.strip()]
    signature = [content.agency_name] + ([chinese_date(content.dated)] if content.dated else [])
    return ReportLayout(content.title, preamble, sections, signature)

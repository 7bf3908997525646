"""Binding a consistency rule to the cells of the tables, and reading a cell's value.

:func:`compile_rule` parses a rule of the format data, resolves its scope to the grids it runs over
(:class:`Grid`: table 三, table 四's one row, or a sub-table of table 二) and checks that every name
in it is a row or column of the format; :meth:`CompiledRule.bind` then names the :class:`Cell` a
reference reads at one position. :func:`number` says how a raw cell value reads (a number, blank,
absent, or not a number).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.domain.expressions import (
    BoolExpr,
    Ref,
    RuleExpressionError,
    parse_expression,
)
from gongkai.domain.expressions import refs as _refs
from gongkai.domain.report_format import ReportFormat, Rule

CROSS_YEAR = ("previous_report", "next_report")
REPORT_NAMES = {"previous_report": "上一年度报告", "next_report": "下一年度报告"}
TABLE_NAMES = {"table_2": "表二", "table_3": "表三", "table_4": "表四"}


@dataclass(frozen=True)
class Grid:
    """A rectangle of value cells: table 三, table 四 (one row) or one sub-table of table 二."""

    table: str
    sub: str | None
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    decimal_cols: frozenset[str]


@dataclass(frozen=True)
class Cell:
    report: str  # "current", "previous_report" or "next_report"
    table: str
    sub: str | None
    row: str
    col: str

    @property
    def ref(self) -> str:
        parts = [
            self.table,
            *([self.sub] if self.sub else []),
            *([] if self.table == "table_4" else [self.row]),
            self.col,
        ]
        prefix = "" if self.report == "current" else self.report + "."
        return prefix + ".".join(parts)


@dataclass(frozen=True)
class _Scope:
    kind: str  # each_column | each_row | each_cell
    subtables: tuple[str, ...] | None
    except_cols: frozenset[str]


_SCOPE = re.compile(
    r"^(?:(?P<subs>\w+(?:\s*,\s*\w+)*)\s*[.\s]\s*)?(?P<kind>each_column|each_row|each_cell)(?:_except_(?P<exc>\w+))?$"
)


def _grids(fmt: ReportFormat, table: str) -> tuple[Grid, ...]:
    if table == "table_2":
        return tuple(
            Grid(
                "table_2",
                s.id,
                tuple(r.key for r in s.rows),
                tuple(c.key for c in s.columns),
                frozenset(c.key for c in s.columns if c.is_decimal),
            )
            for s in fmt.table_2.subtables
        )
    if table == "table_3":
        t3 = fmt.table_3
        return (
            Grid("table_3", None, tuple(r.key for r in t3.data_rows()), tuple(c.key for c in t3.columns), frozenset()),
        )
    if table == "table_4":
        t4 = fmt.table_4
        return (Grid("table_4", None, tuple(r.key for r in t4.rows), tuple(c.key for c in t4.columns), frozenset()),)
    raise KeyError(table)


def _grid_for(fmt: ReportFormat, table: str, sub: str | None) -> Grid | None:
    try:
        grids = _grids(fmt, table)
    except KeyError:
        return None
    return next((g for g in grids if g.sub == sub), None)


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    expr: BoolExpr
    scope: _Scope
    grids: tuple[Grid, ...]
    cross_year: tuple[str, ...]  # which other reports it reads
    decimal_cells: frozenset[tuple[str, str | None, str]]  # (table, sub-table, column) compared with tolerance

    def positions(self) -> Iterator[tuple[Grid, str | None, str | None]]:
        for g in self.grids:
            cols = [c for c in g.cols if c not in self.scope.except_cols]
            if self.scope.kind == "each_column":
                yield from ((g, None, c) for c in cols)
            elif self.scope.kind == "each_row":
                yield from ((g, r, None) for r in g.rows)
            else:
                yield from ((g, r, c) for r in g.rows for c in cols)

    def bind(self, ref: Ref, grid: Grid, row: str | None, col: str | None) -> Cell:
        path = list(ref.path)
        report = path.pop(0) if path[0] in CROSS_YEAR else "current"
        table, sub = grid.table, grid.sub
        if len(path) > 1 and path[0] in TABLE_NAMES:
            table = path.pop(0)
            if table != grid.table:
                sub = None
        if table == "table_2" and len(path) == 2:
            sub = path.pop(0)
        if len(path) != 1:
            raise _bad(self.rule, f"无法理解名称“{'.'.join(ref.path)}”")
        key = path[0]
        if self.scope.kind == "each_cell":
            if key != "value" or len(ref.path) != 1:
                raise _bad(self.rule, f"逐格规则中只能使用 value，不能使用“{'.'.join(ref.path)}”")
            return Cell(report, table, sub, row or "", col or "")
        if key == "value":
            raise _bad(self.rule, "value 只能用于逐格（each_cell）规则")
        if self.scope.kind == "each_column":
            return Cell(report, table, sub, key, col or "")
        return Cell(report, table, sub, row or "", key)


def _bad(rule: Rule, problem: str) -> RuleExpressionError:
    return RuleExpressionError(rule.id, rule.expr, problem)


@functools.lru_cache(maxsize=128)
def compile_rule(rule: Rule, fmt: ReportFormat) -> CompiledRule:
    """Parse ``rule`` and check every name in it against ``fmt``; raise :class:`RuleExpressionError`."""
    expr = parse_expression(rule.expr, rule.id)
    m = _SCOPE.match(rule.scope.strip())
    if m is None:
        raise _bad(rule, f"无法识别的适用范围“{rule.scope}”")
    subs = tuple(s.strip() for s in m["subs"].split(",")) if m["subs"] else None
    scope = _Scope(m["kind"], subs, frozenset([m["exc"]]) if m["exc"] else frozenset())
    try:
        grids = _grids(fmt, rule.table)
    except KeyError:
        raise _bad(rule, f"未知的表格“{rule.table}”") from None
    if subs is not None:
        unknown = [s for s in subs if s not in {g.sub for g in grids}]
        if unknown:
            raise _bad(
                rule, f"适用范围中的“{'、'.join(unknown)}”不是{TABLE_NAMES.get(rule.table, rule.table)}的组成部分"
            )
        grids = tuple(g for g in grids if g.sub in subs)
    cross_year = tuple(sorted({r.path[0] for r in _refs(expr) if r.path[0] in CROSS_YEAR}))
    decimals = frozenset(
        (g.table, g.sub, c) for t in ("table_2", "table_3", "table_4") for g in _grids(fmt, t) for c in g.decimal_cols
    )
    compiled = CompiledRule(rule, expr, scope, grids, cross_year, decimals)
    for grid, row, col in compiled.positions():  # every name must exist in the format
        for ref in _refs(expr):
            cell = compiled.bind(ref, grid, row, col)
            target = _grid_for(fmt, cell.table, cell.sub)
            if target is None or cell.row not in target.rows or cell.col not in target.cols:
                what = "行" if scope.kind == "each_column" else "列"
                raise _bad(rule, f"“{'.'.join(ref.path)}”不是{TABLE_NAMES.get(cell.table, cell.table)}中的{what}")
    return compiled


# -- reading cells --------------------------------------------------------------------------

ABSENT = object()
NOT_A_NUMBER = object()


def number(raw: Any) -> Any:
    """int or Decimal; None or ABSENT for a blank or absent cell; NOT_A_NUMBER for anything else."""
    if raw is None or raw is ABSENT:
        return raw
    if isinstance(raw, bool):
        return NOT_A_NUMBER
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else NOT_A_NUMBER
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else NOT_A_NUMBER
    return NOT_A_NUMBER

"""The evaluation plan: every rule of a format compiled and its cells bound once per format object.

Every rule of a format is compiled once and every one of its positions bound to its cells once
(:class:`FormatPlan`). An audit then reads each distinct cell once into a flat list, and checks
a position on integer cells as linear sums over that list; only a position that fails, reads a
decimal or cannot be checked is evaluated the full way (:class:`.full_check.Check`), which is also the only
place the Chinese messages are built.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.domain.consistency.binding import ABSENT, Cell, CompiledRule, Grid, compile_rule
from gongkai.domain.consistency.labels import Labels
from gongkai.domain.consistency.results import rule_title
from gongkai.domain.expressions import And, BoolExpr, Compare, Num, NumExpr, Ref
from gongkai.domain.expressions import refs as _refs
from gongkai.domain.report_format import ReportFormat

# (op, indices added, indices subtracted, constant): the comparison holds on integer cells iff
# ``constant + sum(values[i] for i in added) - sum(values[i] for i in subtracted)`` is == 0 (op 0),
# <= 0 (op -1) or >= 0 (op 1). ``is_integer`` always holds on integers and is left out.
_Linear = tuple[int, tuple[int, ...], tuple[int, ...], int]
_OPS = {"==": 0, "<=": -1, ">=": 1}


@dataclass(frozen=True, eq=False)
class Position:
    """One check of a rule (a column, a row or a cell) with its cells bound."""

    grid: Grid
    row: str | None
    col: str | None
    cells: dict[Ref, Cell]  # per distinct reference of the expression, in order
    ordered: tuple[str, ...]  # the distinct cell refs ("table_3.granted.total"), in order
    index: tuple[int, ...]  # per reference: where its cell is in the values read
    decimal: bool  # a cell of a decimal column takes part: compare with TOLERANCE
    linear: tuple[_Linear, ...]


@dataclass(frozen=True, eq=False)
class Plan:
    """A compiled rule with every position bound.

    ``bounds``: for a rule whose expression names one cell (``value >= 0``), each comparison as
    ``(op, coefficient, constant)``, so that all its positions are checked at once from the
    smallest and largest value; None for the other rules.
    """

    compiled: CompiledRule
    title: str
    positions: tuple[Position, ...]
    cells: frozenset[int]  # every value index the rule reads
    bounds: tuple[tuple[int, int, int], ...] | None


def _linear(node: NumExpr, index: dict[Ref, int], coefs: dict[int, int], sign: int) -> int:
    """Add ``sign * node`` to ``coefs`` (value index -> coefficient); return its constant part."""
    if isinstance(node, Num):
        return sign * node.value
    if isinstance(node, Ref):
        i = index[node]
        coefs[i] = coefs.get(i, 0) + sign
        return 0
    return sum(_linear(t, index, coefs, sign * s) for s, t in node.terms)


def _comparisons(node: BoolExpr) -> list[Compare]:
    if isinstance(node, And):
        return [c for p in node.parts for c in _comparisons(p)]
    return [node] if isinstance(node, Compare) else []


def _linear_form(cmp: Compare, index: dict[Ref, int]) -> _Linear:
    coefs: dict[int, int] = {}
    const = _linear(cmp.left, index, coefs, 1) + _linear(cmp.right, index, coefs, -1)
    added = tuple(i for i, c in coefs.items() if c > 0 for _ in range(c))
    subtracted = tuple(i for i, c in coefs.items() if c < 0 for _ in range(-c))
    return (_OPS[cmp.op], added, subtracted, const)


def _read_path(cell: Cell) -> tuple[str, ...]:
    return (cell.table, *([cell.sub] if cell.sub else []), *([] if cell.table == "table_4" else [cell.row]), cell.col)


class FormatPlan:
    """Every rule of one format compiled and bound, the distinct cells they read, their labels."""

    def __init__(self, fmt: ReportFormat):
        self.fmt = fmt
        self.labels = Labels(fmt)
        compiled = [compile_rule(rule, fmt) for rule in fmt.rules]  # raises on a bad rule
        # the distinct cells, grouped by the mapping that holds them (a row of a table)
        slots: dict[tuple[str, tuple[str, ...]], dict[str, None]] = {}
        bound = []
        for c in compiled:
            refs = tuple(dict.fromkeys(_refs(c.expr)))
            positions = []
            for grid, row, col in c.positions():
                cells = {ref: c.bind(ref, grid, row, col) for ref in refs}
                for cell in cells.values():
                    path = _read_path(cell)
                    slots.setdefault((cell.report, path[:-1]), {})[path[-1]] = None
                positions.append((grid, row, col, cells))
            bound.append((c, refs, positions))
        self.groups = tuple((report, parent, tuple(keys)) for (report, parent), keys in slots.items())
        where: dict[tuple[str, tuple[str, ...]], int] = {}
        for report, parent, keys in self.groups:
            for key in keys:
                where[(report, (*parent, key))] = len(where)
        plans = []
        for c, refs, positions in bound:
            comparisons = _comparisons(c.expr)
            bound_positions = []
            for grid, row, col, cells in positions:
                index = tuple(where[(cell.report, _read_path(cell))] for cell in cells.values())
                by_ref = dict(zip(refs, index))
                bound_positions.append(
                    Position(
                        grid,
                        row,
                        col,
                        cells,
                        tuple(dict.fromkeys(cell.ref for cell in cells.values())),
                        index,
                        any((cell.table, cell.sub, cell.col) in c.decimal_cells for cell in cells.values()),
                        tuple(_linear_form(cmp, by_ref) for cmp in comparisons),
                    )
                )
            bounds = None
            if len(refs) == 1:
                forms = [_linear_form(cmp, {refs[0]: 0}) for cmp in comparisons]
                bounds = tuple((op, len(add) - len(sub), const) for op, add, sub, const in forms)
            cells_read = frozenset(i for pos in bound_positions for i in pos.index)
            plans.append(Plan(c, rule_title(c.rule), tuple(bound_positions), cells_read, bounds))
        self.plans = tuple(plans)
        self._in_row: dict[tuple[str, str | None, str], tuple[tuple[Plan, Position], ...]] = {}

    def in_row(self, table: str, sub: str | None, row: str) -> tuple[tuple[Plan, Position], ...]:
        """The positions of the error rules of ``table`` that read no cell outside one row of the
        current report (table 二's sub-table ``sub``), rule by rule: the only checks that can fail
        when the tables hold that row alone (any other check lacks a cell and is not checkable, a
        cross-year rule and a rule of another table do not run)."""
        key = (table, sub, row)
        found = self._in_row.get(key)
        if found is None:
            parent = (table, *([sub] if sub else []), *([] if table == "table_4" else [row]))
            found = tuple(
                (plan, pos)
                for plan in self.plans
                if plan.compiled.rule.table == table
                and plan.compiled.rule.severity == "error"
                and not plan.compiled.cross_year
                for pos in plan.positions
                if all(cell.report == "current" and _read_path(cell)[:-1] == parent for cell in pos.cells.values())
            )
            self._in_row[key] = found
        return found

    def read(self, reports: Mapping[str, Any]) -> list[Any]:
        """The raw value of every distinct cell (``ABSENT`` where a mapping lacks the key)."""
        values: list[Any] = []
        get = reports.get
        for report, parent, keys in self.groups:
            node = get(report)
            for key in parent:
                if type(node) is dict:
                    node = node.get(key, ABSENT)
                elif isinstance(node, Mapping) and key in node:
                    node = node[key]
                else:
                    node = ABSENT
                    break
            if type(node) is dict:
                values.extend(map(node.get, keys, itertools.repeat(ABSENT)))
            elif isinstance(node, Mapping):
                values.extend(node[k] if k in node else ABSENT for k in keys)
            else:
                values.extend(itertools.repeat(ABSENT, len(keys)))
        return values


_PLANS: dict[int, FormatPlan] = {}
_PLANS_SIZE = 32


def format_plan(fmt: ReportFormat) -> FormatPlan:
    """The plan of ``fmt``, built once per format object.

    Keyed on the format *object* (the packaged formats are loaded once) rather than on its
    version and rule ids: a format built with other rules under the same ids gets its own plan.
    A rule that does not compile raises :class:`RuleExpressionError` each time; nothing is cached.
    """
    plan = _PLANS.get(id(fmt))
    if plan is not None and plan.fmt is fmt:
        return plan
    plan = FormatPlan(fmt)
    while len(_PLANS) >= _PLANS_SIZE:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(fmt)] = plan
    return plan

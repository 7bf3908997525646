"""Consistency checks of tables 二/三/四 of an annual report, driven by the rules in the format data.

The rules are data: each table of the packaged format (:mod:`gongkai.domain.report_format`)
carries its ``rules``, each with a ``scope`` and an ``expr`` written in a very small expression
language. :mod:`gongkai.domain.expressions` parses that language (no ``eval``); this module binds the
names to table cells by scope and runs every rule with one evaluator.

Expression language (see ``expression_language`` in the format data):

- integers, ``+``, ``-``, parentheses, ``==``, ``<=``, ``>=``, ``and``, ``is_integer(x)``;
- ``value``: the cell, in the ``each_cell`` scopes;
- bare identifiers: ROW keys in ``each_column`` (evaluated once per column), COLUMN keys in
  ``each_row`` (evaluated once per row; table 四's single row is ``cases``);
- dotted names: ``table_3.carry_forward`` or ``table_2.art20_1.in_force`` name a table / sub-table
  explicitly; a ``previous_report.`` or ``next_report.`` prefix reads the same position in the
  same agency's report of the year before / after.

Scopes: ``each_column``, ``each_row``, ``each_cell``, ``each_cell_except_<column>``, and any of
them restricted to table 二 sub-tables: ``art20_1.each_row``, ``art20_5,art20_6,art20_8 each_row``.

Input: ``tables = {"table_2": {sub_id: {row: {column: number|None}}},
"table_3": {row: {column: int|None}}, "table_4": {column: int|None}}``; ``previous`` and
``next_report`` have the same shape. Semantics:

- a table missing from ``tables`` is skipped: its rules are reported as not run, no findings;
- a check whose cells include a blank (``None`` or absent) or non-numeric cell is *not checkable*:
  it is recorded (:class:`Unchecked`) and neither passes nor fails; nothing is guessed. Published
  reports that leave zero cells blank in table 三 should go through :func:`normalise_table3` first;
- integers compare exactly; when a cell of a decimal column (``fee_amount``, ``procurement_amount``)
  takes part, comparisons allow a tolerance of 0.005;
- cross-year rules run only when ``previous`` / ``next_report`` is given (they are warnings).

Evaluation is planned once per format object: every rule compiled, every position bound to its
cells, the distinct cells listed. An audit reads each distinct cell once and checks positions on
integer cells as linear sums, all positions of a one-cell rule (``value >= 0``) at once from the
smallest and largest value; the Chinese messages are built only for failures and for positions
that cannot be checked. Nothing is kept between calls but the plan: results never carry over.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from gongkai.domain.expressions import (
    And,
    BoolExpr,
    Compare,
    IsInteger,
    Num,
    NumExpr,
    Ref,
    RuleExpressionError,
    parse_expression,
)
from gongkai.domain.expressions import refs as _refs
from gongkai.domain.report_format import ReportFormat, Rule, Severity, load_formats

Number = int | Decimal
RuleStatus = Literal["passed", "failed", "not_checkable", "skipped"]

TOLERANCE = Decimal("0.005")
CROSS_YEAR = ("previous_report", "next_report")
_REPORT_NAMES = {"previous_report": "上一年度报告", "next_report": "下一年度报告"}
_TABLE_NAMES = {"table_2": "表二", "table_3": "表三", "table_4": "表四"}


# -- binding rules to the tables -----------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """A rectangle of value cells: table 三, table 四 (one row) or one sub-table of table 二."""

    table: str
    sub: str | None
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    decimal_cols: frozenset[str]


@dataclass(frozen=True)
class _Cell:
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


def _grids(fmt: ReportFormat, table: str) -> tuple[_Grid, ...]:
    if table == "table_2":
        return tuple(
            _Grid(
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
            _Grid("table_3", None, tuple(r.key for r in t3.data_rows()), tuple(c.key for c in t3.columns), frozenset()),
        )
    if table == "table_4":
        t4 = fmt.table_4
        return (_Grid("table_4", None, tuple(r.key for r in t4.rows), tuple(c.key for c in t4.columns), frozenset()),)
    raise KeyError(table)


def _grid_for(fmt: ReportFormat, table: str, sub: str | None) -> _Grid | None:
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
    grids: tuple[_Grid, ...]
    cross_year: tuple[str, ...]  # which other reports it reads
    decimal_cells: frozenset[tuple[str, str | None, str]]  # (table, sub-table, column) compared with tolerance

    def positions(self) -> Iterator[tuple[_Grid, str | None, str | None]]:
        for g in self.grids:
            cols = [c for c in g.cols if c not in self.scope.except_cols]
            if self.scope.kind == "each_column":
                yield from ((g, None, c) for c in cols)
            elif self.scope.kind == "each_row":
                yield from ((g, r, None) for r in g.rows)
            else:
                yield from ((g, r, c) for r in g.rows for c in cols)

    def bind(self, ref: Ref, grid: _Grid, row: str | None, col: str | None) -> _Cell:
        path = list(ref.path)
        report = path.pop(0) if path[0] in CROSS_YEAR else "current"
        table, sub = grid.table, grid.sub
        if len(path) > 1 and path[0] in _TABLE_NAMES:
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
            return _Cell(report, table, sub, row or "", col or "")
        if key == "value":
            raise _bad(self.rule, "value 只能用于逐格（each_cell）规则")
        if self.scope.kind == "each_column":
            return _Cell(report, table, sub, key, col or "")
        return _Cell(report, table, sub, row or "", key)


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
                rule, f"适用范围中的“{'、'.join(unknown)}”不是{_TABLE_NAMES.get(rule.table, rule.table)}的组成部分"
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
                raise _bad(rule, f"“{'.'.join(ref.path)}”不是{_TABLE_NAMES.get(cell.table, cell.table)}中的{what}")
    return compiled


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One failed check: a rule at one position (a column, a row or a cell)."""

    rule: str
    severity: Severity
    cells: tuple[str, ...]  # e.g. "table_3.results_total.total", "previous_report.table_3.carry_forward.total"
    expected: Number | None
    actual: Number | None
    message: str
    basis: str


@dataclass(frozen=True)
class Unchecked:
    """A check that could not run because a cell it needs is blank or not a number."""

    rule: str
    cells: tuple[str, ...]
    missing: tuple[str, ...]
    message: str


RULE_TITLES = {
    "t2_non_negative": "表二各项数值不能为负数",
    "t2_in_force_continuity": "表二第二十条第（一）项：现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数",
    "t2_item_continuity": "表二：下一年度报告的“上一年项目数量”＝本年“上一年项目数量”＋“本年增/减”",
    "t2_published_le_total": "表二第二十条第（一）项：“本年新公开数量”不大于“对外公开总数量”",
    "t3_balance": "表三勾稽关系：每列第一项加第二项之和，等于第三项加第四项之和",
    "t3_results_total": "表三每列“（七）总计”等于（一）至（六）各项办理结果之和",
    "t3_total_column": "表三每行“总计”列等于自然人与法人或其他组织各列之和",
    "t3_non_negative": "表三每格为非负整数",
    "t3_carry_continuity": "表三“二、上年结转政府信息公开申请数量”等于上一年度报告的“四、结转下年度继续办理”",
    "t4_review_total": "表四行政复议“总计”等于各结果之和",
    "t4_litigation_direct_total": "表四行政诉讼（未经复议直接起诉）“总计”等于各结果之和",
    "t4_litigation_after_review_total": "表四行政诉讼（复议后起诉）“总计”等于各结果之和",
    "t4_non_negative": "表四每格为非负整数",
}


def rule_title(rule: Rule) -> str:
    """A Chinese one-line title for showing the rule in a list (falls back to the expression)."""
    return RULE_TITLES.get(rule.id) or f"{_TABLE_NAMES.get(rule.table, rule.table)}：{rule.expr}"


@dataclass(frozen=True)
class RuleResult:
    """How one rule fared: every rule of the format gets one, whether it ran or not."""

    rule: Rule
    title: str
    checks_run: int  # checks evaluated to passed or failed
    findings: tuple[Finding, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    skipped_reason: str | None = None

    @property
    def checks_failed(self) -> int:
        return len(self.findings)

    @property
    def checks_passed(self) -> int:
        return self.checks_run - len(self.findings)

    @property
    def status(self) -> RuleStatus:
        if self.skipped_reason is not None:
            return "skipped"
        if self.findings:
            return "failed"
        return "passed" if self.checks_run else "not_checkable"

    @property
    def summary(self) -> str:
        tail = f"，另有{len(self.unchecked)}处因数据空白、缺失或不是数字无法检查" if self.unchecked else ""
        if self.status == "skipped":
            return f"未运行：{self.skipped_reason}"
        if self.status == "failed":
            return f"未通过：检查{self.checks_run}处，{self.checks_failed}处不符{tail}"
        if self.status == "passed":
            return f"通过：检查{self.checks_run}处，全部相符{tail}"
        return f"无法检查：{len(self.unchecked)}处所需数据空白、缺失或不是数字"


@dataclass(frozen=True)
class AuditResult:
    version: str
    rules: tuple[RuleResult, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.rules for f in r.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def unchecked(self) -> tuple[Unchecked, ...]:
        return tuple(u for r in self.rules for u in r.unchecked)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not self.errors

    def passed_rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule.id for r in self.rules if r.status == "passed")


# -- reading cells --------------------------------------------------------------------------

_ABSENT = object()
_NOT_A_NUMBER = object()


def _number(raw: Any) -> Any:
    """int or Decimal; None or _ABSENT for a blank or absent cell; _NOT_A_NUMBER for anything else."""
    if raw is None or raw is _ABSENT:
        return raw
    if isinstance(raw, bool):
        return _NOT_A_NUMBER
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else _NOT_A_NUMBER
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else _NOT_A_NUMBER
    return _NOT_A_NUMBER


def _fmt_num(v: Number | None) -> str:
    if v is None:
        return "空白"
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


# -- labels for messages --------------------------------------------------------------------


def _row_label(fmt: ReportFormat, cell: _Cell) -> str:
    if cell.table == "table_2":
        return fmt.table_2.subtable(cell.sub or "").row(cell.row).label
    if cell.table == "table_3":
        return fmt.table_3.row(cell.row).label
    return ""


def _col_label(fmt: ReportFormat, cell: _Cell) -> str:
    if cell.table == "table_2":
        return f"“{fmt.table_2.subtable(cell.sub or '').column(cell.col).label}”"
    if cell.table == "table_3":
        return f"“{fmt.table_3.column(cell.col).label}”"
    return fmt.table_4.column_heading(cell.col)


def _caption(fmt: ReportFormat, cell: _Cell) -> str:
    return fmt.table_2.subtable(cell.sub or "").caption if cell.table == "table_2" else ""


def _full(fmt: ReportFormat, cell: _Cell) -> str:
    if cell.table == "table_4":
        return _col_label(fmt, cell)
    return f"{_caption(fmt, cell)}“{_row_label(fmt, cell)}”行{_col_label(fmt, cell)}列"


class _Labels:
    """The Chinese names of positions and cells of one format, each built once (they are only
    needed for failures and uncheckable positions, and then repeatedly)."""

    __slots__ = ("fmt", "_contexts", "_descriptions")

    def __init__(self, fmt: ReportFormat):
        self.fmt = fmt
        self._contexts: dict[tuple[str, _Grid, str | None, str | None], str] = {}
        self._descriptions: dict[tuple[str, _Grid, _Cell], str] = {}

    def context(self, kind: str, grid: _Grid, row: str | None, col: str | None) -> str:
        key = (kind, grid, row, col)
        text = self._contexts.get(key)
        if text is None:
            text = self._contexts[key] = _context(self.fmt, kind, grid, row, col)
        return text

    def describe(self, kind: str, grid: _Grid, cell: _Cell) -> str:
        key = (kind, grid, cell)
        text = self._descriptions.get(key)
        if text is None:
            text = self._descriptions[key] = _describe(self.fmt, kind, grid, cell)
        return text


def _context(fmt: ReportFormat, kind: str, grid: _Grid, row: str | None, col: str | None) -> str:
    cell = _Cell("current", grid.table, grid.sub, row or "", col or "")
    if kind == "each_cell":
        return _full(fmt, cell)
    if grid.table == "table_4":
        return _col_label(fmt, cell) if kind == "each_column" else ""
    if kind == "each_column":
        return f"{_caption(fmt, cell)}{_col_label(fmt, cell)}列"
    return f"{_caption(fmt, cell)}“{_row_label(fmt, cell)}”行"


def _describe(fmt: ReportFormat, kind: str, grid: _Grid, cell: _Cell) -> str:
    prefix = _REPORT_NAMES[cell.report] + "的" if cell.report in _REPORT_NAMES else ""
    if cell.table != grid.table:
        return prefix + _TABLE_NAMES[cell.table] + _full(fmt, cell)
    if kind == "each_cell":
        return prefix + _full(fmt, cell)
    caption = _caption(fmt, cell) if cell.sub != grid.sub else ""
    if kind == "each_column" and cell.table != "table_4":
        return f"{prefix}{caption}“{_row_label(fmt, cell)}”"
    return f"{prefix}{caption}{_col_label(fmt, cell)}"


# Plain-language names for long sides of well-known rules (the rest are rendered from the expression).
_SIDE_TEXT: dict[str, tuple[str | None, str | None]] = {
    "t3_balance": ("第一项加第二项之和", "第三项加第四项之和"),
    "t3_results_total": (None, "（一）至（六）各项办理结果之和"),
    "t3_total_column": (None, "自然人与法人或其他组织各列之和"),
    "t4_review_total": (None, "结果维持、结果纠正、其他结果、尚未审结四项之和"),
    "t4_litigation_direct_total": (None, "结果维持、结果纠正、其他结果、尚未审结四项之和"),
    "t4_litigation_after_review_total": (None, "结果维持、结果纠正、其他结果、尚未审结四项之和"),
}
_FAILED_OP = {"==": "不等于", "<=": "大于", ">=": "小于"}
_BASIS_NOTE = {
    "inferred_cross_year": "（跨年度核对，格式未明文规定，仅作提示）",
    "inferred": "（推断的规则，格式未明文规定，仅作提示）",
}


# -- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """One rule at one position, with its cells bound and read."""

    compiled: CompiledRule
    labels: _Labels
    grid: _Grid
    row: str | None
    col: str | None
    cells: dict[Ref, _Cell]
    values: dict[Ref, Number]
    tolerance: Number

    def num(self, node: NumExpr) -> Number:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Ref):
            return self.values[node]
        return sum((sign * self.num(t) for sign, t in node.terms), 0)  # type: ignore[arg-type]

    def failures(self, node: BoolExpr) -> list[tuple[BoolExpr, Number, Number | None]]:
        if isinstance(node, And):
            return [f for p in node.parts for f in self.failures(p)]
        if isinstance(node, IsInteger):
            v = self.num(node.arg)
            ok = isinstance(v, int) or v == v.to_integral_value()
            return [] if ok else [(node, v, None)]
        left, right = self.num(node.left), self.num(node.right)
        diff, tol = left - right, self.tolerance
        ok = {"==": abs(diff) <= tol, "<=": diff <= tol, ">=": diff >= -tol}[node.op]
        return [] if ok else [(node, left, right)]

    def side(self, node: NumExpr, override: str | None) -> str:
        kind = self.compiled.scope.kind
        if override:
            return override
        if isinstance(node, Num):
            return str(node.value)
        if isinstance(node, Ref):
            return self.labels.describe(kind, self.grid, self.cells[node])
        show_values = len(node.terms) <= 4
        parts = []
        for i, (sign, t) in enumerate(node.terms):
            text = self.side(t, None)
            if show_values and not isinstance(t, Num):
                text += f"（{_fmt_num(self.num(t))}）"
            parts.append(text if i == 0 else ("加" if sign > 0 else "减") + text)
        return "".join(parts) + ("之和" if all(s > 0 for s, _ in node.terms) else "所得")

    def message(self, fails: list[tuple[BoolExpr, Number, Number | None]]) -> str:
        rule = self.compiled.rule
        kind = self.compiled.scope.kind
        ctx = self.labels.context(kind, self.grid, self.row, self.col)
        note = _BASIS_NOTE.get(rule.basis, "")
        if kind == "each_cell":
            reasons = []
            for node, _v, r in fails:
                if isinstance(node, IsInteger):
                    reasons.append("应为整数")
                elif isinstance(node, Compare) and node.op == ">=" and r == 0:
                    reasons.append("不能为负数")
                else:
                    reasons.append({"==": "应等于", "<=": "应不大于", ">=": "应不小于"}[node.op] + _fmt_num(r))  # type: ignore[union-attr]
            return f"{ctx}为{_fmt_num(fails[0][1])}，{'，'.join(reasons)}{note}"
        left_text, right_text = _SIDE_TEXT.get(rule.id, (None, None))
        texts = []
        for node, v, r in fails:
            if isinstance(node, IsInteger):
                texts.append(f"{self.side(node.arg, None)}（{_fmt_num(v)}）不是整数")
                continue
            assert isinstance(node, Compare) and r is not None
            text = f"{self.side(node.left, left_text)}（{_fmt_num(v)}）{_FAILED_OP[node.op]}{self.side(node.right, right_text)}（{_fmt_num(r)}）"
            if node.op == "==":
                text += f"，相差{_fmt_num(abs(v - r))}"
            texts.append(text)
        body = "；".join(texts)
        return f"{ctx}：{body}{note}" if ctx else f"{body}{note}"


def _unchecked_message(
    labels: _Labels, kind: str, grid: _Grid, row: str | None, col: str | None, bad: dict[str, list[_Cell]]
) -> str:
    ctx = labels.context(kind, grid, row, col)
    problems = []
    for what, cells in bad.items():
        if not cells:
            continue
        names = "" if kind == "each_cell" else "、".join(dict.fromkeys(labels.describe(kind, grid, c) for c in cells))
        problems.append(names + what)
    sep = "：" if ctx and kind != "each_cell" else ""
    return f"{ctx}{sep}{'，'.join(problems)}，无法检查"


# -- the evaluation plan: rules compiled and their cells bound once per format ------------------
#
# Every rule of a format is compiled once and every one of its positions bound to its cells once
# (:class:`_FormatPlan`). An audit then reads each distinct cell once into a flat list, and checks
# a position on integer cells as linear sums over that list; only a position that fails, reads a
# decimal or cannot be checked is evaluated the full way (:class:`_Check`), which is also the only
# place the Chinese messages are built.

# (op, indices added, indices subtracted, constant): the comparison holds on integer cells iff
# ``constant + sum(values[i] for i in added) - sum(values[i] for i in subtracted)`` is == 0 (op 0),
# <= 0 (op -1) or >= 0 (op 1). ``is_integer`` always holds on integers and is left out.
_Linear = tuple[int, tuple[int, ...], tuple[int, ...], int]
_OPS = {"==": 0, "<=": -1, ">=": 1}
_INTS = {int}


@dataclass(frozen=True, eq=False)
class _Position:
    """One check of a rule (a column, a row or a cell) with its cells bound."""

    grid: _Grid
    row: str | None
    col: str | None
    cells: dict[Ref, _Cell]  # per distinct reference of the expression, in order
    ordered: tuple[str, ...]  # the distinct cell refs ("table_3.granted.total"), in order
    index: tuple[int, ...]  # per reference: where its cell is in the values read
    decimal: bool  # a cell of a decimal column takes part: compare with TOLERANCE
    linear: tuple[_Linear, ...]


@dataclass(frozen=True, eq=False)
class _Plan:
    """A compiled rule with every position bound.

    ``bounds``: for a rule whose expression names one cell (``value >= 0``), each comparison as
    ``(op, coefficient, constant)``, so that all its positions are checked at once from the
    smallest and largest value; None for the other rules.
    """

    compiled: CompiledRule
    title: str
    positions: tuple[_Position, ...]
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


def _read_path(cell: _Cell) -> tuple[str, ...]:
    return (cell.table, *([cell.sub] if cell.sub else []), *([] if cell.table == "table_4" else [cell.row]), cell.col)


class _FormatPlan:
    """Every rule of one format compiled and bound, the distinct cells they read, their labels."""

    def __init__(self, fmt: ReportFormat):
        self.fmt = fmt
        self.labels = _Labels(fmt)
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
                    _Position(
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
            plans.append(_Plan(c, rule_title(c.rule), tuple(bound_positions), cells_read, bounds))
        self.plans = tuple(plans)

    def read(self, reports: Mapping[str, Any]) -> list[Any]:
        """The raw value of every distinct cell (``_ABSENT`` where a mapping lacks the key)."""
        values: list[Any] = []
        get = reports.get
        for report, parent, keys in self.groups:
            node = get(report)
            for key in parent:
                if type(node) is dict:
                    node = node.get(key, _ABSENT)
                elif isinstance(node, Mapping) and key in node:
                    node = node[key]
                else:
                    node = _ABSENT
                    break
            if type(node) is dict:
                values.extend(map(node.get, keys, itertools.repeat(_ABSENT)))
            elif isinstance(node, Mapping):
                values.extend(node[k] if k in node else _ABSENT for k in keys)
            else:
                values.extend(itertools.repeat(_ABSENT, len(keys)))
        return values


_PLANS: dict[int, _FormatPlan] = {}
_PLANS_SIZE = 32


def _format_plan(fmt: ReportFormat) -> _FormatPlan:
    """The plan of ``fmt``, built once per format object.

    Keyed on the format *object* (the packaged formats are loaded once) rather than on its
    version and rule ids: a format built with other rules under the same ids gets its own plan.
    A rule that does not compile raises :class:`RuleExpressionError` each time; nothing is cached.
    """
    plan = _PLANS.get(id(fmt))
    if plan is not None and plan.fmt is fmt:
        return plan
    plan = _FormatPlan(fmt)
    while len(_PLANS) >= _PLANS_SIZE:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(fmt)] = plan
    return plan


def _bounds_hold(bounds: tuple[tuple[int, int, int], ...], lo: int, hi: int) -> bool:
    """Whether ``const + coef * v`` compares as ``op`` with 0 for every v in [lo, hi]."""
    for op, coef, const in bounds:
        a, b = const + coef * lo, const + coef * hi
        low, high = (a, b) if a <= b else (b, a)
        if (op == 0 and (low != 0 or high != 0)) or (op < 0 and high > 0) or (op > 0 and low < 0):
            return False
    return True


def _run_rule(
    plan: _Plan, fp: _FormatPlan, reports: Mapping[str, Any], values: list[Any], bad: frozenset[int]
) -> RuleResult:
    compiled = plan.compiled
    rule = compiled.rule
    title = plan.title
    if not isinstance(reports["current"].get(rule.table), Mapping):
        return RuleResult(rule, title, 0, skipped_reason=f"未提供{_TABLE_NAMES.get(rule.table, rule.table)}")
    for other in compiled.cross_year:
        if reports.get(other) is None:
            return RuleResult(rule, title, 0, skipped_reason=f"未提供{_REPORT_NAMES[other]}的数据，跨年度核对未运行")
    all_ints = bad.isdisjoint(plan.cells)
    if all_ints and plan.bounds is not None and plan.positions:
        # one cell per position, all integers: every position at once from the extremes
        vals = [values[i] for i in plan.cells]
        if _bounds_hold(plan.bounds, min(vals), max(vals)):
            return RuleResult(rule, title, len(plan.positions))
    findings: list[Finding] = []
    unchecked: list[Unchecked] = []
    run = 0
    get = values.__getitem__
    kind = compiled.scope.kind
    for pos in plan.positions:
        if all_ints or bad.isdisjoint(pos.index):
            run += 1
            for op, added, subtracted, const in pos.linear:
                d = sum(map(get, added)) - sum(map(get, subtracted)) + const
                if d and (op == 0 or (op < 0) == (d > 0)):
                    break
            else:
                continue  # passed: nothing to build
            numbers: dict[Ref, Number] = {ref: values[i] for ref, i in zip(pos.cells, pos.index)}
        else:
            numbers = {}
            missing: dict[str, list[_Cell]] = {"为空白": [], "未提供": [], "不是数字": []}
            for (ref, cell), i in zip(pos.cells.items(), pos.index):
                v = _number(values[i])
                if v is None:
                    missing["为空白"].append(cell)
                elif v is _ABSENT:
                    missing["未提供"].append(cell)
                elif v is _NOT_A_NUMBER:
                    missing["不是数字"].append(cell)
                else:
                    numbers[ref] = v
            if any(missing.values()):
                message = _unchecked_message(fp.labels, kind, pos.grid, pos.row, pos.col, missing)
                gone = tuple(dict.fromkeys(c.ref for cs in missing.values() for c in cs))
                unchecked.append(Unchecked(rule.id, pos.ordered, gone, message))
                continue
            run += 1
        # a failure on integers, or decimals: the full evaluation, and the message only now
        check = _Check(
            compiled, fp.labels, pos.grid, pos.row, pos.col, pos.cells, numbers, TOLERANCE if pos.decimal else 0
        )
        fails = check.failures(compiled.expr)
        if fails:
            _, actual, expected = fails[0]
            if not (isinstance(fails[0][0], Compare) and fails[0][0].op == "=="):
                expected = None
            findings.append(
                Finding(rule.id, rule.severity, pos.ordered, expected, actual, check.message(fails), rule.basis)
            )
    return RuleResult(rule, title, run, tuple(findings), tuple(unchecked))


def audit(
    fmt: ReportFormat,
    tables: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    next_report: Mapping[str, Any] | None = None,
) -> AuditResult:
    """Run every rule of ``fmt`` and say, per rule, whether it passed, failed, or could not run."""
    reports = {"current": tables, "previous_report": previous, "next_report": next_report}
    fp = _format_plan(fmt)
    values = fp.read(reports)
    bad = (
        frozenset(i for i, v in enumerate(values) if type(v) is not int)
        if set(map(type, values)) != _INTS
        else frozenset()
    )
    results = tuple(_run_rule(plan, fp, reports, values, bad) for plan in fp.plans)
    return AuditResult(fmt.version, results)


def evaluate(
    fmt: ReportFormat,
    tables: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    next_report: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Every failed check (errors and warnings), in rule order."""
    return list(audit(fmt, tables, previous=previous, next_report=next_report).findings)


def passed_rules(
    fmt: ReportFormat,
    tables: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    next_report: Mapping[str, Any] | None = None,
) -> list[str]:
    """Ids of the rules that ran at least one check and had no finding."""
    return list(audit(fmt, tables, previous=previous, next_report=next_report).passed_rule_ids())


# -- the blank-cell convention for table 三 ---------------------------------------------------


def normalise_table3(table: Mapping[str, Any], fmt: ReportFormat | None = None) -> dict[str, dict[str, Any]]:
    """Apply the spec's blank-cell convention to a table 三 read from a *published* report.

    Published reports often leave zero cells blank, and some fill the 总计 column only on rows
    一, 二, （七） and 四 (the Shanghai municipal office's 2019 report does). The convention: a
    blank (``None`` or absent) cell in an applicant column counts as 0, while a blank 总计 cell is
    **computed** as the sum of the six applicant columns of its row; a 总计 cell that was filled
    in is kept as written, so :func:`evaluate` still checks it.

    Use it on tables transcribed or parsed from a published report before calling
    :func:`evaluate`. Do not use it on figures still being entered, where a blank means "not yet
    filled in" and should stay *not checkable*, nor on a table that is missing or unreadable
    altogether (that is not an all-zero table). Rows are those of ``fmt`` when given (absent
    rows become zero rows), otherwise the rows present in ``table``. Returns a new dict.
    """
    t3 = (fmt or load_formats()["2021"]).table_3  # the columns are the same in both formats
    applicant = [c.key for c in t3.applicant_columns()]
    out: dict[str, dict[str, Any]] = {k: dict(v) for k, v in table.items() if isinstance(v, Mapping)}
    rows = [r.key for r in t3.data_rows()] if fmt is not None else list(out)
    for row in rows:
        cells = out.setdefault(row, {})
        for c in applicant:
            if cells.get(c) is None:
                cells[c] = 0
        if cells.get(t3.TOTAL_COLUMN) is None:
            parts = [cells[c] for c in applicant]
            if all(isinstance(p, (int, float, Decimal)) and not isinstance(p, bool) for p in parts):
                cells[t3.TOTAL_COLUMN] = sum(parts)
    return out

"""Running a format's consistency rules on a report's tables: :func:`audit` and its two short forms.

Each rule is decided on the plan (:mod:`.plan`) where it can be: a one-cell rule for all its
positions at once from the smallest and largest value, any other position on integer cells as
linear sums. A position that fails, reads a decimal or cannot be checked goes to the full check
(:mod:`.full_check`), which alone builds the messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongkai.domain.consistency.binding import ABSENT, NOT_A_NUMBER, REPORT_NAMES, TABLE_NAMES, Cell, number
from gongkai.domain.consistency.full_check import TOLERANCE, Check, unchecked_message
from gongkai.domain.consistency.plan import FormatPlan, Plan, format_plan
from gongkai.domain.consistency.results import AuditResult, Finding, Number, RuleResult, Unchecked
from gongkai.domain.expressions import Compare, Ref
from gongkai.domain.report_format import ReportFormat

_INTS = {int}


def _bounds_hold(bounds: tuple[tuple[int, int, int], ...], lo: int, hi: int) -> bool:
    """Whether ``const + coef * v`` compares as ``op`` with 0 for every v in [lo, hi]."""
    for op, coef, const in bounds:
        a, b = const + coef * lo, const + coef * hi
        low, high = (a, b) if a <= b else (b, a)
        if (op == 0 and (low != 0 or high != 0)) or (op < 0 and high > 0) or (op > 0 and low < 0):
            return False
    return True


def _run_rule(
    plan: Plan, fp: FormatPlan, reports: Mapping[str, Any], values: list[Any], bad: frozenset[int]
) -> RuleResult:
    compiled = plan.compiled
    rule = compiled.rule
    title = plan.title
    if not isinstance(reports["current"].get(rule.table), Mapping):
        return RuleResult(rule, title, 0, skipped_reason=f"未提供{TABLE_NAMES.get(rule.table, rule.table)}")
    for other in compiled.cross_year:
        if reports.get(other) is None:
            return RuleResult(rule, title, 0, skipped_reason=f"未提供{REPORT_NAMES[other]}的数据，跨年度核对未运行")
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
            missing: dict[str, list[Cell]] = {"为空白": [], "未提供": [], "不是数字": []}
            for (ref, cell), i in zip(pos.cells.items(), pos.index):
                v = number(values[i])
                if v is None:
                    missing["为空白"].append(cell)
                elif v is ABSENT:
                    missing["未提供"].append(cell)
                elif v is NOT_A_NUMBER:
                    missing["不是数字"].append(cell)
                else:
                    numbers[ref] = v
            if any(missing.values()):
                message = unchecked_message(fp.labels, kind, pos.grid, pos.row, pos.col, missing)
                gone = tuple(dict.fromkeys(c.ref for cs in missing.values() for c in cs))
                unchecked.append(Unchecked(rule.id, pos.ordered, gone, message))
                continue
            run += 1
        # a failure on integers, or decimals: the full evaluation, and the message only now
        check = Check(
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
    fp = format_plan(fmt)
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


def row_breaks_error_rule(fmt: ReportFormat, table: str, sub: str | None, row: str, cells: Mapping[str, Any]) -> bool:
    """Whether ``{table: {sub: {row: cells}}}`` alone (no other row, no other report) breaks a
    rule of ``fmt`` whose severity is error: the same answer as ``any(f.severity == "error" for f
    in evaluate(fmt, that))``, without running every rule over the empty rest of the tables (a
    reader choosing among the readings of one row asks it per reading). Only the checks that read
    that row alone can fail there (:meth:`FormatPlan.in_row`); each is decided as :func:`audit`
    decides it: a blank, absent or non-numeric cell makes it not checkable, integers are summed,
    a failure or a decimal goes to the full check."""
    fp = format_plan(fmt)
    for plan, pos in fp.in_row(table, sub, row):
        raw = [cells.get(cell.col, ABSENT) for cell in pos.cells.values()]
        if all(type(v) is int for v in raw):
            get = dict(zip(pos.index, raw)).__getitem__
            for op, added, subtracted, const in pos.linear:
                d = sum(map(get, added)) - sum(map(get, subtracted)) + const
                if d and (op == 0 or (op < 0) == (d > 0)):
                    break
            else:
                continue  # passed
            numbers = dict(zip(pos.cells, raw))
        else:
            read = [number(v) for v in raw]
            if any(v is None or v is ABSENT or v is NOT_A_NUMBER for v in read):
                continue  # not checkable
            numbers = dict(zip(pos.cells, read))
        check = Check(
            plan.compiled, fp.labels, pos.grid, pos.row, pos.col, pos.cells, numbers, TOLERANCE if pos.decimal else 0
        )
        if check.failures(plan.compiled.expr):
            return True
    return False


def passed_rules(
    fmt: ReportFormat,
    tables: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    next_report: Mapping[str, Any] | None = None,
) -> list[str]:
    """Ids of the rules that ran at least one check and had no finding."""
    return list(audit(fmt, tables, previous=previous, next_report=next_report).passed_rule_ids())

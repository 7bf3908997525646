"""The full check: one rule at one position evaluated the straightforward way, with its message.

:class:`Check` evaluates the rule's expression on the position's numbers (integers exactly, a
decimal column within :data:`TOLERANCE`) and words the failure in Chinese; :func:`unchecked_message`
words a position that cannot be checked. The fast path of :mod:`.plan` and :mod:`.runner` decides
most positions without it and must agree with it (tests/unit/test_consistency.py holds the two to
each other with hypothesis).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongkai.domain.consistency.binding import Cell, CompiledRule, Grid
from gongkai.domain.consistency.labels import Labels, fmt_num
from gongkai.domain.consistency.results import Number
from gongkai.domain.expressions import And, BoolExpr, Compare, IsInteger, Num, NumExpr, Ref

TOLERANCE = Decimal("0.005")


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


@dataclass(frozen=True)
class Check:
    """One rule at one position, with its cells bound and read."""

    compiled: CompiledRule
    labels: Labels
    grid: Grid
    row: str | None
    col: str | None
    cells: dict[Ref, Cell]
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
                text += f"（{fmt_num(self.num(t))}）"
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
                    reasons.append({"==": "应等于", "<=": "应不大于", ">=": "应不小于"}[node.op] + fmt_num(r))  # type: ignore[union-attr]
            return f"{ctx}为{fmt_num(fails[0][1])}，{'，'.join(reasons)}{note}"
        left_text, right_text = _SIDE_TEXT.get(rule.id, (None, None))
        texts = []
        for node, v, r in fails:
            if isinstance(node, IsInteger):
                texts.append(f"{self.side(node.arg, None)}（{fmt_num(v)}）不是整数")
                continue
            assert isinstance(node, Compare) and r is not None
            text = f"{self.side(node.left, left_text)}（{fmt_num(v)}）{_FAILED_OP[node.op]}{self.side(node.right, right_text)}（{fmt_num(r)}）"
            if node.op == "==":
                text += f"，相差{fmt_num(abs(v - r))}"
            texts.append(text)
        body = "；".join(texts)
        return f"{ctx}：{body}{note}" if ctx else f"{body}{note}"


def unchecked_message(
    labels: Labels, kind: str, grid: Grid, row: str | None, col: str | None, bad: dict[str, list[Cell]]
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

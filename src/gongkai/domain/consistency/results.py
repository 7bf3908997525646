"""What an audit of the consistency rules returns: per rule a :class:`RuleResult`, per failed check a
:class:`Finding`, per check that could not run an :class:`Unchecked`, and the rules' Chinese titles."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from gongkai.domain.consistency.binding import TABLE_NAMES
from gongkai.domain.report_format import Rule, Severity

Number = int | Decimal
RuleStatus = Literal["passed", "failed", "not_checkable", "skipped"]


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
    return RULE_TITLES.get(rule.id) or f"{TABLE_NAMES.get(rule.table, rule.table)}：{rule.expr}"


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

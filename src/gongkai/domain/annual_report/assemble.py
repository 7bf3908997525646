"""Tables 二, 三 and 四 put together for one report year, and every rule of its format run on them.

:func:`assemble_tables` takes the three tables as counted (table 二 from the register and the
yearly figures, table 三 from the applications, table 四 from the review and litigation register)
and returns them in the shape :mod:`gongkai.domain.consistency` reads, refusing anything that is
not a complete table of the year's format: a report is never generated from a blank cell.

:func:`check_tables` runs the consistency evaluator and says, per rule, whether it passed. The
cross-year rules (this year's figures against last year's *published* report) are warnings in the
format; a mismatch is explained in a :class:`CrossYearNote` (the cells, both years' figures, the
difference and the usual causes) and never hidden or "fixed" by changing this year's figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from gongkai.domain.consistency import AuditResult, Finding, RuleResult, audit
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import FIRST_STANDARD_YEAR, ReportFormat, Rule, format_for_year

Tables = dict[str, Any]
CrossYearStatus = Literal["passed", "mismatch", "no_previous"]

_CROSS_YEAR_PREFIXES = ("previous_report.", "next_report.")


class IncompleteTables(DomainError):
    """A table handed to :func:`assemble_tables` lacks cells of the year's format, or has others."""

    code = "incomplete_tables"

    def __init__(self, year: int, missing: list[str], unexpected: list[str]):
        self.year = year
        self.missing = missing
        self.unexpected = unexpected
        parts = []
        if missing:
            parts.append(f"缺少或不是数字的单元格{len(missing)}处：{'；'.join(_listing(missing))}")
        if unexpected:
            parts.append(f"不属于{year}年度报告格式的单元格{len(unexpected)}处：{'；'.join(_listing(unexpected))}")
        super().__init__(f"{year}年度报告的表格不完整，无法生成报告。" + "。".join(parts) + "。")


def _listing(items: list[str], limit: int = 12) -> list[str]:
    return items[:limit] + ([f"等（另有{len(items) - limit}处）"] if len(items) > limit else [])


# -- assembling ---------------------------------------------------------------------------------


def _number(raw: Any) -> int | Decimal | None:
    """The cell as int or Decimal; None when it is blank or not a number (bool is not a number)."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    return None


def _row(table: Any, key: str) -> Any:
    return table.get(key) if isinstance(table, Mapping) else None


def assemble_tables(
    year: int, *, table2: Mapping[str, Any], table3: Mapping[str, Any], table4: Mapping[str, Any]
) -> Tables:
    """``{"table_2": …, "table_3": …, "table_4": …}`` for ``year``, in the order of its format.

    Every cell of the year's format must be present and a number (int, Decimal; a finite float is
    read as a Decimal); a cell the format does not have is refused too (it would be dropped
    silently otherwise, e.g. a 2021 table 三 given for 2020). Raises :class:`IncompleteTables`
    (a DomainError) naming every such cell with its printed labels.
    """
    fmt = format_for_year(year)
    missing: list[str] = []
    unexpected: list[str] = []

    t2: dict[str, dict[str, dict[str, Any]]] = {}
    for sub in fmt.table_2.subtables:
        given_sub = _row(table2, sub.id)
        t2[sub.id] = {}
        for r in sub.rows:
            given_row = _row(given_sub, r.key)
            t2[sub.id][r.key] = {}
            for c in sub.columns:
                v = _number(_row(given_row, c.key))
                if v is None:
                    missing.append(f"表二{sub.caption}“{r.label}”行“{c.label}”列")
                t2[sub.id][r.key][c.key] = v
            unexpected += [
                f"表二{sub.caption}“{r.label}”行的“{k}”" for k in _extra(given_row, [c.key for c in sub.columns])
            ]
        unexpected += [f"表二{sub.caption}的行“{k}”" for k in _extra(given_sub, [r.key for r in sub.rows])]
    unexpected += [f"表二的子表“{k}”" for k in _extra(table2, [s.id for s in fmt.table_2.subtables])]

    t3f = fmt.table_3
    t3: dict[str, dict[str, Any]] = {}
    for r in t3f.data_rows():
        given_row = _row(table3, r.key)
        t3[r.key] = {}
        for c in t3f.columns:
            v = _number(_row(given_row, c.key))
            if v is None:
                missing.append(f"表三“{r.label}”行“{c.label}”列")
            t3[r.key][c.key] = v
        unexpected += [f"表三“{r.label}”行的“{k}”" for k in _extra(given_row, [c.key for c in t3f.columns])]
    unexpected += [f"表三的行“{k}”" for k in _extra(table3, [r.key for r in t3f.data_rows()])]

    t4: dict[str, Any] = {}
    for c in fmt.table_4.columns:
        v = _number(_row(table4, c.key))
        if v is None:
            missing.append(f"表四{fmt.table_4.column_heading(c.key)}")
        t4[c.key] = v
    unexpected += [f"表四的列“{k}”" for k in _extra(table4, [c.key for c in fmt.table_4.columns])]

    if missing or unexpected:
        raise IncompleteTables(year, missing, unexpected)
    return {"table_2": t2, "table_3": t3, "table_4": t4}


def _extra(given: Any, keys: list[str]) -> list[str]:
    if not isinstance(given, Mapping):
        return []
    known = set(keys)
    return [str(k) for k in given if k not in known]


# -- checking -----------------------------------------------------------------------------------


class RuleLine(NamedTuple):
    """One rule for display: (rule id, Chinese title, status, message)."""

    rule: str
    title: str
    status: str  # passed | failed | not_checkable | skipped (consistency.RuleStatus)
    message: str


@dataclass(frozen=True)
class CrossYearMismatch:
    """One position of a cross-year rule where this year's figure does not follow from last year's."""

    cells: tuple[str, ...]  # the consistency refs, e.g. table_3.carried_over.total
    where: str  # the position in Chinese, e.g. 表三“总计”列
    this_year: int | Decimal  # the figure this year's table states
    expected: int | Decimal  # the figure last year's report implies
    last_year: int | Decimal  # last year's figure itself, as published
    difference: int | Decimal  # this_year - expected
    explanation: str  # Chinese: cells, both figures, the difference, the usual causes


@dataclass(frozen=True)
class CrossYearNote:
    rule: str
    title: str
    status: CrossYearStatus
    message: str  # Chinese, always filled: what was compared, or why nothing could be
    mismatches: tuple[CrossYearMismatch, ...] = ()


@dataclass(frozen=True)
class TableCheck:
    year: int
    result: AuditResult  # this year's rules (cross-year ones with last year's report when given)
    rules: list[RuleLine]
    cross_year: list[CrossYearNote]

    @property
    def ok(self) -> bool:
        """No error-severity rule failed and none was left unchecked or unrun (blank or missing
        cells): an approval can rely on it. Cross-year rules are warnings and never make it False."""
        for r in self.result.rules:
            if r.rule.severity != "error":
                continue
            if r.findings or r.unchecked or r.status in ("skipped", "not_checkable"):
                return False
        return True

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.result.errors

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self.result.warnings


def _rule_message(r: RuleResult) -> str:
    details = [f.message for f in r.findings] + [u.message for u in r.unchecked]
    return r.summary + ("：" + "；".join(details) if details else "")


def _is_cross_year(rule: Rule) -> bool:
    return any(p in rule.expr for p in _CROSS_YEAR_PREFIXES)


def check_tables(
    year: int, tables: Mapping[str, Any], *, previous_tables: Mapping[str, Any] | None = None
) -> TableCheck:
    """Every rule of ``year``'s format on ``tables``; ``previous_tables`` is last year's published
    report (same agency), which the cross-year rules compare with."""
    fmt = format_for_year(year)
    result = audit(fmt, tables, previous=previous_tables)
    notes = {
        r.rule.id: _cross_year_note(fmt, year, r, tables, previous_tables)
        for r in result.rules
        if _is_cross_year(r.rule)
    }
    lines = []
    for r in result.rules:
        note = notes.get(r.rule.id)
        if note is not None and "next_report." in r.rule.expr:
            # run from last year's side (see _backward_note): the note, not the unrun rule, says how it went
            lines.append(RuleLine(r.rule.id, r.title, _BACKWARD_STATUS[note.status], note.message))
        else:
            lines.append(RuleLine(r.rule.id, r.title, r.status, _rule_message(r)))
    return TableCheck(year, result, lines, list(notes.values()))


_BACKWARD_STATUS = {"passed": "passed", "mismatch": "failed", "no_previous": "skipped"}


# -- cross-year notes ---------------------------------------------------------------------------

_CAUSES = {
    "t3_carry_continuity": (
        "常见原因：上一年度已公开的报告数字有误（例如结转件数填错）；有申请在年度之间被重新登记、撤销登记或更改了收到日期、办结日期；"
        "上年结转的申请在本系统中被当作本年新收申请登记；上一年度报告不是在本系统中生成的，统计口径不同。"
    ),
    "t2_in_force_continuity": (
        "常见原因：有文件因有效期届满等原因失效，但没有废止决定（已失效的文件不计入本年废止件数，却不再计入现行有效件数）；"
        "上一年度已公开的报告数字有误；以前年度的文件本年才补录进文件登记，或签发日期、有效性被追溯更改；上一年度报告的统计口径不同。"
    ),
    "t2_item_continuity": (
        "常见原因：上一年度已公开的报告数字有误；事项清单在年度之间作了调整，但未计入“本年增/减”；两年的统计口径不同。"
    ),
}
_ADVICE = "请查明原因，在报告中如实说明；不要为凑齐数字而改动本年度按实际数据统计的结果。"


def _no_previous_message(year: int) -> str:
    if year - 1 < FIRST_STANDARD_YEAR:
        return f"{year - 1}年度报告不适用统一表格格式，没有可衔接的数字，本项不核对。"
    return f"未提供{year - 1}年度报告的表格，本项未核对。请导入或录入上一年度已公开报告的数字后再核对。"


def _cross_year_note(
    fmt: ReportFormat, year: int, r: RuleResult, tables: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> CrossYearNote:
    rule = r.rule
    if "next_report." in rule.expr:
        return _backward_note(year, r, tables, previous)
    if previous is None or r.status == "skipped":
        return CrossYearNote(rule.id, r.title, "no_previous", _no_previous_message(year))
    return _note(fmt, year, r, tables, previous, _not_comparable_reason(fmt, year, rule.id))


def _note(
    fmt: ReportFormat, year: int, r: RuleResult, tables: Mapping[str, Any], previous: Mapping[str, Any], reason: str
) -> CrossYearNote:
    """The note of a cross-year rule that ran (``fmt`` is the format the rule was run in)."""
    rule_id, title, last = r.rule.id, r.title, year - 1
    details = "；".join(u.message for u in r.unchecked)
    unchecked = f"另有{len(r.unchecked)}处无法核对（{details}）。" if r.unchecked else ""
    if r.findings:
        mismatches = tuple(_mismatch(fmt, year, rule_id, f, tables, previous) for f in r.findings)
        lead = (
            f"与{last}年度报告不衔接，共{len(mismatches)}处，均已列出说明"
            f"（跨年度核对为提示，不影响本年度表格的勾稽关系）。{unchecked}"
        )
        return CrossYearNote(rule_id, title, "mismatch", lead, mismatches)
    if r.checks_run and not r.unchecked:
        return CrossYearNote(rule_id, title, "passed", f"与{last}年度报告衔接一致：检查{r.checks_run}处，全部相符。")
    if r.checks_run:
        msg = f"与{last}年度报告部分核对：检查{r.checks_run}处，全部相符；{unchecked}{reason}"
        return CrossYearNote(rule_id, title, "passed", msg)
    # nothing comparable: say why (e.g. a previous report in the older format, or blank cells)
    return CrossYearNote(rule_id, title, "no_previous", f"无法与{last}年度报告衔接核对：{reason or details}")


def _not_comparable_reason(fmt: ReportFormat, year: int, rule_id: str) -> str:
    if (
        rule_id == "t2_in_force_continuity"
        and year - 1 >= FIRST_STANDARD_YEAR
        and format_for_year(year - 1).version != fmt.version
    ):
        return (
            f"{year - 1}年度报告采用2019年试行格式，表二第二十条第（一）项统计的是“对外公开总数量”，没有“现行有效件数”，"
            f"两者口径不同，不能衔接。"
        )
    return "上一年度报告中相应的数字空白或缺失。"


def _backward_note(
    year: int, r: RuleResult, tables: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> CrossYearNote:
    """A rule written from last year's side (``next_report.x == x + …``, the 2019 format's item
    count): run it on last year's report, with this year's as its next report."""
    rule = r.rule
    if year - 1 < FIRST_STANDARD_YEAR or previous is None:
        return CrossYearNote(rule.id, r.title, "no_previous", _no_previous_message(year))
    prev_fmt = format_for_year(year - 1)
    if not any(x.id == rule.id for x in prev_fmt.rules):
        return CrossYearNote(rule.id, r.title, "no_previous", f"{year - 1}年度报告的格式没有这项核对，本项不核对。")
    ran = next(x for x in audit(prev_fmt, previous, next_report=tables).rules if x.rule.id == rule.id)
    if ran.status == "skipped":
        return CrossYearNote(rule.id, r.title, "no_previous", _no_previous_message(year))
    return _note(prev_fmt, year, ran, tables, previous, "上一年度或本年度报告中相应的数字空白或缺失。")


def _cell(tables: Mapping[str, Any], ref: str) -> Any:
    node: Any = tables
    for k in ref.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(k)
    return node


def _value(tables: Mapping[str, Any], previous: Mapping[str, Any], ref: str) -> Any:
    for prefix, source in (("previous_report.", previous), ("next_report.", tables)):
        if ref.startswith(prefix):
            return _cell(source, ref[len(prefix) :])
    return _cell(tables, ref)


def _n(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)


def _mismatch(
    fmt: ReportFormat, year: int, rule_id: str, f: Finding, tables: Mapping[str, Any], previous: Mapping[str, Any]
) -> CrossYearMismatch:
    last = year - 1
    refs = f.cells
    if rule_id == "t3_carry_continuity":
        this_ref = next(c for c in refs if c.startswith("table_3.carried_over."))
        prev_ref = next(c for c in refs if c.startswith("previous_report.table_3.carry_forward."))
        col = this_ref.rsplit(".", 1)[1]
        col_label = fmt.table_3.column(col).label
        this, prev = _value(tables, previous, this_ref), _value(tables, previous, prev_ref)
        diff = this - prev
        where = f"表三“{col_label}”列"
        text = (
            f"{where}：本年度“二、上年结转政府信息公开申请数量”为{_n(this)}件，而{last}年度报告“四、结转下年度继续办理”为{_n(prev)}件，"
            f"两者应当相等，本年度{'多' if diff > 0 else '少'}{_n(abs(diff))}件。{_CAUSES[rule_id]}{_ADVICE}"
        )
        return CrossYearMismatch(refs, where, this, prev, prev, diff, text)
    if rule_id == "t2_in_force_continuity":
        base = next(c for c in refs if c.startswith("table_2.") and c.endswith(".in_force"))
        stem = base[: -len(".in_force")]  # table_2.art20_1.<row>
        row = stem.rsplit(".", 1)[1]
        sub = fmt.table_2.subtable("art20_1")
        row_label = sub.row(row).label
        this = _value(tables, previous, base)
        prev = _value(tables, previous, "previous_report." + base)
        made = _value(tables, previous, stem + ".made")
        repealed = _value(tables, previous, stem + ".repealed")
        expected = prev + made - repealed
        diff = this - expected
        where = f"表二{sub.caption}“{row_label}”行"
        text = (
            f"{where}：本年度“现行有效件数”为{_n(this)}件；按{last}年度报告的“现行有效件数”{_n(prev)}件，加本年制发{_n(made)}件、"
            f"减本年废止{_n(repealed)}件，应为{_n(expected)}件，本年度{'多' if diff > 0 else '少'}{_n(abs(diff))}件。"
            f"{_CAUSES[rule_id]}{_ADVICE}"
        )
        return CrossYearMismatch(refs, where, this, expected, prev, diff, text)
    if rule_id == "t2_item_continuity":
        # run on last year's report: cells are table_2.<sub>.<row>.items_last_year / change_this_year
        # (last year's) and next_report.table_2.<sub>.<row>.items_last_year (this year's)
        this_ref = next(c for c in refs if c.startswith("next_report."))
        stem = this_ref[len("next_report.") : -len(".items_last_year")]
        _, sub_id, row = stem.split(".")
        sub = fmt.table_2.subtable(sub_id)
        this = _cell(tables, this_ref[len("next_report.") :])
        prev_items = _cell(previous, stem + ".items_last_year")
        change = _cell(previous, stem + ".change_this_year")
        expected = prev_items + change
        diff = this - expected
        where = f"表二{sub.caption}“{sub.row(row).label}”行"
        text = (
            f"{where}：本年度“上一年项目数量”为{_n(this)}；按{last}年度报告的“上一年项目数量”{_n(prev_items)}加“本年增/减”{_n(change)}，"
            f"应为{_n(expected)}，相差{_n(abs(diff))}。{_CAUSES[rule_id]}{_ADVICE}"
        )
        return CrossYearMismatch(refs, where, this, expected, prev_items, diff, text)
    # a cross-year rule this module has no wording for: the evaluator's own message
    this = f.actual if f.actual is not None else 0
    expected = f.expected if f.expected is not None else 0
    return CrossYearMismatch(
        refs, "、".join(refs), this, expected, expected, this - expected, f"{f.message}。{_ADVICE}"
    )

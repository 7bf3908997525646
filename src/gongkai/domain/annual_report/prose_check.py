"""The figures the prose quotes, checked against the tables before approval.

No second prose parser: the report is rendered as Markdown (:func:`markdown.as_markdown`) and read
by the audit reader (:mod:`gongkai.domain.audit`), exactly as a published report would be. Its
findings about the prose are kept:

- ``prose_table_mismatch``: a figure the prose states differs from the table (收到申请5件 while
  表三 says 4; also 上年结转, 办结, 结转下年度, 不掌握, 行政复议, 行政诉讼). Its severity is the
  reader's: an error, or a warning when the figure equals new plus carried-over applications;
- ``parts_sum_mismatch`` with severity error: the parts listed after 其中 add up to more than
  their whole (a contradiction inside the prose; the "fewer" case is only informational and left out).

The reader compares the figures of tables 三 and 四 only; the decisions of table 二 (行政许可、行政处罚、
行政强制决定N件, 行政事业性收费N万元) are read here from the sections themselves
(:func:`table2_problems`), the same way: exact figures only, reported as ``prose_table_mismatch`` with
the cell compared.

Each finding's text span is mapped back to the section it lies in (``preamble`` for the opening
paragraph). Figures stated approximately (近/约/余…) are never compared. A correct quote gives no
problem.

The reader is built for published reports of any shape, so the copy it checks is made safe first
(:func:`checked_copy`: prose sub-headings written like section titles, pipes), and the check
refuses to answer (:class:`ReportNotReadable`) rather than pass every figure if it ever failed to
read a table back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.markdown import as_markdown
from gongkai.domain.audit import AuditReport, audit_raw
from gongkai.domain.audit.model import AuditFinding, RawDocument, Span
from gongkai.domain.audit.sources import read_markdown
from gongkai.domain.errors import DomainError

PROSE_RULES = ("prose_table_mismatch", "parts_sum_mismatch")


@dataclass(frozen=True)
class ProseProblem:
    section_key: str  # overview | problems | other | preamble
    quoted: str  # the words of the prose the figure was read from, e.g. 本年度共收到政府信息公开申请5件
    stated: Any  # the figure the prose states
    expected: Any  # the figure the table (or the whole) says
    message: str  # Chinese
    rule: str = "prose_table_mismatch"
    severity: str = "error"
    cells: tuple[str, ...] = ()  # the table cells compared with, e.g. table_3.new_received.total


class ReportNotReadable(DomainError):
    """The reader did not get the tables back from the report's text (a bug, never the clerk's)."""

    code = "report_not_readable"


# A line (or sentence) opening with 二、… is a heading to the reader, which takes the first heading
# of each kind as the section: prose sub-headings such as 二、依申请公开 would claim a section.
_HEADING_LIKE = re.compile(r"(^|[ \t\n。；;])([一二三四五六七八九十]{1,2})[ \t]*[、．.]")


def checked_copy(content: ReportContent) -> ReportContent:
    """The content as the reader checks it: prose headings written 二、 become （二）, the usual
    sub-heading style, and a pipe becomes a full-width ｜ so no prose line reads as a table row.
    Figures and the words around them are untouched; the published text is never changed."""

    def clean(text: str) -> str:
        return _HEADING_LIKE.sub(lambda m: f"{m.group(1)}（{m.group(2)}）", text.replace("|", "｜"))

    return replace(
        content,
        sections={k: clean(v or "") for k, v in content.sections.items()},
        preamble=clean(content.preamble),
    )


def read_back(content: ReportContent) -> AuditReport:
    """The audit reader's reading of the report (its checked copy), as Markdown.

    The text is read as Markdown outright rather than sniffed (``read_source`` would take prose
    quoting a few HTML tags for an HTML page and lose the tables, and then find nothing to compare).
    """
    text = as_markdown(checked_copy(content))
    raw: RawDocument = read_markdown(text)
    return audit_raw(raw)


def _section_of(report: AuditReport, span: Span, keys: set[str]) -> str:
    first_start = None
    for key, sec in report.sections.items():
        if sec is None or key not in keys:
            continue
        if sec.start <= span.start < sec.end:
            return key
        first_start = sec.start if first_start is None else min(first_start, sec.start)
    if first_start is not None and span.start < first_start:
        return "preamble"
    return ""


def _kept(f: AuditFinding) -> bool:
    if f.rule not in PROSE_RULES:
        return False
    return f.rule == "prose_table_mismatch" or f.severity == "error"  # parts falling short: info only


def check_prose(content: ReportContent) -> list[ProseProblem]:
    """Every figure quoted in the prose that contradicts the tables (or its own whole), in text order."""
    report = read_back(content)
    lost = [t for t in ("table_2", "table_3", "table_4") if content.tables.get(t) and not report.tables.get(t)]
    if lost:  # comparing with no table would pass every figure: refuse instead
        raise ReportNotReadable(f"核对正文数字时未能读回表格（{'、'.join(lost)}），请联系管理员")
    keys = {s.key for s in content.fmt.sections}
    problems: list[tuple[int, ProseProblem]] = []
    for f in report.findings:
        if not _kept(f) or not f.spans:
            continue
        span = f.spans[0]  # the prose figure (or the whole) comes first; table cells follow
        problems.append(
            (
                span.start,
                ProseProblem(
                    section_key=_section_of(report, span, keys),
                    quoted=span.text.strip(),
                    stated=_plain(f.actual),
                    expected=_plain(f.expected),
                    message=f.message,
                    rule=f.rule,
                    severity=f.severity,
                    cells=f.cells,
                ),
            )
        )
    problems.sort(key=lambda p: p[0])
    found = [p for _, p in problems]
    seen = {(p.section_key, p.quoted) for p in found}
    return found + [p for p in table2_problems(content) if (p.section_key, p.quoted) not in seen]


# -- table 二: the decisions and the fees, which the reader does not compare ------------------------

# 行政处罚决定3件, 行政许可共12件, 行政强制决定数量为0件; not 近/约 3件, 3余件, 3件左右.
_APPROX_BEFORE = "近约逾超过"
_DECISION = re.compile(
    r"(?P<label>行政许可|行政处罚|行政强制)(?:决定)?(?:书)?(?:共|数量|为|是|：|:|\s)*"
    r"(?P<n>[0-9]+)\s*(?:件|个|项)(?P<after>余|多|左右)?"
)
_FEE = re.compile(r"行政事业性收费(?:共|金额|为|：|:|\s)*(?P<n>[0-9]+(?:\.[0-9]+)?)\s*万元(?P<after>余|多|左右)?")
_DECISION_CELLS = {
    "行政许可": ("art20_5", "administrative_licensing"),
    "行政处罚": ("art20_6", "administrative_penalty"),
    "行政强制": ("art20_6", "administrative_coercion"),
}


def _cell(tables: Any, *path: str) -> Any:
    node = tables
    for k in path:
        node = node.get(k) if isinstance(node, dict) or hasattr(node, "get") else None
    return node


def _approximate(text: str, start: int, after: str | None) -> bool:
    return bool(after) or (start > 0 and text[start - 1] in _APPROX_BEFORE)


def _texts(content: ReportContent) -> Iterator[tuple[str, str]]:
    yield "preamble", content.preamble or ""
    for key, text in content.sections.items():
        yield key, text or ""


def table2_problems(content: ReportContent) -> list[ProseProblem]:
    """Figures of table 二 quoted in the prose that differ from the table (exact figures only)."""
    t2 = content.tables.get("table_2") or {}
    out: list[ProseProblem] = []
    for key, text in _texts(content):
        for m in _DECISION.finditer(text):
            if _approximate(text, m.start("n"), m.group("after")):
                continue
            sub, row = _DECISION_CELLS[m.group("label")]
            expected = _cell(t2, sub, row, "decisions")
            stated = int(m.group("n"))
            if isinstance(expected, (int, Decimal)) and not isinstance(expected, bool) and stated != expected:
                out.append(
                    ProseProblem(
                        section_key=key,
                        quoted=m.group(0),
                        stated=stated,
                        expected=_plain(expected),
                        message=f"正文称“{m.group(0)}”，表二{m.group('label')}“本年处理决定数量”为{_plain(expected)}",
                        cells=(f"table_2.{sub}.{row}.decisions",),
                    )
                )
        for m in _FEE.finditer(text):
            if _approximate(text, m.start("n"), m.group("after")):
                continue
            expected = _cell(t2, "art20_8", "administrative_fees", "fee_amount")
            try:
                stated = Decimal(m.group("n"))
            except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
                continue
            if isinstance(expected, (int, Decimal)) and not isinstance(expected, bool) and stated != Decimal(expected):
                out.append(
                    ProseProblem(
                        section_key=key,
                        quoted=m.group(0),
                        stated=stated,
                        expected=expected,
                        message=f"正文称“{m.group(0)}”，表二行政事业性收费“本年收费金额”为{expected}万元",
                        cells=("table_2.art20_8.administrative_fees.fee_amount",),
                    )
                )
    return out


def _plain(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v

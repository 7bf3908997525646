"""The figures the prose quotes, checked against the tables before approval.

No second prose parser: the report is rendered as Markdown (:func:`markdown.as_markdown`) and read
by the audit reader (:mod:`gongkai.domain.audit`), exactly as a published report would be. Its
findings about the prose are kept:

- ``prose_table_mismatch``: a figure the prose states differs from the table (收到申请5件 while
  表三 says 4; also 上年结转, 办结, 结转下年度, 不掌握, 行政复议, 行政诉讼). Its severity is the
  reader's: an error, or a warning when the figure equals new plus carried-over applications;
- ``parts_sum_mismatch`` with severity error: the parts listed after 其中 add up to more than
  their whole (a contradiction inside the prose; the "fewer" case is only informational and left out).

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
from dataclasses import dataclass, replace
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
    return [p for _, p in problems]


def _plain(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v

"""Rules of the supervisor's desk (上级政务公开办), in plain Python.

- ``report_due(year)``: the day a department's report of ``year`` must be published by — 31 January
  of the following year (条例第四十九条: 县级以上人民政府部门 submit it to the same-level
  主管部门 and publish it "每年1月31日前"; the day itself counts as in time).
- ``timeliness(year, published_on, today)``: on time, late, not yet due or overdue.
- ``oversight_tree(root, edges)``: the agencies an office oversees on every level below it
  (a city office oversees district offices, which oversee their departments and towns), each
  with its depth and the office it answers to; a cycle in the data is cut, never followed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

ARTICLE = "条例第四十九条"


def report_due(year: int) -> date:
    return date(year + 1, 1, 31)


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_DUE = "not_due"  # nothing received yet, and 31 January has not passed
    MISSING = "missing"  # nothing received, and 31 January has passed

    @property
    def label(self) -> str:
        return _TIMELINESS_LABELS[self]


_TIMELINESS_LABELS = {
    Timeliness.ON_TIME: "按时公开",
    Timeliness.LATE: "逾期公开",
    Timeliness.NOT_DUE: "未到期限",
    Timeliness.MISSING: "逾期未公开",
}


def timeliness(year: int, published_on: date | None, *, today: date) -> Timeliness:
    due = report_due(year)
    if published_on is None:
        return Timeliness.MISSING if today > due else Timeliness.NOT_DUE
    return Timeliness.ON_TIME if published_on <= due else Timeliness.LATE


def days_late(year: int, published_on: date | None, *, today: date) -> int:
    """Calendar days past 31 January: to the publication, or to today while nothing is published."""
    end = published_on or today
    return max(0, (end - report_due(year)).days)


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    is_office: bool  # a supervising office (政务公开主管部门), itself overseeing others


@dataclass(frozen=True)
class Overseen:
    id: int
    depth: int  # 1: directly overseen
    parent_id: int  # the office it answers to
    is_office: bool


def oversight_tree(root: int, nodes: Iterable[Node]) -> list[Overseen]:
    """Everything below ``root``, depth first, children in the order given (sort ``nodes`` first)."""
    children: dict[int, list[Node]] = {}
    for n in nodes:
        if n.parent_id is not None:
            children.setdefault(n.parent_id, []).append(n)
    out: list[Overseen] = []
    seen = {root}

    def walk(parent: int, depth: int) -> None:
        for child in children.get(parent, ()):
            if child.id in seen:  # a loop in supervised_by: cut it
                continue
            seen.add(child.id)
            out.append(Overseen(child.id, depth, parent, child.is_office))
            if child.is_office:
                walk(child.id, depth + 1)

    walk(root, 1)
    return out


def rate(part: int, whole: int) -> float | None:
    """A share in per cent with one decimal, None when there is nothing to measure."""
    return None if whole == 0 else round(100.0 * part / whole, 1)


# -- comparison: the figures of a report's tables, and what the figures alone can prove -----------------

# the kinds of outcome of table 三 (办理结果), in its order
OUTCOME_LABELS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")

# the version of the figures kept on a filing (``ReportFiling.figures``): figures kept by an older
# version lack fields and are read again from the audit
FIGURES_VERSION = 2


@dataclass(frozen=True)
class Figures:
    """The figures of one report (agency and year) the comparison shows, read from its tables in the
    shape of ``gongkai.domain.consistency`` (table_3: row → column → n; table_4: column → n) and from
    its prose (the audit's reading of it). None where the report has no number."""

    received: int | None
    results: int | None
    granted: int | None  # 予以公开 and 部分公开
    reviews: int | None
    reviews_corrected: int | None
    lawsuits: int | None
    lawsuits_corrected: int | None
    # the outcome mix of table 三 (its rows summed by kind); None where the rows are missing
    granted_full: int | None = None  # （一）予以公开
    partial: int | None = None  # （二）部分公开
    withheld: int | None = None  # （三）不予公开
    unable: int | None = None  # （四）无法提供
    not_processed: int | None = None  # （五）不予处理
    other_handled: int | None = None  # （六）其他处理
    # 规章 and 规范性文件 made in the year (table 二, 第二十条第（一）项)
    documents: int | None = None
    # the 信息处理费 the prose states, in 元 (0 for a statement that none was collected)
    fee: float | None = None
    # the applications received as the prose states them (the largest figure), and the words
    prose_received: int | float | None = None
    prose_received_text: str = ""

    @property
    def granted_rate(self) -> float | None:
        return None if self.results is None or self.granted is None else rate(self.granted, self.results)

    @property
    def corrected_rate(self) -> float | None:
        """纠正 among the concluded reviews and lawsuits (those not pending); only the kinds whose
        纠正 count is known are counted (a pre-2019 report gives cases, not outcomes)."""
        pairs = [(self.reviews, self.reviews_corrected), (self.lawsuits, self.lawsuits_corrected)]
        known = [(n, c) for n, c in pairs if n is not None and c is not None]
        total = sum(n for n, _ in known)
        return rate(sum(c for _, c in known), total) if total else None

    @property
    def outcome_mix(self) -> list[tuple[str, int | None]]:
        values = (self.granted_full, self.partial, self.withheld, self.unable, self.not_processed, self.other_handled)
        return list(zip(OUTCOME_LABELS, values, strict=True))


def _n(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sum(values: Iterable[int | None]) -> int | None:
    """The sum of the numbers given, None when none is a number."""
    values = list(values)
    return None if all(v is None for v in values) else sum(v or 0 for v in values)


_OUTCOME_ROWS = {
    "withheld": "withheld_",
    "unable": "unable_",
    "not_processed": "not_processed_",
    "other_handled": "other_",
}


@dataclass(frozen=True)
class ProseStatement:
    """A figure the prose states, as the audit reads it (``domain.audit.model.ProseFigure``)."""

    key: str
    value: int | float
    unit: str = ""
    approximate: bool = False
    label: str = ""


def prose_statements(text: str) -> list[ProseStatement]:
    """The figures stated in a report's normalised text (``AuditedReport.text``), read by the
    audit's own prose reader: the same figures its prose-against-tables check compared."""
    from gongkai.domain.audit.normalise import Document
    from gongkai.domain.audit.prose import read_prose

    doc = Document(name="", kind="text", original=text, text=text, offsets=list(range(len(text) + 1)))
    return [
        ProseStatement(f.key, f.value, f.unit, f.approximate, f.label)
        for f in read_prose(doc).figures
        if f.key in ("applications_received", "info_fee")
    ]


def _fee(prose: list[ProseStatement]) -> float | None:
    """The first exact statement of the fee (a report states it once, in 六、其他需要报告的事项)."""
    fee = next((p for p in prose if p.key == "info_fee" and not p.approximate), None)
    return None if fee is None else float(fee.value * (10000 if fee.unit == "万元" else 1))


def figures_of(tables: dict, *, prose: list[ProseStatement] = (), old_stats: dict | None = None) -> Figures:
    t3 = tables.get("table_3") or {}
    t4 = tables.get("table_4") or {}
    t2 = tables.get("table_2") or {}

    def total(row: str) -> int | None:
        return _n((t3.get(row) or {}).get("total"))

    def rows(prefix: str) -> int | None:
        return _sum(total(k) for k in t3 if k.startswith(prefix))

    granted = [total("granted"), total("partially_granted")]

    def concluded(prefix: str) -> tuple[int | None, int | None]:
        parts = [_n(t4.get(f"{prefix}_{k}")) for k in ("maintained", "corrected", "other")]
        return _sum(parts), _n(t4.get(f"{prefix}_corrected"))

    reviews, reviews_corrected = concluded("review")
    direct, direct_corrected = concluded("litigation_direct")
    after, after_corrected = concluded("litigation_after_review")
    lawsuits = _sum([direct, after])
    lawsuits_corrected = _sum([direct_corrected, after_corrected])
    art20_1 = t2.get("art20_1") or {}
    documents = _sum(
        _n((art20_1.get(row) or {}).get(col))
        for row in ("regulations", "normative_documents")
        for col in ("made", "newly_made")
    )
    stated = [p for p in prose if p.key == "applications_received"]
    top = max(stated, key=lambda p: p.value, default=None)
    received = total("new_received")
    reviews_n, lawsuits_n, fee = reviews, lawsuits, _fee(prose)
    if not tables and old_stats:
        # a pre-2019 report: its statistics (a table of its own or the prose) give counts, not outcomes
        received = _n(old_stats.get("applications_received"))
        reviews_n = _n(old_stats.get("review_cases"))
        lawsuits_n = _n(old_stats.get("litigation_cases"))
        documents = _n(old_stats.get("normative_documents_published"))
    return Figures(
        received=received,
        results=total("results_total"),
        granted=_sum(granted),
        reviews=reviews_n,
        reviews_corrected=reviews_corrected,
        lawsuits=lawsuits_n,
        lawsuits_corrected=lawsuits_corrected,
        granted_full=total("granted"),
        partial=total("partially_granted"),
        **{name: rows(prefix) for name, prefix in _OUTCOME_ROWS.items()},
        documents=documents,
        fee=fee,
        prose_received=top.value if top else None,
        prose_received_text=top.label[:80] if top else "",
    )


QUIET_YEARS = 5


def _count(n: int | float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def outliers(history: dict[int, Figures], year: int) -> list[str]:
    """What the figures alone prove worth a look, for the report of ``year`` (``history``: the
    agency's figures by year), each with its evidence; a missing report or figure proves nothing:

    - every application concluded refused (不予公开), or none disclosed in whole or in part;
    - no application received for QUIET_YEARS years running by the tables, and whether the prose of
      those years says applications were received all the same;
    - every concluded review or lawsuit 纠正.
    """
    out = []
    f = history.get(year)
    if f is None:
        return out
    if f.results and f.withheld == f.results:
        out.append(f"办结{f.results}件申请，全部不予公开")
    elif f.results and f.granted == 0:
        parts = [(label, n) for label, n in f.outcome_mix[2:] if n]
        detail = "、".join(f"{label}{n}件" for label, n in parts)
        out.append(f"办结{f.results}件申请，无一予以公开或部分公开" + (f"（{detail}）" if detail else ""))
    span = range(year - QUIET_YEARS + 1, year + 1)
    quiet = [history.get(y) for y in span]
    if all(q is not None and q.received == 0 for q in quiet):
        said = [(y, q) for y, q in zip(span, quiet, strict=True) if q is not None and q.prose_received]
        if said:
            stated = "、".join(f"{y}年“{q.prose_received_text}”" for y, q in said)
            out.append(f"{span[0]}—{year}年连续{QUIET_YEARS}年表格中新收申请均为0件，而正文称收到申请：{stated}")
        else:
            out.append(f"连续{QUIET_YEARS}年未收到政府信息公开申请")
    if f.corrected_rate == 100.0:
        out.append("行政复议、行政诉讼结案的全部被纠正")
    return out

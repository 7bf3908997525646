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


@dataclass(frozen=True)
class Figures:
    """The figures of one report (agency and year) the comparison shows, read from its tables in the
    shape of ``gongkai.domain.consistency`` (table_3: row → column → n; table_4: column → n).
    None where the report's table has no number."""

    received: int | None
    results: int | None
    granted: int | None  # 予以公开 and 部分公开
    reviews: int | None
    reviews_corrected: int | None
    lawsuits: int | None
    lawsuits_corrected: int | None

    @property
    def granted_rate(self) -> float | None:
        return None if self.results is None or self.granted is None else rate(self.granted, self.results)

    @property
    def corrected_rate(self) -> float | None:
        """纠正 among the concluded reviews and lawsuits (those not pending)."""
        total = (self.reviews or 0) + (self.lawsuits or 0)
        corrected = (self.reviews_corrected or 0) + (self.lawsuits_corrected or 0)
        return rate(corrected, total) if total else None


def _n(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def figures_of(tables: dict) -> Figures:
    t3 = tables.get("table_3") or {}
    t4 = tables.get("table_4") or {}

    def total(row: str) -> int | None:
        return _n((t3.get(row) or {}).get("total"))

    granted = [total("granted"), total("partially_granted")]

    def concluded(prefix: str) -> tuple[int | None, int | None]:
        parts = [_n(t4.get(f"{prefix}_{k}")) for k in ("maintained", "corrected", "other")]
        done = None if all(p is None for p in parts) else sum(p or 0 for p in parts)
        return done, _n(t4.get(f"{prefix}_corrected"))

    reviews, reviews_corrected = concluded("review")
    direct, direct_corrected = concluded("litigation_direct")
    after, after_corrected = concluded("litigation_after_review")
    lawsuits = None if direct is None and after is None else (direct or 0) + (after or 0)
    lawsuits_corrected = (
        None
        if direct_corrected is None and after_corrected is None
        else (direct_corrected or 0) + (after_corrected or 0)
    )
    return Figures(
        received=total("new_received"),
        results=total("results_total"),
        granted=None if all(g is None for g in granted) else sum(g or 0 for g in granted),
        reviews=reviews,
        reviews_corrected=reviews_corrected,
        lawsuits=lawsuits,
        lawsuits_corrected=lawsuits_corrected,
    )


QUIET_YEARS = 5


def outliers(history: dict[int, Figures], year: int) -> list[str]:
    """What the figures alone prove worth a look, for the report of ``year`` (``history``: the
    agency's figures by year): every application concluded refused or otherwise not disclosed; no
    application received for QUIET_YEARS years running; every concluded review or lawsuit 纠正."""
    out = []
    f = history.get(year)
    if f is None:
        return out
    if f.results and f.granted == 0:
        out.append(f"办结{f.results}件申请，无一予以公开或部分公开")
    quiet = [history.get(y) for y in range(year - QUIET_YEARS + 1, year + 1)]
    if all(q is not None and q.received == 0 for q in quiet):
        out.append(f"连续{QUIET_YEARS}年未收到政府信息公开申请")
    if f.corrected_rate == 100.0:
        out.append("行政复议、行政诉讼结案的全部被纠正")
    return out

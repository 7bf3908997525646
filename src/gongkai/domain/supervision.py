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

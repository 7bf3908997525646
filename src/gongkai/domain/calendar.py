"""The official working-day calendar (工作日) that every statutory clock counts in.

A day is a working day when it is a make-up working day (调休上班), or a Monday–Friday outside
the official holiday ranges. The holiday arrangements are published once a year by the State
Council; a year whose notice has not been entered is *not covered* and any count that touches it
is refused with :class:`CalendarNotCovered`. Falling back to Monday–Friday would silently
produce wrong deadlines around the Spring Festival, which is worse than no deadline.

Counting conventions (see docs/ARCHITECTURE.md):

- ``"A"``: the day of receipt is day 0 and is not counted; the due date is the N-th working day
  after it, whatever kind of day the receipt day was.
- ``"B"``: a receipt on a non-working day is deemed received on the next working day, which
  becomes day 0.
"""

from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Iterable, Literal

from gongkai.domain.errors import CalendarNotCovered, DomainError, InvalidHolidayNotice

Convention = Literal["A", "B"]
CONVENTIONS: tuple[str, ...] = ("A", "B")
CONVENTION_LABELS = {
    "A": "收到当日为第0日，次日起算",
    "B": "非工作日收到的，顺延至下一工作日为第0日",
}

_ONE_DAY = timedelta(days=1)
_WEEKDAY_NAMES = "一二三四五六日"


def _weekday_name(d: date) -> str:
    return "星期" + _WEEKDAY_NAMES[d.weekday()]


@dataclass(frozen=True)
class HolidayRange:
    start: date
    end: date
    name: str = ""

    def days(self) -> Iterable[date]:
        d = self.start
        while d <= self.end:
            yield d
            d += _ONE_DAY


@dataclass(frozen=True)
class HolidayNotice:
    """One year's 国务院办公厅关于部分节假日安排的通知, amendments applied.

    ``year`` is the year the notice is *for*; its ranges may reach into the previous December
    (the 2019 notice starts on 2018-12-29).
    """

    year: int
    holidays: tuple[HolidayRange, ...]
    makeup_workdays: tuple[date, ...] = ()
    title: str = ""
    doc_no: str = ""

    def earliest_date(self) -> date:
        dates = [r.start for r in self.holidays] + list(self.makeup_workdays)
        return min([date(self.year, 1, 1), *dates])

    def problems(self) -> list[str]:
        """What is wrong with this notice, in Chinese; empty when it holds together."""
        out: list[str] = []
        lo = date(self.year - 1, 12, 1)
        hi = date(self.year + 1, 1, 31)
        window = f"{lo.isoformat()}至{hi.isoformat()}"
        if not self.holidays:
            out.append(f"{self.year}年节假日安排至少应包含一个放假时段")
        holiday_days: set[date] = set()
        for r in self.holidays:
            label = r.name or f"{r.start.isoformat()}起的放假时段"
            if r.end < r.start:
                out.append(f"“{label}”的结束日期{r.end.isoformat()}早于开始日期{r.start.isoformat()}")
                continue
            if r.start < lo or r.end > hi:
                out.append(f"“{label}”（{r.start.isoformat()}至{r.end.isoformat()}）超出{self.year}年前后一个月的范围（{window}）")
            holiday_days.update(r.days())
        seen: set[date] = set()
        for d in self.makeup_workdays:
            if d in seen:
                out.append(f"调休上班日{d.isoformat()}重复录入")
            seen.add(d)
            if d.weekday() < 5:
                out.append(f"调休上班日{d.isoformat()}是{_weekday_name(d)}，调休上班日应为周六或周日")
            if d in holiday_days:
                out.append(f"{d.isoformat()}既被录入为放假日又被录入为调休上班日")
            if d < lo or d > hi:
                out.append(f"调休上班日{d.isoformat()}超出{self.year}年前后一个月的范围（{window}）")
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidHolidayNotice(problems)


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of the years whose holiday notices have been entered.

    Build it with :meth:`official` (the notices shipped with gongkai) and add the notices an
    agency enters with :meth:`with_notices`. Instances are immutable; lookups use a sorted
    index of working days so counting is O(log n) whatever the period.
    """

    notices: tuple[HolidayNotice, ...]
    _holidays: frozenset[date] = field(init=False, repr=False, compare=False)
    _makeup: frozenset[date] = field(init=False, repr=False, compare=False)
    _years: frozenset[int] = field(init=False, repr=False, compare=False)
    _lead_in: dict[int, date] = field(init=False, repr=False, compare=False)
    _working: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_year: dict[int, HolidayNotice] = {}
        for n in self.notices:
            n.validate()
            by_year[n.year] = n  # a later notice for the same year replaces the earlier one
        notices = tuple(by_year[y] for y in sorted(by_year))
        holidays = {d for n in notices for r in n.holidays for d in r.days()}
        makeup = {d for n in notices for d in n.makeup_workdays}
        clash = sorted(holidays & makeup)
        if clash:
            raise InvalidHolidayNotice([f"{d.isoformat()}在不同年份的安排中既是放假日又是调休上班日" for d in clash])
        object.__setattr__(self, "notices", notices)
        object.__setattr__(self, "_holidays", frozenset(holidays))
        object.__setattr__(self, "_makeup", frozenset(makeup))
        object.__setattr__(self, "_years", frozenset(by_year))
        object.__setattr__(self, "_lead_in", {y: n.earliest_date() for y, n in by_year.items()})
        working: list[date] = []
        for y in sorted(by_year):
            d = by_year[y].earliest_date()
            while d.year <= y:
                if self._raw_is_working(d):
                    working.append(d)
                d += _ONE_DAY
        object.__setattr__(self, "_working", tuple(sorted(set(working))))

    # -- construction -------------------------------------------------------------------

    @classmethod
    def official(cls) -> "WorkingCalendar":
        """The notices shipped with gongkai (2019–2026)."""
        return _official_calendar()

    def with_notices(self, notices: Iterable[HolidayNotice]) -> "WorkingCalendar":
        """A calendar with ``notices`` added; a notice replaces a shipped one of the same year."""
        extra = tuple(notices)
        if not extra:
            return self
        return WorkingCalendar(self.notices + extra)

    # -- queries --------------------------------------------------------------------------

    @property
    def covered_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def covers(self, d: date) -> bool:
        if d.year in self._years:
            return True
        lead_in = self._lead_in.get(d.year + 1)
        return lead_in is not None and d >= lead_in

    def _require(self, d: date) -> None:
        if not self.covers(d):
            raise CalendarNotCovered(d.year)

    def _raw_is_working(self, d: date) -> bool:
        if d in self._makeup:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def is_working_day(self, d: date) -> bool:
        self._require(d)
        return self._raw_is_working(d)

    def day_kind(self, d: date) -> str:
        """'workday', 'makeup_workday', 'holiday' or 'weekend'."""
        self._require(d)
        if d in self._makeup:
            return "makeup_workday"
        if d in self._holidays:
            return "holiday"
        return "workday" if d.weekday() < 5 else "weekend"

    def day_zero(self, received: date, convention: str = "A") -> date:
        """The day a period is counted from, for a receipt on ``received``."""
        _check_convention(convention)
        if convention == "B" and not self.is_working_day(received):
            return self._nth_after(received, 1)
        self._require(received)
        return received

    def add_working_days(self, start: date, n: int, convention: str = "A") -> date:
        """The N-th working day after day 0 (see the module doc for the conventions)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day0 = self.day_zero(start, convention)
        return day0 if n == 0 else self._nth_after(day0, n)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._nth_after(d, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a. Both ends must be covered."""
        if b < a:
            return -self.working_days_between(b, a)
        self._require(a)
        self._require(b)
        self._require_years_between(a, b)
        return bisect.bisect_right(self._working, b) - bisect.bisect_right(self._working, a)

    # -- internals ------------------------------------------------------------------------

    def _require_years_between(self, a: date, b: date) -> None:
        for y in range(a.year, b.year + 1):
            if y not in self._years and not (y == a.year and self.covers(a) and (y + 1) in self._years):
                raise CalendarNotCovered(y)

    def _nth_after(self, d: date, n: int) -> date:
        self._require(d)
        i = bisect.bisect_right(self._working, d) + n - 1
        if i >= len(self._working):
            raise CalendarNotCovered(max(self._years) + 1)
        result = self._working[i]
        self._require_years_between(d, result)
        return result


def _check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise DomainError(f"未知的期限计算规则“{convention}”，应为A或B")


def notices_from_json(doc: dict) -> list[HolidayNotice]:
    """Read notices in the shipped data format (``domain/data/holiday_notices.json``)."""
    out = []
    for n in doc["notices"]:
        out.append(
            HolidayNotice(
                year=int(n["year"]),
                title=n.get("title", ""),
                doc_no=n.get("doc_no", ""),
                holidays=tuple(
                    HolidayRange(date.fromisoformat(h["start"]), date.fromisoformat(h["end"]), h.get("name", ""))
                    for h in n["holidays"]
                ),
                makeup_workdays=tuple(date.fromisoformat(w["date"]) for w in n["makeup_workdays"]),
            )
        )
    return out


@functools.cache
def _official_calendar() -> WorkingCalendar:
    text = resources.files("gongkai.domain").joinpath("data/holiday_notices.json").read_text(encoding="utf-8")
    return WorkingCalendar(tuple(notices_from_json(json.loads(text))))


def add_working_days(start: date, n: int, convention: str = "A") -> date:
    """The due date N working days after ``start`` on the shipped official calendar."""
    return WorkingCalendar.official().add_working_days(start, n, convention)

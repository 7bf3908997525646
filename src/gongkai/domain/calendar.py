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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Literal

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
                out.append(
                    f"“{label}”（{r.start.isoformat()}至{r.end.isoformat()}）超出{self.year}年前后一个月的范围（{window}）"
                )
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
class DueDate:
    """A counted date and whether it is firm or provisional (a notice it depends on is missing)."""

    due: date
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years)

    @property
    def basis(self) -> str:
        return provisional_basis(self.missing_years) if self.missing_years else "按已录入的国务院办公厅节假日安排计算"


def provisional_basis(years: Iterable[int]) -> str:
    """Why a date is provisional, in the words shown beside it (预计)."""
    ys = sorted(set(years))
    if not ys:
        return ""
    return f"{'、'.join(str(y) for y in ys)}年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of the years whose holiday notices have been entered, and a provisional
    lower bound for the years whose notices are still missing.

    Build it with :meth:`official` (the notices shipped with gongkai) and add the notices an
    agency enters with :meth:`with_notices`. Instances are immutable; lookups use a sorted
    index of working days so counting is O(log n) whatever the period.

    A day is *firm* when every notice that could decide it has been entered; otherwise it is
    *provisional* (see :func:`provisional_is_working`). Counts over provisional days still give a
    date, never later than the official one will be; :meth:`missing_years_between` says which
    notices a count depended on, so callers can mark the date 预计. Days before the first entered
    notice are refused with :class:`CalendarNotCovered` (a gap in the past is a data-entry
    problem, not a notice that has not been published yet), as are days beyond
    ``PROVISIONAL_HORIZON_YEARS`` after the last entered notice.
    """

    notices: tuple[HolidayNotice, ...]
    _holidays: frozenset[date] = field(init=False, repr=False, compare=False)
    _makeup: frozenset[date] = field(init=False, repr=False, compare=False)
    _years: frozenset[int] = field(init=False, repr=False, compare=False)
    _lead_in: dict[int, date] = field(init=False, repr=False, compare=False)
    _lo: date = field(init=False, repr=False, compare=False)
    _hi: date = field(init=False, repr=False, compare=False)
    _working: tuple[date, ...] = field(init=False, repr=False, compare=False)
    # (first, last, year): the provisional days of each year whose notice is missing
    _provisional_spans: tuple[tuple[date, date, int], ...] = field(init=False, repr=False, compare=False)

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
        if by_year:
            lo = min(n.earliest_date() for n in notices)
            last = max(by_year)
        else:
            lo, last = date(PROVISIONAL_FROM_YEAR, 1, 1), PROVISIONAL_FROM_YEAR - 1
        hi = date(last + PROVISIONAL_HORIZON_YEARS, 12, 31)
        object.__setattr__(self, "_lo", lo)
        object.__setattr__(self, "_hi", hi)
        working: list[date] = []
        spans: dict[int, list[date]] = {}
        d = lo
        while d <= hi:
            missing = self._missing_year(d)
            if missing is None:
                is_working = self._firm_is_working(d)
            else:
                spans.setdefault(missing, [d, d])[1] = d
                is_working = self._provisional_is_working(d)
            if is_working:
                working.append(d)
            d += _ONE_DAY
        object.__setattr__(self, "_working", tuple(working))
        object.__setattr__(self, "_provisional_spans", tuple((a, b, y) for y, (a, b) in sorted(spans.items())))

    # -- construction -------------------------------------------------------------------

    @classmethod
    def official(cls) -> WorkingCalendar:
        """The notices shipped with gongkai (2019–2026)."""
        return _official_calendar()

    def with_notices(self, notices: Iterable[HolidayNotice]) -> WorkingCalendar:
        """A calendar with ``notices`` added; a notice replaces a shipped one of the same year."""
        extra = tuple(notices)
        if not extra:
            return self
        return _calendar_of(self.notices + extra)

    def without_years_from(self, year: int) -> WorkingCalendar:
        """The calendar as it was before the notices of ``year`` and later were entered."""
        return WorkingCalendar(tuple(n for n in self.notices if n.year < year))

    # -- queries --------------------------------------------------------------------------

    @property
    def covered_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def covers(self, d: date) -> bool:
        """Whether an entered notice decides ``d`` (its year's, or the next year's lead-in)."""
        if d.year in self._years:
            return True
        lead_in = self._lead_in.get(d.year + 1)
        return lead_in is not None and d >= lead_in

    def is_firm(self, d: date) -> bool:
        """Whether ``d`` is known for certain: no missing notice could still change it."""
        self._require(d)
        return self._missing_year(d) is None

    def missing_years_between(self, a: date, b: date) -> tuple[int, ...]:
        """The years whose missing notices could change a count over [a, b] (empty: firm)."""
        if b < a:
            a, b = b, a
        return tuple(y for first, last, y in self._provisional_spans if first <= b and last >= a)

    def _require(self, d: date) -> None:
        if d < self._lo or d > self._hi:
            raise CalendarNotCovered(d.year)

    def _missing_year(self, d: date) -> int | None:
        """The year whose missing notice could still change ``d``, or None when ``d`` is firm."""
        if not self.covers(d):
            return d.year
        # A covered December weekend day may still become a make-up working day of the next
        # year's 元旦 (the 2019 notice made 2018-12-29 one), unless a notice already fixed it.
        nxt = d.year + 1
        if (
            nxt not in self._years
            and d not in self._holidays
            and d not in self._makeup
            and d in possible_makeup_days(nxt)
        ):
            return nxt
        return None

    def _firm_is_working(self, d: date) -> bool:
        if d in self._makeup:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def _provisional_is_working(self, d: date) -> bool:
        # What an entered notice already says stands (a lead-in range of a covered year).
        if d in self._makeup:
            return True
        if d in self._holidays:
            return False
        return provisional_is_working(d)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (for a provisional day: whether it may be one)."""
        self._require(d)
        if self._missing_year(d) is None:
            return self._firm_is_working(d)
        return self._provisional_is_working(d)

    def day_kind(self, d: date) -> str:
        """'workday', 'makeup_workday', 'holiday' or 'weekend'; for a provisional day
        'provisional_workday', 'provisional_holiday' (a statutory holiday) or 'weekend'."""
        self._require(d)
        if self._missing_year(d) is not None:
            if self._provisional_is_working(d):
                return "provisional_workday"
            return "provisional_holiday" if d in statutory_holiday_days(d.year) else "weekend"
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
        """The N-th working day after day 0 (see the module doc for the conventions).

        Over provisional days the result is the provisional date (never later than the official
        one); use :meth:`due_date` to know whether it is.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        day0 = self.day_zero(start, convention)
        return day0 if n == 0 else self._nth_after(day0, n)

    def due_date(self, start: date, n: int, convention: str = "A") -> DueDate:
        """:meth:`add_working_days` with the years whose missing notices make it provisional."""
        due = self.add_working_days(start, n, convention)
        return DueDate(due, self.missing_years_between(start, due))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._nth_after(d, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a. Both ends must be in range."""
        if b < a:
            return -self.working_days_between(b, a)
        self._require(a)
        self._require(b)
        return bisect.bisect_right(self._working, b) - bisect.bisect_right(self._working, a)

    # -- internals ------------------------------------------------------------------------

    def _nth_after(self, d: date, n: int) -> date:
        self._require(d)
        i = bisect.bisect_right(self._working, d) + n - 1
        if i >= len(self._working):
            raise CalendarNotCovered(self._hi.year + 1)
        return self._working[i]


# -- the provisional rule ---------------------------------------------------------------------------
#
# 《全国年节及纪念日放假办法》 fixes the statutory holidays; the yearly notice only *adds* to them:
# bridge days off (which make the official date later) and make-up working days on weekends (which
# make it earlier). A provisional date is never later than the official one exactly when every day
# that may turn out to be a working day is counted as one, so the rule treats as non-working only
# the days no notice can make working:
#   - the statutory holidays themselves (a notice never makes a statutory day a working day; one
#     that falls on a weekend is made up on a weekday, which is a bridge day: later, never earlier);
#   - weekend days farther than MAKEUP_WINDOW_DAYS from every statutory holiday.
# Weekend days within the window may be 调休上班日 and count as working. In the notices of
# 2019–2026 every make-up day lies between 8 days before and 10 days after a statutory holiday
# (the weekend next to the holiday block); the window of 14 days leaves a margin of four days.
# tests/unit/test_provisional_calendar.py checks the property against every notice shipped.

PROVISIONAL_FROM_YEAR = 2014  # the 2013 revision of the 办法 (春节 = 正月初一至初三) took effect in 2014
NEW_RULES_FROM_YEAR = 2025  # the 2024 revision: 春节 adds 除夕, 劳动节 adds 5月2日
PROVISIONAL_HORIZON_YEARS = 10
MAKEUP_WINDOW_DAYS = 14


@functools.cache
def statutory_holidays(year: int) -> tuple[HolidayRange, ...]:
    """The statutory holidays of ``year`` under 《全国年节及纪念日放假办法》, without bridge days.

    Lunar dates and the 清明 solar term come from ``lunar_python`` (never a hand-typed table).
    """
    if year < PROVISIONAL_FROM_YEAR:
        raise CalendarNotCovered(year)
    spring = _lunar_to_solar(year, 1, 1)
    new_rules = year >= NEW_RULES_FROM_YEAR
    return (
        HolidayRange(date(year, 1, 1), date(year, 1, 1), "元旦"),
        HolidayRange(spring - _ONE_DAY if new_rules else spring, spring + 2 * _ONE_DAY, "春节"),
        HolidayRange(_qingming(year), _qingming(year), "清明节"),
        HolidayRange(date(year, 5, 1), date(year, 5, 2 if new_rules else 1), "劳动节"),
        HolidayRange(_lunar_to_solar(year, 5, 5), _lunar_to_solar(year, 5, 5), "端午节"),
        HolidayRange(_lunar_to_solar(year, 8, 15), _lunar_to_solar(year, 8, 15), "中秋节"),
        HolidayRange(date(year, 10, 1), date(year, 10, 3), "国庆节"),
    )


@functools.cache
def statutory_holiday_days(year: int) -> frozenset[date]:
    return frozenset(d for r in statutory_holidays(year) for d in r.days())


@functools.cache
def possible_makeup_days(year: int) -> frozenset[date]:
    """Weekend days that ``year``'s notice might make 调休上班日 (may reach into the previous December)."""
    out: set[date] = set()
    window = timedelta(days=MAKEUP_WINDOW_DAYS)
    statutory = statutory_holiday_days(year)
    for h in statutory:
        d = h - window
        while d <= h + window:
            if d.weekday() >= 5 and d not in statutory:
                out.add(d)
            d += _ONE_DAY
    return frozenset(out)


def provisional_is_working(d: date) -> bool:
    """The provisional rule for a day no entered notice decides (a lower bound of the official one)."""
    if d.year < PROVISIONAL_FROM_YEAR:
        raise CalendarNotCovered(d.year)
    if d in statutory_holiday_days(d.year):
        return False
    if d.weekday() < 5:
        return True
    return d in possible_makeup_days(d.year) or d in possible_makeup_days(d.year + 1)


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    from lunar_python import Lunar

    # The solar terms of lunar year ``year`` include the 清明 of Gregorian ``year`` (early April).
    s = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


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


@functools.lru_cache(maxsize=16)
def _calendar_of(notices: tuple[HolidayNotice, ...]) -> WorkingCalendar:
    # Building the index of working days takes a few milliseconds; the web app asks for the same
    # calendar (shipped + entered notices) on every request, and notices are immutable values.
    return WorkingCalendar(notices)


@functools.cache
def _official_calendar() -> WorkingCalendar:
    text = resources.files("gongkai.domain").joinpath("data/holiday_notices.json").read_text(encoding="utf-8")
    return WorkingCalendar(tuple(notices_from_json(json.loads(text))))


def add_working_days(start: date, n: int, convention: str = "A") -> date:
    """The due date N working days after ``start`` on the shipped official calendar."""
    return WorkingCalendar.official().add_working_days(start, n, convention)

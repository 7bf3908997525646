"""What every clock gives and shares: the statutory periods, :class:`Deadline` and its status, the
open readings (:class:`ClockPolicy`), and the counting context of one computation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from gongkai.domain.calendar import WorkingCalendar, provisional_basis
from gongkai.domain.clocks.events import ClockEvent

REPLY_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
CORRECTION_NOTICE_WORKING_DAYS = 7
CONSULTATION_WORKING_DAYS = 15
FEE_PAYMENT_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 20
FEE_BASIS = "国办函〔2020〕109号"


class DeadlineStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"
    VOID = "void"  # no longer applies (clock voided, application ended first, window unused)


@dataclass(frozen=True)
class ClockPolicy:
    """Readings the regulation leaves open; the defaults are the stricter ones."""

    # A pause that starts on a working day also stops the clock for that day.
    count_pause_start_day: bool = False
    # The days from the sending of a 收费通知 to the payment are not counted in the reply period.
    # This is the reading of 国办函〔2020〕109号 《政府信息公开信息处理费管理办法》 that agencies'
    # 指南 quote (an office that waits for the applicant's money is not late). The article number
    # could not be verified against the official text here: the copies found stop before the
    # 办法's rules on the notice; hence no article is cited. An agency may turn it off
    # (Agency.fee_pauses_reply_clock) if its own reading is stricter.
    fee_pauses_reply_clock: bool = True
    # A period that runs from the day a notice was served (the fee window: "20 working days from
    # the day after the applicant receives the notice", procedure.md §3.3) is not counted until the
    # served date is known; off, it falls back to the sending date, the reading of the histories
    # recorded before service was kept. The app turns it on (applications.clock.policy_for), and the
    # case page asks for the date (待登记送达日期) instead of guessing it (domain.applications.serving).
    periods_need_service: bool = False


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: date
    start: date  # day 0 of the period
    working_days: int
    convention: str
    days_left: int  # working days from today to due; 0 on the due day, negative when overdue
    status: DeadlineStatus
    basis: str
    note: str = ""
    # A date counted over days whose holiday notice is still missing: a lower bound of the
    # official date (domain.calendar's provisional rule); ``provisional_reason`` says why (预计).
    provisional: bool = False
    provisional_reason: str = ""
    provisional_years: tuple[int, ...] = ()  # the years whose missing notices it depends on


@dataclass(frozen=True)
class Ctx:
    calendar: WorkingCalendar
    today: date
    convention: str
    policy: ClockPolicy

    def add(self, start: date, n: int) -> date:
        # Only day 0 of a receipt follows the agency's convention; every later period starts
        # from a dated act, so it is counted with convention A.
        return self.calendar.add_working_days(start, n, "A")

    def deadline(self, *, fixed: bool = False, **fields: Any) -> Deadline:
        """A Deadline; ``fixed`` when its date was set by an act (a date, not a count)."""
        fields.setdefault("convention", "A")
        missing = () if fixed else self.calendar.missing_years_between(fields["start"], fields["due"])
        return Deadline(
            days_left=days_left(self.calendar, self.today, fields["due"]),
            provisional=bool(missing),
            provisional_reason=provisional_basis(missing),
            provisional_years=missing,
            **fields,
        )


def days_left(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days from ``today`` to ``due``: 0 on the due day, at least 1 before, at most -1 after.

    The clamp keeps a due date on a Friday from reading 0 on the Saturday after it.
    """
    n = calendar.working_days_between(today, due)
    if today > due:
        return min(n, -1)
    if today < due:
        return max(n, 1)
    return 0


def status_of_act(due: date, done: date | None, terminal: ClockEvent | None, today: date) -> DeadlineStatus:
    """Status of a deadline that a single act (``done``) meets."""
    if done is not None:
        return DeadlineStatus.MET if done <= due else DeadlineStatus.MISSED
    if terminal is not None:
        return DeadlineStatus.MISSED if terminal.on > due else DeadlineStatus.VOID
    return DeadlineStatus.MISSED if today > due else DeadlineStatus.RUNNING

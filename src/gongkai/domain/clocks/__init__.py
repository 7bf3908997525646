"""Statutory clocks of a disclosure application, computed from its event list (procedure.md §3.3).

Everything here is a pure function of the events, the working-day calendar and ``today``: no
clock is stored, so correcting an event corrects every deadline that depends on it.

The reply clock (第三十三条):

- day 0 is the receipt date, or the receipt date of the corrected application: a 补正 request
  voids the running clock and the corrected application restarts it (第三十条);
- due = the 20th working day after day 0 (第三十三条第二款; 第一款 is the answer on the spot), plus
  one extension of at most 20 working days (第三十三条第二款), plus the working days spent consulting third parties or co-producing agencies
  (第三十三条第三款);
- by default the days from the day a 收费通知 is sent to the day the fee is paid (国办函〔2020〕109号,
  see :attr:`ClockPolicy.fee_pauses_reply_clock`);
- a date set under 第三十五条 replaces the statutory due date.

Readings the regulation leaves open are settings in :class:`ClockPolicy` or are noted where they
are applied (see procedure.md §3.3 and §5.6).

The parts: :mod:`.events` (the event kinds and :class:`ClockEvent`), :mod:`.timeline` (reading
the event list, refusing an impossible one), :mod:`.deadline` (the statutory periods,
:class:`Deadline`, :class:`ClockPolicy`, :func:`days_left`), :mod:`.reply` (the reply clock and its
pauses) and :mod:`.periods` (the other clocks and :func:`publication_deadline`). This module puts
them together: :func:`application_deadlines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from gongkai.domain.calendar import CONVENTIONS, WorkingCalendar
from gongkai.domain.clocks.deadline import (
    CONSULTATION_WORKING_DAYS,
    CORRECTION_NOTICE_WORKING_DAYS,
    FEE_BASIS,
    FEE_PAYMENT_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    PUBLICATION_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    ClockPolicy,
    Ctx,
    Deadline,
    DeadlineStatus,
    days_left,
)
from gongkai.domain.clocks.events import ClockEvent, EventKind
from gongkai.domain.clocks.periods import (
    consultation_deadline,
    correction_notice_deadline,
    correction_period_deadline,
    fee_payment_deadline,
    publication_deadline,
)
from gongkai.domain.clocks.reply import reply_deadlines
from gongkai.domain.clocks.timeline import read_events
from gongkai.domain.errors import DomainError

__all__ = [
    "CONSULTATION_WORKING_DAYS",
    "CORRECTION_NOTICE_WORKING_DAYS",
    "FEE_BASIS",
    "FEE_PAYMENT_WORKING_DAYS",
    "MAX_EXTENSION_WORKING_DAYS",
    "PUBLICATION_WORKING_DAYS",
    "REPLY_WORKING_DAYS",
    "ClockEvent",
    "ClockPolicy",
    "Deadline",
    "DeadlineStatus",
    "EventKind",
    "SERVICE_PERIODS",
    "application_deadlines",
    "awaiting_service",
    "days_left",
    "publication_deadline",
    "reply_deadline",
]


def application_deadlines(
    events: Sequence[ClockEvent],
    *,
    calendar: WorkingCalendar,
    today: date,
    convention: str = "A",
    policy: ClockPolicy = ClockPolicy(),
) -> list[Deadline]:
    """Every statutory deadline of one application as of ``today``.

    Order: 补正通知期限, 补正期限 (if asked), 答复期限, 延期答复决定期限 (unless awaiting
    correction), one 答复期限 per consultation whose delivery date is known, 缴费期限 (if notified).
    Raises DomainError for an impossible event list. A deadline counted over a year whose holiday
    notice is missing is provisional (``Deadline.provisional``), never later than the official
    date; CalendarNotCovered is raised only before the first entered notice or beyond the horizon.
    """
    if convention not in CONVENTIONS:
        raise DomainError(f"未知的期限计算规则“{convention}”，应为A或B")
    ctx = Ctx(calendar, today, convention, policy)
    t = read_events(events, today)
    out = [correction_notice_deadline(t, ctx)]
    if t.correction_requested is not None:
        out.append(correction_period_deadline(t, ctx))
    out += reply_deadlines(t, ctx)
    out += [consultation_deadline(c, t, ctx) for c in t.consultations if c.started.delivered_on]
    if t.fee_notified is not None and not _awaits_service(t.fee_notified, policy):
        out.append(fee_payment_deadline(t, ctx))
    return out


def _awaits_service(notice: ClockEvent, policy: ClockPolicy) -> bool:
    return policy.periods_need_service and notice.delivered_on is None


# The periods that run from service, by the key of their deadline (periods.py), with their labels.
SERVICE_PERIODS = {"fee_payment": "缴费期限"}


def awaiting_service(events: Sequence[ClockEvent], *, policy: ClockPolicy = ClockPolicy()) -> list[str]:
    """The keys of the periods left out of :func:`application_deadlines` because the notice they run
    from has no served date yet (only with ``policy.periods_need_service``): the case page shows
    them as 待登记送达日期, and a lapse of them cannot be recorded."""
    fee = next((e for e in events if e.kind is EventKind.FEE_NOTIFIED), None)
    paid = any(e.kind is EventKind.FEE_PAID for e in events)
    return ["fee_payment"] if fee is not None and not paid and _awaits_service(fee, policy) else []


def reply_deadline(deadlines: Sequence[Deadline]) -> Deadline:
    """The 答复期限 among ``deadlines`` (there is always exactly one)."""
    return next(d for d in deadlines if d.key == "reply")

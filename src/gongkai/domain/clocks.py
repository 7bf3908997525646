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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from gongkai.domain.calendar import CONVENTIONS, WorkingCalendar, provisional_basis
from gongkai.domain.errors import DomainError

REPLY_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
CORRECTION_NOTICE_WORKING_DAYS = 7
CONSULTATION_WORKING_DAYS = 15
FEE_PAYMENT_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 20
FEE_BASIS = "国办函〔2020〕109号"


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    THIRD_PARTY_CONSULTATION_STARTED = "third_party_consultation_started"
    AGENCY_CONSULTATION_STARTED = "agency_consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    EXTENSION_GRANTED = "extension_granted"
    DELAY_PERIOD_SET = "delay_period_set"
    ORDERED_REPLY_DATE = "ordered_reply_date"
    FEE_NOTIFIED = "fee_notified"
    FEE_PAID = "fee_paid"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_EVENT_LABELS = {
    EventKind.RECEIVED: "收到申请",
    EventKind.CORRECTION_REQUESTED: "要求补正",
    EventKind.CORRECTION_RECEIVED: "收到补正后的申请",
    EventKind.THIRD_PARTY_CONSULTATION_STARTED: "征求第三方意见",
    EventKind.AGENCY_CONSULTATION_STARTED: "征求协办机关意见",
    EventKind.CONSULTATION_ENDED: "收到征求意见答复",
    EventKind.EXTENSION_GRANTED: "延期答复",
    EventKind.DELAY_PERIOD_SET: "确定合理答复期限",
    EventKind.ORDERED_REPLY_DATE: "复议决定或裁判确定重新答复期限",
    EventKind.FEE_NOTIFIED: "收到收费通知",
    EventKind.FEE_PAID: "缴纳信息处理费",
    EventKind.REPLIED: "作出答复",
    EventKind.WITHDRAWN: "撤回申请",
    EventKind.CLOSED: "终止办理",
}
_TERMINAL = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.CLOSED})
_CONSULTATION_STARTS = frozenset({EventKind.THIRD_PARTY_CONSULTATION_STARTED, EventKind.AGENCY_CONSULTATION_STARTED})


class DeadlineStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"
    VOID = "void"  # no longer applies (clock voided, application ended first, window unused)


@dataclass(frozen=True)
class ClockEvent:
    """One dated event of an application.

    ``on`` is the day the event happened; for FEE_NOTIFIED and consultations the day the notice or
    letter was *sent* (``delivered_on`` = the day the applicant or the consulted party received it;
    the payment and consultation windows count from it). ``working_days``/``until``: the period an event sets
    (correction period, extension, 第三十五条 date). ``party`` pairs a consultation's start and end.
    """

    kind: EventKind
    on: date
    working_days: int | None = None
    until: date | None = None
    delivered_on: date | None = None
    party: str = ""


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


# -- reading the event list ---------------------------------------------------------------------


@dataclass
class _Consultation:
    started: ClockEvent
    ended: ClockEvent | None = None

    @property
    def with_agency(self) -> bool:
        return self.started.kind is EventKind.AGENCY_CONSULTATION_STARTED


@dataclass
class _Timeline:
    received: ClockEvent
    correction_requested: ClockEvent | None = None
    correction_received: ClockEvent | None = None
    extension: ClockEvent | None = None
    delay: ClockEvent | None = None
    fee_notified: ClockEvent | None = None
    fee_paid: ClockEvent | None = None
    terminal: ClockEvent | None = None

    def __post_init__(self) -> None:
        self.consultations: list[_Consultation] = []

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_requested is not None and self.correction_received is None

    @property
    def cycle_start(self) -> ClockEvent:
        """The event that fixes the current day 0 of the reply clock."""
        return self.correction_received or self.received


def _read_events(events: Sequence[ClockEvent], today: date) -> _Timeline:
    # Stable sort by date; a receipt goes first on its own day whatever order it was entered in.
    ordered = sorted(events, key=lambda e: (e.on, e.kind is not EventKind.RECEIVED))
    if not ordered or ordered[0].kind is not EventKind.RECEIVED:
        raise DomainError("缺少“收到申请”事件，或有事件早于收到申请之日")
    timeline = _Timeline(received=ordered[0])
    for event in ordered[1:]:
        _check_dates(event, today)
        if timeline.terminal is not None:
            raise DomainError(
                f"申请已于{timeline.terminal.on}{timeline.terminal.kind.label}，之后不能再记录“{event.kind.label}”"
            )
        _APPLY[event.kind](timeline, event)
    _check_dates(ordered[0], today)
    return timeline


def _check_dates(event: ClockEvent, today: date) -> None:
    for d in (event.on, event.delivered_on):
        if d is not None and d > today:
            raise DomainError(f"“{event.kind.label}”的日期{d}晚于今天（{today}）")
    if event.delivered_on is not None and event.delivered_on < event.on:
        what = "收费通知" if event.kind is EventKind.FEE_NOTIFIED else "征求意见函"
        raise DomainError(f"{what}的送达日期{event.delivered_on}早于发出日期{event.on}")


def _not_while_awaiting_correction(t: _Timeline, e: ClockEvent) -> None:
    if t.awaiting_correction:
        raise DomainError(f"等待申请人补正期间答复期限已中止，不能记录“{e.kind.label}”")


def _apply_received(t: _Timeline, e: ClockEvent) -> None:
    raise DomainError("一件申请只能有一个“收到申请”事件；补正后的申请请记录为“收到补正后的申请”")


def _apply_correction_requested(t: _Timeline, e: ClockEvent) -> None:
    if t.correction_requested is not None:
        raise DomainError("补正应一次性告知，不能第二次要求补正")
    if (e.working_days is None) == (e.until is None):
        raise DomainError("要求补正时应给出补正期限：工作日数或截止日期二者取一")
    if e.working_days is not None and e.working_days < 1:
        raise DomainError("补正期限应至少为1个工作日")
    if e.until is not None and e.until <= e.on:
        raise DomainError(f"补正截止日期{e.until}应晚于补正通知日期{e.on}")
    t.correction_requested = e


def _apply_correction_received(t: _Timeline, e: ClockEvent) -> None:
    if t.correction_requested is None:
        raise DomainError("未要求补正，不能记录“收到补正后的申请”")
    if t.correction_received is not None:
        raise DomainError("补正后的申请只能收到一次")
    t.correction_received = e


def _apply_consultation_started(t: _Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if any(c.ended is None and c.started.party == e.party for c in t.consultations):
        raise DomainError(f"对“{e.party or '同一对象'}”的征求意见尚未结束，不能再次发起")
    t.consultations.append(_Consultation(started=e))


def _apply_consultation_ended(t: _Timeline, e: ClockEvent) -> None:
    for c in t.consultations:
        if c.ended is None and c.started.party == e.party:
            c.ended = e
            return
    raise DomainError(f"没有正在进行的对“{e.party or '该对象'}”的征求意见，不能记录答复")


def _apply_extension(t: _Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.extension is not None:
        raise DomainError("延期答复只能一次")
    if t.delay is not None:
        raise DomainError("已按第三十五条确定答复期限，不能再延期答复")
    if e.working_days is None or not 1 <= e.working_days <= MAX_EXTENSION_WORKING_DAYS:
        raise DomainError(f"延期答复的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日，收到的是{e.working_days}")
    t.extension = e


def _apply_delay(t: _Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.delay is not None:
        raise DomainError("按第三十五条确定的答复期限只能确定一次")
    if e.until is None or e.until < e.on:
        raise DomainError("按第三十五条确定答复期限时，应给出不早于告知之日的截止日期")
    t.delay = e


def _apply_fee_notified(t: _Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.fee_notified is not None:
        raise DomainError("同一申请只能发出一次收费通知")
    t.fee_notified = e


def _apply_fee_paid(t: _Timeline, e: ClockEvent) -> None:
    if t.fee_notified is None:
        raise DomainError("未发出收费通知，不能记录缴费")
    if t.fee_paid is not None:
        raise DomainError("信息处理费已缴纳，不能重复记录")
    t.fee_paid = e


def _apply_terminal(t: _Timeline, e: ClockEvent) -> None:
    t.terminal = e


_APPLY: dict[EventKind, Callable[[_Timeline, ClockEvent], None]] = {
    EventKind.RECEIVED: _apply_received,
    EventKind.CORRECTION_REQUESTED: _apply_correction_requested,
    EventKind.CORRECTION_RECEIVED: _apply_correction_received,
    EventKind.THIRD_PARTY_CONSULTATION_STARTED: _apply_consultation_started,
    EventKind.AGENCY_CONSULTATION_STARTED: _apply_consultation_started,
    EventKind.CONSULTATION_ENDED: _apply_consultation_ended,
    EventKind.EXTENSION_GRANTED: _apply_extension,
    EventKind.DELAY_PERIOD_SET: _apply_delay,
    # a new reply ordered by a 纠正 with a date: fixed like a 第三十五条 date (review_deadlines)
    EventKind.ORDERED_REPLY_DATE: _apply_delay,
    EventKind.FEE_NOTIFIED: _apply_fee_notified,
    EventKind.FEE_PAID: _apply_fee_paid,
    EventKind.REPLIED: _apply_terminal,
    EventKind.WITHDRAWN: _apply_terminal,
    EventKind.CLOSED: _apply_terminal,
}


# -- shared helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
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


def _status_of_act(due: date, done: date | None, terminal: ClockEvent | None, today: date) -> DeadlineStatus:
    """Status of a deadline that a single act (``done``) meets."""
    if done is not None:
        return DeadlineStatus.MET if done <= due else DeadlineStatus.MISSED
    if terminal is not None:
        return DeadlineStatus.MISSED if terminal.on > due else DeadlineStatus.VOID
    return DeadlineStatus.MISSED if today > due else DeadlineStatus.RUNNING


# -- pauses of the reply clock -------------------------------------------------------------------


@dataclass(frozen=True)
class _Pause:
    start: date
    end: date
    open: bool  # still running today; ``end`` is then today
    sources: tuple[str, ...]


def _pauses(t: _Timeline, ctx: _Ctx) -> list[_Pause]:
    """Merged pauses of the current cycle; overlapping consultations stop the clock once."""
    raw: list[_Pause] = []
    cycle_from = t.cycle_start.on
    for c in t.consultations:
        if not _in_cycle(c, cycle_from):
            continue  # ended within a clock voided by the correction request
        window = _consultation_due(c, ctx) if c.started.delivered_on else None
        ends = [c.ended.on if c.ended else None, window, t.terminal.on if t.terminal else None]
        source = "协办机关征求意见" if c.with_agency else "第三方征求意见"
        # a consultation begun before a 补正 and still running when the corrected application
        # arrives pauses the new clock from its day 0 (第三十三条第三款: its time is never counted)
        raw.append(_pause(max(c.started.on, cycle_from), ends, source, ctx.today))
    if ctx.policy.fee_pauses_reply_clock and t.fee_notified and t.fee_notified.on >= cycle_from:
        # From the day the notice is sent (not received) to the payment, or the end of the window.
        payment_due = _fee_payment_due(t.fee_notified, ctx)
        ends = [t.fee_paid.on if t.fee_paid else None, payment_due, t.terminal.on if t.terminal else None]
        raw.append(_pause(t.fee_notified.on, ends, _FEE_PAUSE, ctx.today))
    return _merge(raw)


_FEE_PAUSE = "收费通知至缴费"


def _in_cycle(c: _Consultation, cycle_from: date) -> bool:
    """Whether a consultation runs in the current reply clock (begun in it, or still open at its start)."""
    return c.started.on >= cycle_from or c.ended is None or c.ended.on > cycle_from


def _pause(start: date, ends: list[date | None], source: str, today: date) -> _Pause:
    known = [d for d in ends if d is not None]
    end = min(known) if known else None
    if end is None or end > today:
        return _Pause(start, today, True, (source,))
    return _Pause(start, end, False, (source,))


def _merge(pauses: list[_Pause]) -> list[_Pause]:
    merged: list[_Pause] = []
    for p in sorted(pauses, key=lambda p: p.start):
        if merged and p.start <= merged[-1].end:
            last = merged[-1]
            end = max(last.end, p.end)
            sources = last.sources + tuple(s for s in p.sources if s not in last.sources)
            merged[-1] = _Pause(last.start, end, last.open or p.open, sources)
        else:
            merged.append(p)
    return merged


def _paused_days(p: _Pause, ctx: _Ctx) -> int:
    days = ctx.calendar.working_days_between(p.start, p.end)
    if ctx.policy.count_pause_start_day and ctx.calendar.is_working_day(p.start):
        days += 1
    return days


# -- the reply clock -----------------------------------------------------------------------------


@dataclass
class _ReplyClock:
    day0: date
    due: date
    statutory_due: date  # before any 第三十五条 date
    extension_decision_due: date  # the due date the extension was (or may still be) decided by
    counted: list[tuple[_Pause, int]] = field(default_factory=list)
    skipped: list[_Pause] = field(default_factory=list)  # began after the deadline had passed
    extension: ClockEvent | None = None
    delay: ClockEvent | None = None


def _run_reply_clock(t: _Timeline, ctx: _Ctx) -> _ReplyClock:
    day0 = ctx.calendar.day_zero(t.cycle_start.on, ctx.convention)
    due = ctx.add(day0, REPLY_WORKING_DAYS)
    clock = _ReplyClock(day0, due, due, due)
    cycle_from = t.cycle_start.on
    # Walk the pauses, the extension and a 第三十五条 date in date order: whether each one is in
    # time depends on the due date as it stood on that day.
    steps: list[tuple[date, int, _Pause | ClockEvent]] = [(p.start, 0, p) for p in _pauses(t, ctx)]
    for order, e in ((1, t.extension), (2, t.delay)):
        if e is not None and e.on >= cycle_from:
            steps.append((e.on, order, e))
    for _, _, item in sorted(steps, key=lambda s: (s[0], s[1])):
        if isinstance(item, _Pause):
            _apply_pause(clock, item, ctx)
        elif item.kind is EventKind.EXTENSION_GRANTED:
            _check_in_time(item, clock.due, "延期答复")
            clock.extension_decision_due = clock.due
            clock.due = ctx.add(clock.due, item.working_days or 0)
            clock.extension = item
        else:
            _check_in_time(item, clock.due, "按第三十五条确定答复期限")
            _fix_statutory_due(clock)
            clock.due, clock.delay = item.until or clock.due, item
            return clock  # the date set under 第三十五条 is fixed; later pauses do not move it
    _fix_statutory_due(clock)
    return clock


def _fix_statutory_due(clock: _ReplyClock) -> None:
    clock.statutory_due = clock.due
    if clock.extension is None:
        clock.extension_decision_due = clock.due


def _apply_pause(clock: _ReplyClock, p: _Pause, ctx: _Ctx) -> None:
    # A consultation begun after the deadline passed cannot revive it.
    if p.start > clock.due:
        clock.skipped.append(p)
        return
    days = _paused_days(p, ctx)
    clock.due = ctx.add(clock.due, days)  # the due date is a working day, so this adds exactly `days`
    clock.counted.append((p, days))


def _check_in_time(e: ClockEvent, due: date, what: str) -> None:
    if e.on > due:
        raise DomainError(f"{what}应在答复期限（{due}）届满前决定，{e.on}已超过期限")


def _reply_deadlines(t: _Timeline, ctx: _Ctx) -> list[Deadline]:
    if t.awaiting_correction:
        return [_voided_reply_deadline(t, ctx)]
    clock = _run_reply_clock(t, ctx)
    return [_reply_deadline(t, clock, ctx), _extension_decision_deadline(t, clock, ctx)]


def _voided_reply_deadline(t: _Timeline, ctx: _Ctx) -> Deadline:
    day0 = ctx.calendar.day_zero(t.received.on, ctx.convention)
    assert t.correction_requested is not None
    return ctx.deadline(
        key="reply",
        label="答复期限",
        due=ctx.add(day0, REPLY_WORKING_DAYS),
        start=day0,
        working_days=REPLY_WORKING_DAYS,
        convention=ctx.convention,
        status=DeadlineStatus.VOID,
        basis="第三十条、第三十三条第二款",
        note=f"已于{t.correction_requested.on}要求补正，原答复期限作废，自收到补正后的申请之日起重新计算",
    )


def _reply_deadline(t: _Timeline, clock: _ReplyClock, ctx: _Ctx) -> Deadline:
    if clock.delay is not None and clock.delay.kind is EventKind.ORDERED_REPLY_DATE:
        basis = "行政复议决定或人民法院裁判确定的期限"
    elif clock.delay is not None:
        basis = "第三十五条"
    else:
        # 第二款 sets the 20 working days and the extension; 第三款 excludes the consultations.
        basis = (
            "第三十三条第二款"
            + ("、第三款" if _consultation_paused(clock) else "")
            + ("、国办函〔2020〕109号" if _fee_paused(clock) else "")
        )
    return ctx.deadline(
        fixed=clock.delay is not None,
        key="reply",
        label="答复期限",
        due=clock.due,
        start=clock.day0,
        working_days=ctx.calendar.working_days_between(clock.day0, clock.due),
        convention=ctx.convention,
        status=_reply_status(t, clock, ctx.today),
        basis=basis,
        note=_reply_note(t, clock),
    )


def _consultation_paused(clock: _ReplyClock) -> bool:
    return any(s.endswith("征求意见") for p, _ in clock.counted for s in p.sources)


def _fee_paused(clock: _ReplyClock) -> bool:
    return any(s == _FEE_PAUSE for p, _ in clock.counted for s in p.sources)


def _reply_status(t: _Timeline, clock: _ReplyClock, today: date) -> DeadlineStatus:
    if t.terminal is not None:
        if t.terminal.kind is EventKind.REPLIED:
            return DeadlineStatus.MET if t.terminal.on <= clock.due else DeadlineStatus.MISSED
        return DeadlineStatus.VOID
    if any(p.open for p, _ in clock.counted):
        return DeadlineStatus.PAUSED
    return DeadlineStatus.MISSED if today > clock.due else DeadlineStatus.RUNNING


def _reply_note(t: _Timeline, clock: _ReplyClock) -> str:
    clauses: list[str] = []
    if t.correction_received is not None:
        clauses.append(f"自{t.correction_received.on}收到补正后的申请起重新计算")
    if clock.day0 != t.cycle_start.on:
        clauses.append(f"{t.cycle_start.on}为非工作日，顺延至{clock.day0}为第0日")
    included = [f"延期{clock.extension.working_days}个工作日"] if clock.extension else []
    included += [f"{'、'.join(p.sources)}暂停{days}个工作日" for p, days in clock.counted if days]
    if included:
        clauses.append("含" + "、".join(included))
    if any(p.open for p, _ in clock.counted):
        clauses.append("暂停尚未结束，暂按截至今日计算")
    clauses += [f"{p.start}开始的{'、'.join(p.sources)}晚于当时的答复期限，不予扣除" for p in clock.skipped]
    clauses += [f"向{who}发出的征求意见函未录入送达日期，无法计算其15个工作日答复期限" for who in _undelivered(t)]
    if clock.delay is not None and clock.delay.kind is EventKind.ORDERED_REPLY_DATE:
        clauses.append("行政复议决定或人民法院裁判责令重新答复，按其确定的期限答复")
    elif clock.delay is not None:
        clauses.append(f"按第三十五条确定的答复期限（法定期限原为{clock.statutory_due}）")
    if t.terminal is not None and t.terminal.kind is not EventKind.REPLIED:
        clauses.append(f"申请已于{t.terminal.on}{t.terminal.kind.label}")
    return "；".join(clauses)


def _undelivered(t: _Timeline) -> list[str]:
    return [
        c.started.party or ("协办机关" if c.with_agency else "第三方")
        for c in t.consultations
        if c.started.delivered_on is None and c.ended is None and _in_cycle(c, t.cycle_start.on)
    ]


def _extension_decision_deadline(t: _Timeline, clock: _ReplyClock, ctx: _Ctx) -> Deadline:
    due = clock.extension_decision_due
    note = ""
    if clock.extension is not None:
        status, note = DeadlineStatus.MET, f"已于{clock.extension.on}决定延期{clock.extension.working_days}个工作日"
    elif clock.delay is not None or t.terminal is not None:
        status = DeadlineStatus.VOID
    elif ctx.today > due:
        status, note = DeadlineStatus.VOID, "期限已过，不能再延期答复"
    elif any(p.open for p, _ in clock.counted):
        status = DeadlineStatus.PAUSED
    else:
        status = DeadlineStatus.RUNNING
    return ctx.deadline(
        key="extension_decision",
        label="延期答复决定期限",
        due=due,
        start=clock.day0,
        working_days=ctx.calendar.working_days_between(clock.day0, due),
        convention=ctx.convention,
        status=status,
        basis="第三十三条第二款",
        note=note or "延期须经政府信息公开工作机构负责人同意并告知申请人",
    )


# -- the other clocks ----------------------------------------------------------------------------


def _correction_notice_deadline(t: _Timeline, ctx: _Ctx) -> Deadline:
    day0 = ctx.calendar.day_zero(t.received.on, ctx.convention)
    due = ctx.add(day0, CORRECTION_NOTICE_WORKING_DAYS)
    note = "补正应一次性告知需要补正的事项和合理的补正期限"
    if t.correction_requested is not None:
        status = DeadlineStatus.MET if t.correction_requested.on <= due else DeadlineStatus.MISSED
    elif t.terminal is not None or ctx.today > due:
        # Not asking for a correction is no breach: the window simply closed unused.
        status, note = DeadlineStatus.VOID, "未要求补正；期限届满后不得再要求补正"
    else:
        status = DeadlineStatus.RUNNING
    return ctx.deadline(
        key="correction_notice",
        label="补正通知期限",
        due=due,
        start=day0,
        working_days=CORRECTION_NOTICE_WORKING_DAYS,
        convention=ctx.convention,
        status=status,
        basis="第三十条",
        note=note,
    )


def _correction_period_deadline(t: _Timeline, ctx: _Ctx) -> Deadline:
    request = t.correction_requested
    assert request is not None
    if request.until is not None:
        due, working_days = request.until, ctx.calendar.working_days_between(request.on, request.until)
    else:
        working_days = request.working_days or 0
        due = ctx.add(request.on, working_days)
    done = t.correction_received.on if t.correction_received else None
    status = _status_of_act(due, done, t.terminal, ctx.today)
    note = "申请人无正当理由逾期不补正的，视为放弃申请" if status is DeadlineStatus.MISSED and done is None else ""
    return ctx.deadline(
        fixed=request.until is not None,
        key="correction_period",
        label="补正期限",
        due=due,
        start=request.on,
        working_days=working_days,
        status=status,
        basis="第三十条",
        note=note,
    )


def _consultation_due(c: _Consultation, ctx: _Ctx) -> date:
    assert c.started.delivered_on is not None
    return ctx.add(c.started.delivered_on, CONSULTATION_WORKING_DAYS)


def _consultation_deadline(c: _Consultation, t: _Timeline, ctx: _Ctx) -> Deadline:
    assert c.started.delivered_on is not None
    who = "协办机关" if c.with_agency else "第三方"
    due = _consultation_due(c, ctx)
    status = _status_of_act(due, c.ended.on if c.ended else None, t.terminal, ctx.today)
    note = ""
    if status is DeadlineStatus.MISSED and c.ended is None:
        note = "逾期未答复，视为同意公开" if c.with_agency else "第三方逾期未提出意见，由本机关依法决定是否公开"
    return ctx.deadline(
        key="consultation_reply",
        label=f"{who}答复期限" + (f"（{c.started.party}）" if c.started.party else ""),
        due=due,
        start=c.started.delivered_on,
        working_days=CONSULTATION_WORKING_DAYS,
        status=status,
        basis="第三十四条" if c.with_agency else "第三十二条",
        note=note,
    )


def _fee_payment_due(notice: ClockEvent, ctx: _Ctx) -> date:
    # "from the day after receiving the notice": the receipt day is day 0, as in convention A.
    return ctx.add(notice.delivered_on or notice.on, FEE_PAYMENT_WORKING_DAYS)


def _fee_payment_deadline(t: _Timeline, ctx: _Ctx) -> Deadline:
    notice = t.fee_notified
    assert notice is not None
    due = _fee_payment_due(notice, ctx)
    done = t.fee_paid.on if t.fee_paid else None
    status = _status_of_act(due, done, t.terminal, ctx.today)
    note = "逾期未缴纳的，视为放弃申请" if status is DeadlineStatus.MISSED and done is None else ""
    return ctx.deadline(
        key="fee_payment",
        label="缴费期限",
        due=due,
        start=notice.delivered_on or notice.on,
        working_days=FEE_PAYMENT_WORKING_DAYS,
        status=status,
        basis=FEE_BASIS,
        note=note,
    )


# -- public API ----------------------------------------------------------------------------------


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
    ctx = _Ctx(calendar, today, convention, policy)
    t = _read_events(events, today)
    out = [_correction_notice_deadline(t, ctx)]
    if t.correction_requested is not None:
        out.append(_correction_period_deadline(t, ctx))
    out += _reply_deadlines(t, ctx)
    out += [_consultation_deadline(c, t, ctx) for c in t.consultations if c.started.delivered_on]
    if t.fee_notified is not None:
        out.append(_fee_payment_deadline(t, ctx))
    return out


def reply_deadline(deadlines: Sequence[Deadline]) -> Deadline:
    """The 答复期限 among ``deadlines`` (there is always exactly one)."""
    return next(d for d in deadlines if d.key == "reply")


def publication_deadline(
    formed_on: date,
    *,
    calendar: WorkingCalendar,
    today: date,
    published_on: date | None = None,
    convention: str = "A",
) -> Deadline:
    """Proactive disclosure within 20 working days of the information being formed or changed."""
    if formed_on > today:
        raise DomainError(f"信息形成或变更日期{formed_on}晚于今天（{today}）")
    if published_on is not None and not formed_on <= published_on <= today:
        raise DomainError(f"公开日期{published_on}应在信息形成或变更日期{formed_on}与今天（{today}）之间")
    day0 = calendar.day_zero(formed_on, convention)
    due = calendar.add_working_days(day0, PUBLICATION_WORKING_DAYS)
    missing = calendar.missing_years_between(formed_on, due)
    return Deadline(
        provisional=bool(missing),
        provisional_reason=provisional_basis(missing),
        provisional_years=missing,
        key="publication",
        label="主动公开期限",
        due=due,
        start=day0,
        working_days=PUBLICATION_WORKING_DAYS,
        convention=convention,
        days_left=days_left(calendar, today, due),
        status=_status_of_act(due, published_on, None, today),
        basis="第二十六条",
        note="法律、法规对公开期限另有规定的，从其规定",
    )

"""Reading an application's event list into a :class:`Timeline`, refusing an impossible list.

The once-only steps (a second 补正, extension, 第三十五条 date or fee notice) and steps taken while
the case awaits its correction are refused here, whatever state the workflow says the case is in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.domain.clocks.deadline import MAX_EXTENSION_WORKING_DAYS
from gongkai.domain.clocks.events import ClockEvent, EventKind
from gongkai.domain.errors import DomainError


@dataclass
class Consultation:
    started: ClockEvent
    ended: ClockEvent | None = None

    @property
    def with_agency(self) -> bool:
        return self.started.kind is EventKind.AGENCY_CONSULTATION_STARTED


@dataclass
class Timeline:
    received: ClockEvent
    correction_requested: ClockEvent | None = None
    correction_received: ClockEvent | None = None
    extension: ClockEvent | None = None
    delay: ClockEvent | None = None
    fee_notified: ClockEvent | None = None
    fee_paid: ClockEvent | None = None
    terminal: ClockEvent | None = None

    def __post_init__(self) -> None:
        self.consultations: list[Consultation] = []

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_requested is not None and self.correction_received is None

    @property
    def cycle_start(self) -> ClockEvent:
        """The event that fixes the current day 0 of the reply clock."""
        return self.correction_received or self.received


def read_events(events: Sequence[ClockEvent], today: date) -> Timeline:
    # Stable sort by date; a receipt goes first on its own day whatever order it was entered in.
    ordered = sorted(events, key=lambda e: (e.on, e.kind is not EventKind.RECEIVED))
    if not ordered or ordered[0].kind is not EventKind.RECEIVED:
        raise DomainError("缺少“收到申请”事件，或有事件早于收到申请之日")
    timeline = Timeline(received=ordered[0])
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


def _not_while_awaiting_correction(t: Timeline, e: ClockEvent) -> None:
    if t.awaiting_correction:
        raise DomainError(f"等待申请人补正期间答复期限已中止，不能记录“{e.kind.label}”")


def _apply_received(t: Timeline, e: ClockEvent) -> None:
    raise DomainError("一件申请只能有一个“收到申请”事件；补正后的申请请记录为“收到补正后的申请”")


def _apply_correction_requested(t: Timeline, e: ClockEvent) -> None:
    if t.correction_requested is not None:
        raise DomainError("补正应一次性告知，不能第二次要求补正")
    if (e.working_days is None) == (e.until is None):
        raise DomainError("要求补正时应给出补正期限：工作日数或截止日期二者取一")
    if e.working_days is not None and e.working_days < 1:
        raise DomainError("补正期限应至少为1个工作日")
    if e.until is not None and e.until <= e.on:
        raise DomainError(f"补正截止日期{e.until}应晚于补正通知日期{e.on}")
    t.correction_requested = e


def _apply_correction_received(t: Timeline, e: ClockEvent) -> None:
    if t.correction_requested is None:
        raise DomainError("未要求补正，不能记录“收到补正后的申请”")
    if t.correction_received is not None:
        raise DomainError("补正后的申请只能收到一次")
    t.correction_received = e


def _apply_consultation_started(t: Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if any(c.ended is None and c.started.party == e.party for c in t.consultations):
        raise DomainError(f"对“{e.party or '同一对象'}”的征求意见尚未结束，不能再次发起")
    t.consultations.append(Consultation(started=e))


def _apply_consultation_ended(t: Timeline, e: ClockEvent) -> None:
    for c in t.consultations:
        if c.ended is None and c.started.party == e.party:
            c.ended = e
            return
    raise DomainError(f"没有正在进行的对“{e.party or '该对象'}”的征求意见，不能记录答复")


def _apply_extension(t: Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.extension is not None:
        raise DomainError("延期答复只能一次")
    if t.delay is not None:
        raise DomainError("已按第三十五条确定答复期限，不能再延期答复")
    if e.working_days is None or not 1 <= e.working_days <= MAX_EXTENSION_WORKING_DAYS:
        raise DomainError(f"延期答复的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日，收到的是{e.working_days}")
    t.extension = e


def _apply_delay(t: Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.delay is not None:
        raise DomainError("按第三十五条确定的答复期限只能确定一次")
    if e.until is None or e.until < e.on:
        raise DomainError("按第三十五条确定答复期限时，应给出不早于告知之日的截止日期")
    t.delay = e


def _apply_fee_notified(t: Timeline, e: ClockEvent) -> None:
    _not_while_awaiting_correction(t, e)
    if t.fee_notified is not None:
        raise DomainError("同一申请只能发出一次收费通知")
    t.fee_notified = e


def _apply_fee_paid(t: Timeline, e: ClockEvent) -> None:
    if t.fee_notified is None:
        raise DomainError("未发出收费通知，不能记录缴费")
    if t.fee_paid is not None:
        raise DomainError("信息处理费已缴纳，不能重复记录")
    t.fee_paid = e


def _apply_terminal(t: Timeline, e: ClockEvent) -> None:
    t.terminal = e


_APPLY: dict[EventKind, Callable[[Timeline, ClockEvent], None]] = {
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

"""The reply clock (第三十三条): day 0, the pauses, an extension, a 第三十五条 date, and the
extension-decision deadline that goes with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.domain.clocks.deadline import REPLY_WORKING_DAYS, Ctx, Deadline, DeadlineStatus
from gongkai.domain.clocks.events import ClockEvent, EventKind
from gongkai.domain.clocks.periods import consultation_due, fee_payment_due
from gongkai.domain.clocks.timeline import Consultation, Timeline
from gongkai.domain.errors import DomainError

# -- pauses of the reply clock -------------------------------------------------------------------


@dataclass(frozen=True)
class _Pause:
    start: date
    end: date
    open: bool  # still running today; ``end`` is then today
    sources: tuple[str, ...]


def _pauses(t: Timeline, ctx: Ctx) -> list[_Pause]:
    """Merged pauses of the current cycle; overlapping consultations stop the clock once."""
    raw: list[_Pause] = []
    cycle_from = t.cycle_start.on
    for c in t.consultations:
        if not _in_cycle(c, cycle_from):
            continue  # ended within a clock voided by the correction request
        window = consultation_due(c, ctx) if c.started.delivered_on else None
        ends = [c.ended.on if c.ended else None, window, t.terminal.on if t.terminal else None]
        source = "协办机关征求意见" if c.with_agency else "第三方征求意见"
        # a consultation begun before a 补正 and still running when the corrected application
        # arrives pauses the new clock from its day 0 (第三十三条第三款: its time is never counted)
        raw.append(_pause(max(c.started.on, cycle_from), ends, source, ctx.today))
    if ctx.policy.fee_pauses_reply_clock and t.fee_notified and t.fee_notified.on >= cycle_from:
        # From the day the notice is sent (not received) to the payment, or the end of the window.
        payment_due = fee_payment_due(t.fee_notified, ctx)
        ends = [t.fee_paid.on if t.fee_paid else None, payment_due, t.terminal.on if t.terminal else None]
        raw.append(_pause(t.fee_notified.on, ends, _FEE_PAUSE, ctx.today))
    return _merge(raw)


_FEE_PAUSE = "收费通知至缴费"


def _in_cycle(c: Consultation, cycle_from: date) -> bool:
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


def _paused_days(p: _Pause, ctx: Ctx) -> int:
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


def _run_reply_clock(t: Timeline, ctx: Ctx) -> _ReplyClock:
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


def _apply_pause(clock: _ReplyClock, p: _Pause, ctx: Ctx) -> None:
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


def reply_deadlines(t: Timeline, ctx: Ctx) -> list[Deadline]:
    if t.awaiting_correction:
        return [_voided_reply_deadline(t, ctx)]
    clock = _run_reply_clock(t, ctx)
    return [_reply_deadline(t, clock, ctx), _extension_decision_deadline(t, clock, ctx)]


def _voided_reply_deadline(t: Timeline, ctx: Ctx) -> Deadline:
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


def _reply_deadline(t: Timeline, clock: _ReplyClock, ctx: Ctx) -> Deadline:
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


def _reply_status(t: Timeline, clock: _ReplyClock, today: date) -> DeadlineStatus:
    if t.terminal is not None:
        if t.terminal.kind is EventKind.REPLIED:
            return DeadlineStatus.MET if t.terminal.on <= clock.due else DeadlineStatus.MISSED
        return DeadlineStatus.VOID
    if any(p.open for p, _ in clock.counted):
        return DeadlineStatus.PAUSED
    return DeadlineStatus.MISSED if today > clock.due else DeadlineStatus.RUNNING


def _reply_note(t: Timeline, clock: _ReplyClock) -> str:
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


def _undelivered(t: Timeline) -> list[str]:
    return [
        c.started.party or ("协办机关" if c.with_agency else "第三方")
        for c in t.consultations
        if c.started.delivered_on is None and c.ended is None and _in_cycle(c, t.cycle_start.on)
    ]


def _extension_decision_deadline(t: Timeline, clock: _ReplyClock, ctx: Ctx) -> Deadline:
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

"""The clocks beside the reply clock: the 补正 notice and period (第三十条), a consultation's reply
(第三十二条, 第三十四条), the fee payment (国办函〔2020〕109号) and proactive publication (第二十六条)."""

from __future__ import annotations

from datetime import date

from gongkai.domain.calendar import WorkingCalendar, provisional_basis
from gongkai.domain.clocks.deadline import (
    CONSULTATION_WORKING_DAYS,
    CORRECTION_NOTICE_WORKING_DAYS,
    FEE_BASIS,
    FEE_PAYMENT_WORKING_DAYS,
    PUBLICATION_WORKING_DAYS,
    Ctx,
    Deadline,
    DeadlineStatus,
    days_left,
    status_of_act,
)
from gongkai.domain.clocks.events import ClockEvent
from gongkai.domain.clocks.timeline import Consultation, Timeline
from gongkai.domain.errors import DomainError


def correction_notice_deadline(t: Timeline, ctx: Ctx) -> Deadline:
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


def correction_period_deadline(t: Timeline, ctx: Ctx) -> Deadline:
    request = t.correction_requested
    assert request is not None
    if request.until is not None:
        due, working_days = request.until, ctx.calendar.working_days_between(request.on, request.until)
    else:
        working_days = request.working_days or 0
        due = ctx.add(request.on, working_days)
    done = t.correction_received.on if t.correction_received else None
    status = status_of_act(due, done, t.terminal, ctx.today)
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


def consultation_due(c: Consultation, ctx: Ctx) -> date:
    assert c.started.delivered_on is not None
    return ctx.add(c.started.delivered_on, CONSULTATION_WORKING_DAYS)


def consultation_deadline(c: Consultation, t: Timeline, ctx: Ctx) -> Deadline:
    assert c.started.delivered_on is not None
    who = "协办机关" if c.with_agency else "第三方"
    due = consultation_due(c, ctx)
    status = status_of_act(due, c.ended.on if c.ended else None, t.terminal, ctx.today)
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


def fee_payment_due(notice: ClockEvent, ctx: Ctx) -> date:
    # "from the day after receiving the notice": the receipt day is day 0, as in convention A.
    return ctx.add(notice.delivered_on or notice.on, FEE_PAYMENT_WORKING_DAYS)


def fee_payment_deadline(t: Timeline, ctx: Ctx) -> Deadline:
    notice = t.fee_notified
    assert notice is not None
    due = fee_payment_due(notice, ctx)
    done = t.fee_paid.on if t.fee_paid else None
    status = status_of_act(due, done, t.terminal, ctx.today)
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
        status=status_of_act(due, published_on, None, today),
        basis="第二十六条",
        note="法律、法规对公开期限另有规定的，从其规定",
    )

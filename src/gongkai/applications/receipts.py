"""The receipt (回执) of an application: what it says, and its PDF.

The PDF is rendered by WeasyPrint from a local template and stylesheet with every URL fetch
refused, so rendering never touches the network; Chinese text uses the system's
"Noto Sans CJK SC" (installed by the Makefile with fonts-noto-cjk).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.template.loader import render_to_string

from gongkai.applications import clock
from gongkai.applications.models import Application
from gongkai.applications.selectors_public import Summary, summary_of
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import CalendarNotCovered, DomainError

REPLY_WORKING_DAYS = 20


@dataclass(frozen=True)
class Receipt:
    tracking_number: str
    query_code: str | None  # only right after submission, from the submitting browser's session
    agency_name: str
    submitted_at: datetime
    channel: str
    auto_confirmed: bool  # received online: the system confirmed receipt at submission
    received_on: date | None
    day_zero: date | None
    reply_due: date | None  # the domain clock's reply deadline as of the receipt
    state_label: str
    summary: Summary
    moved_on: bool = False  # the case has moved since: its current deadlines are on the status page
    deadline_note: str = ""  # why a received application shows no due date yet
    reply_due_provisional: bool = False  # counted before next year's holiday notice: 预计, not binding
    agency_phone: str = ""  # the office's telephone (the agency's settings), blank when not set


def receipt_for(app: Application, *, query_code: str | None, calendar: WorkingCalendar, today: date) -> Receipt:
    """The receipt as issued at submission: later moves (补正, extension…) do not rewrite it."""
    log = list(app.events.order_by("seq"))
    day_zero, reply_due = app.received_on, app.reply_due
    provisional = app.reply_due_provisional
    if app.received_on is not None:
        try:
            day_zero = calendar.day_zero(app.received_on, app.convention)
            if len(log) > 1:  # the case has moved on: the receipt keeps the deadline it was issued with
                reply = clock.reply_of(
                    clock.deadlines_of(log[:1], calendar=calendar, today=today, convention=app.convention)
                )
                reply_due = reply.due if reply else None
                provisional = bool(reply and reply.provisional)
        except DomainError:
            pass  # a calendar gap: the stored deadline is shown, the day-0 shift is not explained
    return Receipt(
        tracking_number=app.tracking_number,
        query_code=query_code,
        agency_name=app.agency.name,
        submitted_at=app.submitted_at,
        channel=Channel(app.channel).label,
        auto_confirmed=app.channel == Channel.ONLINE and app.received_on is not None,
        received_on=app.received_on,
        day_zero=day_zero,
        reply_due=reply_due,
        state_label=app.state_label,
        summary=summary_of(app),
        moved_on=len(log) > 1,
        deadline_note=_deadline_note(app, reply_due, calendar),
        reply_due_provisional=provisional,
        agency_phone=app.agency.phone,
    )


def _deadline_note(app: Application, reply_due: date | None, calendar: WorkingCalendar) -> str:
    """Why a received application shows no due date: the calendar does not reach it yet."""
    if app.received_on is None or reply_due is not None:
        return ""
    try:
        calendar.add_working_days(app.received_on, 20, app.convention)
    except CalendarNotCovered:
        return "答复期限暂无法按工作日计算；本机关将自收到申请之日起20个工作日内依法答复"
    return ""


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the receipt PDF fetches nothing (asked for {url})")


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as a PDF (A4), rendered offline."""
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        "applications/public/receipt_pdf.html", {"r": receipt, "reply_working_days": REPLY_WORKING_DAYS}
    )
    css = render_to_string("applications/public/receipt_pdf.css")
    base = str(Path(__file__).resolve().parent)
    document = HTML(string=html, base_url=base, url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=[CSS(string=css, base_url=base, url_fetcher=_refuse_fetch)])

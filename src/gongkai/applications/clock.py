"""The bridge between a stored case and the domain clocks: events in, deadlines out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from gongkai.domain.applications.assignment import LOG_ACTIONS as ASSIGNMENT_LOG_ACTIONS
from gongkai.domain.applications.proactive import LOG_ACTIONS as PROACTIVE_LOG_ACTIONS
from gongkai.domain.applications.serving import LOG_ACTIONS as DELIVERY_LOG_ACTIONS
from gongkai.domain.applications.workflow import transition_for
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import ClockEvent, ClockPolicy, Deadline, EventKind, application_deadlines

SUBMIT = "submit"  # the first CaseEvent of every case; not a domain Action


def parse_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """JSON-stored fields back to Python values (dates are stored as ISO strings)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                out[key] = date.fromisoformat(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


def dump_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items() if v not in (None, "")}


def clock_events(log: Iterable[Any]) -> list[ClockEvent]:
    """The clock events of a case from its CaseEvent log (objects with action/from_state/fields)."""
    events: list[ClockEvent] = []
    log = list(log)
    served = served_dates(log)
    for e in log:
        fields = parse_fields(e.fields)
        if e.action == SUBMIT:
            if fields.get("received_on"):
                events.append(ClockEvent(EventKind.RECEIVED, fields["received_on"]))
                if fields.get("ordered_until"):  # a new reply ordered by a 纠正 with its own date
                    events.append(
                        ClockEvent(EventKind.ORDERED_REPLY_DATE, fields["received_on"], until=fields["ordered_until"])
                    )
            continue
        if e.action in ASSIGNMENT_LOG_ACTIONS or e.action in PROACTIVE_LOG_ACTIONS:
            continue  # routing to units (承办) and 转主动公开 (第四十四条) never move the statutory clocks
        if e.action in DELIVERY_LOG_ACTIONS:  # a delivery dates the entry it served (below), nothing more
            continue
        row = transition_for(e.from_state, e.action)
        if e.action == "notify_fee" and not fields.get("fee_sent_on"):
            # Fee notices recorded before the sending date was asked for: the receipt day is all we know.
            fields["fee_sent_on"] = fields.get("notice_received_on")
        if e.action == "notify_fee" and getattr(e, "seq", None) in served:
            # the fee window runs from service: the delivery record's date is the proof of it
            fields["notice_received_on"] = served[e.seq]
        if row is not None:
            events.extend(row.clock_events(fields))
    return events


def served_dates(log: Iterable[Any]) -> dict[int, date]:
    """The served date of each log entry whose letter a delivery record served (the latest row wins)."""
    out: dict[int, date] = {}
    for e in log:
        if e.action in DELIVERY_LOG_ACTIONS:
            fields = parse_fields(e.fields)
            if isinstance(fields.get("served_on"), date) and fields.get("for_seq"):
                out[int(fields["for_seq"])] = fields["served_on"]
    return out


def policy_for(agency: Any) -> ClockPolicy:
    """The agency's readings of the clock rules (its settings page)."""
    return ClockPolicy(
        fee_pauses_reply_clock=getattr(agency, "fee_pauses_reply_clock", True), periods_need_service=True
    )


def deadlines_of(
    log: Iterable[Any], *, calendar: WorkingCalendar, today: date, convention: str, policy: ClockPolicy | None = None
) -> list[Deadline]:
    events = clock_events(log)
    if not events:
        return []
    return application_deadlines(
        events, calendar=calendar, today=today, convention=convention, policy=policy or ClockPolicy()
    )


def reply_of(deadlines: list[Deadline]) -> Deadline | None:
    return next((d for d in deadlines if d.key == "reply"), None)

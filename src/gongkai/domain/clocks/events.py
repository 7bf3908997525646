"""The dated events of an application that its clocks are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


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

"""The date an application counts as received (第三十一条): day 0 of every clock, fixed by the channel.

- in person (and an oral application the office writes down, 第二十九条): the day it is handed in;
- post the agency signs for: the day it signs;
- ordinary post needing no signature: the day the office confirms with the applicant, which it must
  do on the day the letter arrives;
- internet (web form; e-mail too [I], the 2019 text has no rule of its own for it) and the office's
  fax: the day both sides confirm.

Until a confirmation-channel application is confirmed it has no receipt date (state 待确认收到).
A date the channel does not use is refused rather than ignored, so a wrong channel is caught at
intake instead of silently fixing the wrong day 0.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from gongkai.domain.errors import DomainError


class Channel(StrEnum):
    IN_PERSON = "in_person"
    ORAL = "oral"
    POST_SIGNED = "post_signed"
    POST_UNSIGNED = "post_unsigned"
    ONLINE = "online"
    EMAIL = "email"
    FAX = "fax"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def date_field(self) -> str:
        """The one argument of :func:`receipt_date` this channel reads."""
        return _DATE_FIELD[self]

    @property
    def needs_confirmation(self) -> bool:
        return self.date_field == "confirmed_on"


_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.ORAL: "口头申请（代为填写）",
    Channel.POST_SIGNED: "邮寄（签收）",
    Channel.POST_UNSIGNED: "平信",
    Channel.ONLINE: "网上申请",
    Channel.EMAIL: "电子邮件",
    Channel.FAX: "传真",
}
_DATE_FIELD = {
    Channel.IN_PERSON: "handed_in_on",
    Channel.ORAL: "handed_in_on",
    Channel.POST_SIGNED: "signed_for_on",
    Channel.POST_UNSIGNED: "confirmed_on",
    Channel.ONLINE: "confirmed_on",
    Channel.EMAIL: "confirmed_on",
    Channel.FAX: "confirmed_on",
}
DATE_LABELS = {"handed_in_on": "提交日期", "signed_for_on": "签收日期", "confirmed_on": "与申请人确认日期"}


def receipt_date(
    channel: Channel | str,
    *,
    handed_in_on: date | None = None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date | None:
    """The receipt date for ``channel``; None while a confirmation channel is not yet confirmed."""
    try:
        channel = Channel(channel)
    except ValueError:
        raise DomainError(f"未知的申请渠道“{channel}”") from None
    given = {"handed_in_on": handed_in_on, "signed_for_on": signed_for_on, "confirmed_on": confirmed_on}
    for name, value in given.items():
        if value is None:
            continue
        if not isinstance(value, date) or isinstance(value, datetime):
            raise DomainError(f"“{DATE_LABELS[name]}”应为日期，收到的是“{value!r}”")
        if name != channel.date_field:
            raise DomainError(
                f"{channel.label}的申请以{DATE_LABELS[channel.date_field]}为收到日期，不应填写{DATE_LABELS[name]}"
            )
    value = given[channel.date_field]
    if value is None and not channel.needs_confirmation:
        raise DomainError(
            f"{channel.label}的申请须填写{DATE_LABELS[channel.date_field]}，以确定收到申请之日（第三十一条）"
        )
    return value


def late_confirmation_warning(channel: Channel | str, *, arrived_on: date | None, confirmed_on: date) -> str:
    """A warning when an ordinary letter was confirmed after the day it arrived, else "".

    第三十一条（二）: the office confirms an ordinary letter with the applicant *on the day it
    arrives*, and the confirmation day is the receipt date; a later confirmation moves day 0 of
    every clock and is the office's lapse, so the case records it (the move is still allowed: the
    applicant must not lose the application for it).
    """
    if Channel(channel) is not Channel.POST_UNSIGNED or arrived_on is None or confirmed_on <= arrived_on:
        return ""
    return (
        f"平信于{arrived_on}到达，{confirmed_on}才与申请人确认：第三十一条（二）要求在收到申请的当日确认。"
        "收到申请之日以确认之日计，请在案卷中说明迟延确认的原因"
    )

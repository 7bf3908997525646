"""Reminders by e-mail and SMS: the channels, the states of a message in the outbox, and quiet hours.

Plain rules, no clock: the app passes the local time. Quiet hours hold an SMS sent at night until
the morning (a text wakes someone; an e-mail waits in the inbox, so e-mail is never held).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from gongkai.domain.errors import DomainError


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"

    @property
    def label(self) -> str:
        return {Channel.EMAIL: "电子邮件", Channel.SMS: "短信"}[self]


class MessageState(StrEnum):
    """A message's way through the outbox. ``sending`` is written before the message is handed to
    the backend and ``sent`` after: a worker killed in between leaves ``sending``, which is tried
    again once it is stale (at least once, never lost)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            MessageState.PENDING: "待发送",
            MessageState.SENDING: "发送中",
            MessageState.SENT: "已发送",
            MessageState.FAILED: "发送失败",
        }[self]


@dataclass(frozen=True)
class QuietHours:
    """No SMS from ``start`` to ``end`` (local time); the window may run over midnight (21:00–08:00)."""

    start: time = time(21, 0)
    end: time = time(8, 0)

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise DomainError("免打扰时段的开始和结束时间不能相同")

    def is_quiet(self, at: time) -> bool:
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def release_at(self, local: datetime) -> datetime:
        """When an SMS due at ``local`` (naive or aware local time) may go: at once outside the quiet
        hours, else at the end of them (the same morning, or the next one when it is evening)."""
        if not self.is_quiet(local.timetz().replace(tzinfo=None)):
            return local
        morning = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return morning if morning > local else morning + timedelta(days=1)

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """``"21:00-08:00"`` → QuietHours; a Chinese DomainError for anything else."""
        try:
            a, b = (part.strip() for part in text.split("-"))
            return cls(time.fromisoformat(a), time.fromisoformat(b))
        except ValueError:
            raise DomainError(f"免打扰时段“{text}”应写成“21:00-08:00”") from None


# An SMS is a short text: longer bodies are cut with an ellipsis (a provider splits or refuses them).
SMS_MAX_CHARS = 70 * 3


def sms_text(subject: str, body: str) -> str:
    text = f"【{subject}】{body}".replace("\n", " ")
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"


_MOBILE_DIGITS = 11


def check_mobile(value: str) -> str:
    """A mainland mobile number (11 digits starting 1[3-9]), spaces and dashes dropped; a Chinese
    DomainError otherwise (an SMS cannot go to a landline)."""
    digits = "".join(c for c in (value or "") if c not in " -")
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) != _MOBILE_DIGITS or not digits.isdigit() or digits[0] != "1" or digits[1] not in "3456789":
        raise DomainError(f"手机号码“{value}”格式不正确，应为11位手机号码，例如 13800138000")
    return digits


def notice_recipient(channel: str, *, email: str, phone: str) -> str:
    """Where an applicant's notice goes on ``channel``: the e-mail or the mobile they gave; a Chinese
    DomainError when they gave no such address."""
    if channel == Channel.EMAIL:
        if not email:
            raise DomainError("选择电子邮件通知时，请填写电子邮箱")
        return email
    if channel == Channel.SMS:
        return check_mobile(phone)
    raise DomainError(f"未知的通知方式“{channel}”")

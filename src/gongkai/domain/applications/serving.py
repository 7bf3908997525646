"""Service of documents (送达): how a letter reached its addressee, and the checks on the record.

Every letter a case sends (the reply, the 补正告知书, the 延期答复告知书, a 征求意见函, the 收费通知…)
gets a delivery record: the method, the day it was sent, the day it was served, and the proof (the
signed 送达回证, the post's tracking printout, the e-mail's receipt). In a review or a lawsuit the
agency must prove that and when the applicant was told; the record is that proof's index.

Why the served date matters to the clocks (procedure.md, the spec this project follows):

- the fee window: "The applicant must pay **within 20 working days from the day after receiving
  the notice**" (§5.5, restating 国办函〔2020〕109号) and §3.3 "Fee payment window [S]: 20 working
  days from the day after the applicant receives the notice". The window runs from *service*, so
  the clock needs the served date, and with :attr:`ClockPolicy.periods_need_service` it waits for
  it instead of counting from the day the notice was sent (a guess);
- consultations: "15 working days from the day *they* receive the consultation letter (so the
  agency needs a delivery date for the letter)" (§3.3) — the move that starts one already asks it;
- the 补正 period: 第三十条 asks for "one single notice listing what to correct and a reasonable
  correction period" (§3.2) and says nothing of when the period starts. The notice this system
  prints fixes its period from its own date and prints the end date (letters.py), so that period is
  a date set by the act, not a clock that runs from service [I]. A notice served so late that
  little of it is left is flagged on the record (:func:`late_service_warning`): the office should
  then give a new, reasonable period.

Methods and what each needs: post (EMS, 挂号信) a tracking number (邮件号码); e-mail the address it
went to; 当面送达 is served the day it is handed over. The tracking number of an international-
format item (UPU S10: two letters, eight digits, a check digit, two letters, e.g. EA123456785CN)
must carry its check digit; China Post's domestic 13-digit numbers are taken as typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.fields import FieldError


class Method(StrEnum):
    IN_PERSON = "in_person"
    EMS = "ems"
    REGISTERED_MAIL = "registered_mail"
    EMAIL = "email"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]

    @property
    def is_post(self) -> bool:
        return self in (Method.EMS, Method.REGISTERED_MAIL)


METHOD_LABELS: Mapping[Method, str] = MappingProxyType(
    {
        Method.IN_PERSON: "当面送达",
        Method.EMS: "邮政EMS",
        Method.REGISTERED_MAIL: "挂号信",
        Method.EMAIL: "电子邮件",
        Method.ONLINE: "网上申请平台",
    }
)


class ProofKind(StrEnum):
    RETURN_RECEIPT = "return_receipt"
    TRACKING = "tracking"
    EMAIL_RECEIPT = "email_receipt"
    PLATFORM_RECORD = "platform_record"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PROOF_LABELS[self]


PROOF_LABELS: Mapping[ProofKind, str] = MappingProxyType(
    {
        ProofKind.RETURN_RECEIPT: "签收的送达回证",
        ProofKind.TRACKING: "邮件查询记录（妥投证明）",
        ProofKind.EMAIL_RECEIPT: "电子邮件发送或回执记录",
        ProofKind.PLATFORM_RECORD: "网上平台推送或查阅记录",
        ProofKind.OTHER: "其他送达凭证",
    }
)

# The proof each method usually leaves; shown as the default choice and named when it is missing.
USUAL_PROOF: Mapping[Method, ProofKind] = MappingProxyType(
    {
        Method.IN_PERSON: ProofKind.RETURN_RECEIPT,
        Method.EMS: ProofKind.TRACKING,
        Method.REGISTERED_MAIL: ProofKind.TRACKING,
        Method.EMAIL: ProofKind.EMAIL_RECEIPT,
        Method.ONLINE: ProofKind.PLATFORM_RECORD,
    }
)

_S10 = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
_TRACKING = re.compile(r"^[A-Z0-9]{10,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """The check digit of an 8-digit UPU S10 serial number (weights 8 6 4 2 3 5 9 7, mod 11)."""
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return 5 if check == 11 else 0 if check == 10 else check


def normalise_tracking(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def check_tracking_number(value: str) -> str:
    """The tracking number as stored (upper case, no spaces), or a FieldError in Chinese."""
    number = normalise_tracking(value)
    if not _TRACKING.match(number):
        raise FieldError("tracking_number", "邮件号码应为10至30位字母或数字，请按邮寄凭证填写")
    if _S10.match(number) and s10_check_digit(number[2:10]) != int(number[10]):
        raise FieldError("tracking_number", f"邮件号码{number}的校验位不正确，请核对邮寄凭证")
    return number


@dataclass(frozen=True)
class DeliveryEntry:
    """What the clerk enters for one delivery of one letter."""

    method: str
    sent_on: date
    served_on: date | None = None
    recipient: str = ""
    address: str = ""
    tracking_number: str = ""


def check_delivery(entry: DeliveryEntry, *, today: date, letter_date: date | None = None) -> DeliveryEntry:
    """The entry as stored, or a FieldError naming the field to correct (Chinese).

    - the method is one of :class:`Method`;
    - nothing is sent before the letter's own date nor after today; nothing is served before it was
      sent nor after today;
    - 当面送达 is served the day it is handed over (sent and served are one day);
    - post (EMS, 挂号信) carries its tracking number (:func:`check_tracking_number`);
    - e-mail names the address it was sent to.
    """
    try:
        method = Method(entry.method)
    except ValueError:
        raise FieldError("method", "请选择送达方式") from None
    if not entry.recipient.strip():
        raise FieldError("recipient", "请填写受送达人")
    if letter_date is not None and entry.sent_on < letter_date:
        raise FieldError("sent_on", f"发出日期（{entry.sent_on}）不能早于文书日期（{letter_date}）")
    if entry.sent_on > today:
        raise FieldError("sent_on", f"发出日期（{entry.sent_on}）不能晚于今天（{today}）")
    served = entry.served_on
    if served is not None:
        check_served_on(method=method, sent_on=entry.sent_on, served_on=served, today=today)
    tracking = ""
    if method.is_post:
        if not entry.tracking_number.strip():
            raise FieldError("tracking_number", f"{method.label}送达须填写邮件号码")
        tracking = check_tracking_number(entry.tracking_number)
    elif entry.tracking_number.strip():
        raise FieldError("tracking_number", f"{method.label}不需要填写邮件号码")
    address = entry.address.strip()
    if method is Method.EMAIL:
        if not _EMAIL.match(address):
            raise FieldError("address", "电子邮件送达须填写发送到的电子邮箱地址")
    return DeliveryEntry(
        method=method.value,
        sent_on=entry.sent_on,
        served_on=served,
        recipient=entry.recipient.strip(),
        address=address,
        tracking_number=tracking,
    )


def check_served_on(*, method: str, sent_on: date, served_on: date, today: date) -> None:
    """The served date against the sending (also when it is entered later, once the post knows it)."""
    if served_on < sent_on:
        raise FieldError("served_on", f"送达日期（{served_on}）不能早于发出日期（{sent_on}）")
    if served_on > today:
        raise FieldError("served_on", f"送达日期（{served_on}）不能晚于今天（{today}）；尚未送达的请暂不填写")
    if Method(method) is Method.IN_PERSON and served_on != sent_on:
        raise FieldError("served_on", "当面送达的，送达日期即交付日期，应与发出日期相同")


def late_service_warning(*, served_on: date, period_ends: date | None, working_days_left: int | None) -> str:
    """A 补正告知书 served when little or none of its period was left (the period is fixed by the
    notice, see the module's note): the office should give a new, reasonable period [I]."""
    if period_ends is None or working_days_left is None:
        return ""
    if served_on > period_ends:
        return (
            f"补正告知书送达时补正期限（{period_ends}）已届满，申请人无法按期补正，应重新确定合理的补正期限（第三十条）"
        )
    if working_days_left < 1:
        return f"补正告知书送达时补正期限仅剩不足1个工作日（至{period_ends}），应重新确定合理的补正期限（第三十条）"
    return ""


# The case-log rows a delivery writes (from_state = to_state: they move no state). ``for_seq`` in
# their fields names the log entry whose letter was served; the clocks read the served date from
# the latest such row (applications.clock), so a corrected date is a new row, never an edit.
LOG_DELIVERY = "record_delivery"
LOG_SERVED = "record_served"
LOG_ACTIONS: Mapping[str, str] = MappingProxyType({LOG_DELIVERY: "登记送达", LOG_SERVED: "登记送达日期"})
# The labels of a delivery row's fields in the case log.
LOG_FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "letter": "送达文书",
        "for_seq": "对应办理记录序号",
        "delivery_method": "送达方式",
        "delivery_sent_on": "发出日期",
        "served_on": "送达日期",
        "recipient": "受送达人",
        "address": "送达地址",
        "tracking_number": "邮件号码",
        "warning": "提示",
    }
)

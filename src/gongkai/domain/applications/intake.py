"""Where an application came from (直接提交 or 转来), how the applicant's identity was checked, and an
agent (委托代理人): the intake facts registered with an application.

第三十一条 (the 2019 条例; the spec, ``../shared/spec/procedure.md`` §2, gives it as a table):
:data:`ARTICLE_31` (checked word for word on 2026-12-07 against the article as a legal
reference site republishes it). It fixes the day *the agency* receives an application. An application forwarded
by the government office, a 12345 work order or the 信访 office reaches this agency when the
forwarded papers or the order arrive here, so [I]:

- a forwarded application on paper (handed over, or posted and signed for) is received the day this
  office has it: the channel's date (提交日期 / 签收日期) is the day it reached the office, never the
  day the applicant wrote to the forwarding body (第三十一条（一）（二）);
- one forwarded electronically (e-mail, the 12345 system, fax) or as an unsigned letter is received
  the day the office confirms it with the applicant (第三十一条（二）（三）), which cannot be before it
  reached the office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.domain.applications.receipt import Channel
from gongkai.domain.fields import FieldError

ARTICLE_31 = (
    "行政机关收到政府信息公开申请的时间，按照下列规定确定：（一）申请人当面提交政府信息公开申请的，以提交之日为收到申请之日；"
    "（二）申请人以邮寄方式提交政府信息公开申请的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的邮寄方式"
    "提交政府信息公开申请的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日；"
    "（三）申请人通过互联网渠道或者政府信息公开工作机构的传真提交政府信息公开申请的，以双方确认之日为收到申请之日。"
)


class Origin(StrEnum):
    DIRECT = "direct"
    GOV_OFFICE = "gov_office"
    HOTLINE_12345 = "hotline_12345"
    PETITION = "petition"

    @property
    def label(self) -> str:
        return ORIGIN_LABELS[self]

    @property
    def forwarded(self) -> bool:
        return self is not Origin.DIRECT

    @property
    def reference_label(self) -> str:
        return {
            Origin.DIRECT: "",
            Origin.GOV_OFFICE: "转办单编号",
            Origin.HOTLINE_12345: "12345工单编号",
            Origin.PETITION: "信访件编号",
        }[self]


ORIGIN_LABELS = {
    Origin.DIRECT: "直接提交",
    Origin.GOV_OFFICE: "政府办公室转来",
    Origin.HOTLINE_12345: "12345工单转来",
    Origin.PETITION: "信访转来",
}


class IdentityCheck(StrEnum):
    WINDOW_ORIGINAL = "window_original"
    E_LICENCE = "e_licence"
    COPY = "copy"
    UNVERIFIED = "unverified"

    @property
    def label(self) -> str:
        return IDENTITY_CHECK_LABELS[self]


IDENTITY_CHECK_LABELS = {
    IdentityCheck.WINDOW_ORIGINAL: "窗口核验原件",
    IdentityCheck.E_LICENCE: "电子证照",
    IdentityCheck.COPY: "复印件",
    IdentityCheck.UNVERIFIED: "未核验",
}

# the channels whose receipt date is a day the office has the papers in hand (第三十一条（一）（二）)
_IN_HAND = frozenset({Channel.IN_PERSON, Channel.ORAL, Channel.POST_SIGNED})


@dataclass(frozen=True)
class Intake:
    origin: Origin = Origin.DIRECT
    reference: str = ""  # the forwarding body's number (转办单, 工单, 信访件)
    reached_on: date | None = None  # the day it reached this office
    original_submitted_on: date | None = None  # the day the applicant wrote to the forwarding body
    identity_check: IdentityCheck | None = None
    agent_name: str = ""
    agent_id_number: str = ""
    agent_phone: str = ""
    has_power_of_attorney: bool = False

    @property
    def has_agent(self) -> bool:
        return bool(self.agent_name or self.agent_id_number or self.agent_phone or self.has_power_of_attorney)


def forwarded_receipt_dates(
    channel: Channel | str, *, reached_on: date | None, given: dict[str, date]
) -> dict[str, date]:
    """The channel dates of a forwarded application: the day it reached this office is the receipt
    date of paper handed over or signed for (filled in when left empty, refused when another day
    is typed); a confirmation is never before it reached the office."""
    channel = Channel(channel)
    out = dict(given)
    if reached_on is None:
        return out
    if channel in _IN_HAND:
        typed = out.get(channel.date_field)
        if typed is None:
            out[channel.date_field] = reached_on
        elif typed != reached_on:
            raise FieldError(
                channel.date_field,
                f"转来的申请以转来材料到达本机关之日（{reached_on}）为收到申请之日，"
                f"不是{typed}（第三十一条：以行政机关收到申请之日计）",
            )
    elif out.get("confirmed_on") is not None and out["confirmed_on"] < reached_on:
        raise FieldError(
            "confirmed_on",
            f"与申请人确认日期不能早于转来的申请到达本机关之日（{reached_on}）（第三十一条）",
        )
    return out


def check_intake(intake: Intake, *, today: date) -> None:
    """What an intake must say (FieldError naming the field), before anything is stored.

    [I] The identity check is recorded when the clerk chooses one and left 未记录 otherwise: 第二十九条
    asks for the applicant's 身份证明, not for a way of checking it, so its absence refuses nothing."""
    if intake.origin.forwarded:
        if not intake.reference.strip():
            raise FieldError("origin_reference", f"请填写“{intake.origin.reference_label}”")
        if intake.reached_on is None:
            raise FieldError(
                "reached_on", "请填写“到达本机关日期”（转来的申请以到达本机关之日确定收到日期，第三十一条）"
            )
        if intake.reached_on > today:
            raise FieldError("reached_on", "“到达本机关日期”不能晚于今天")
        if intake.original_submitted_on and intake.original_submitted_on > intake.reached_on:
            raise FieldError("original_submitted_on", "申请人向转办机关提出申请的日期不能晚于到达本机关日期")
    elif intake.reference or intake.reached_on or intake.original_submitted_on:
        raise FieldError("origin", "直接提交的申请不填写转办编号和到达日期；转来的申请请选择来源")
    if intake.has_agent:
        for name, label in (
            ("agent_name", "代理人姓名"),
            ("agent_id_number", "代理人身份证明号码"),
            ("agent_phone", "代理人联系电话"),
        ):
            if not getattr(intake, name).strip():
                raise FieldError(name, f"委托代理人申请的，请填写“{label}”")
        if not intake.has_power_of_attorney:
            raise FieldError("power_of_attorney", "委托代理人申请的，请上传授权委托书")

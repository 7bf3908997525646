"""The notices and replies a case calls for, rendered as editable Word documents (docxtpl).

Which letters a case needs is read from its log (:func:`letter_kinds_for`):

===========================  =========================  ==========================================
log entry                    letter (kind)              cites
===========================  =========================  ==========================================
request_correction           补正告知书                 第三十条: the items, the correction period
ask_reason                   说明理由告知书             第三十五条: explain the volume/frequency
set_delay_period             延迟答复期限告知书         第三十五条: the reply date set
start_third_party_…          第三方意见征询函           第三十二条: 15 working days from delivery
start_agency_consultation    征求意见函（其他机关）     第三十四条: 15 working days, silence = consent
end_consultation (third      决定公开告知书（第三方）   第三十二条: what is disclosed and why,
party objected) + a                                     with the third party's remedies
disclosing outcome
approve_extension            延期答复告知书             第三十三条第二款: reason, new due date
notify_fee                   收费通知                   第四十二条, 国办函〔2020〕109号: method,
                                                        tariff, amount, 20 working days to pay
the concluding move, or a    答复书, one template per   the outcome's article
reply awaiting sign-off      outcome family             (``outcomes.outcome(code).basis``) and the
                             (``reply_<family>``), own  remedies of 第五十一条
                             ones for 已主动公开 (36（一）),
                             行政查询事项 (36（七）),
                             非本机关 (36（五）: names
                             the responsible agency)
===========================  =========================  ==========================================

Every letter gets a 文书编号 (``reference_number``, e.g. 示教信公〔2025〕3号) when it is first
generated: one sequence per agency and year (``LetterNumberSequence``, taken under a row lock),
pattern and short names from the settings ``GONGKAI_LETTER_REFERENCE_PATTERN`` and
``GONGKAI_LETTER_SHORT_NAMES``; a new draft of the same letter keeps its number.

Templates. :func:`generate_letter` renders the agency's own template when its office head uploaded
one on the letter-templates page (``LetterTemplate``, :mod:`.custom_templates`: checked by rendering a
sample, previewed, reset to ours), else ``MEDIA_ROOT/letter_templates/<kind>.docx`` when an
administrator put one there, else the packaged ``letter_templates/<kind>.docx`` (built by
``build_templates.py`` there). An agency replaces a letter's wording by downloading the template in
use, editing it in Word and uploading it; the docxtpl tags it keeps are filled in, the rest is its
own text.

Variables every template may use: ``agency_name``, ``tracking_number``, ``reference_number``,
``applicant_name``, ``received_on``, ``description`` (without a final 。, it is quoted),
``letter_date`` (dates already written as 2025年9月1日), ``contact_person``, ``contact_phone`` (the
agency's settings, a blank line to fill in when one is not set), ``remedies`` (第五十一条, naming the agency's 复议机关 and competent court when its settings hold them,
:func:`remedies_for`). Per kind:

- correction_notice: ``items`` (list), ``correction_period``, ``requested_on``;
- third_party_consultation, agency_consultation: ``party``, ``sent_on``, ``delivered_on``, ``consultation_due``;
- reason_request: ``requested_on``; delay_period_notice: ``reply_until``, ``notified_on``;
- third_party_disclosure_notice: ``party``, ``sent_on``, ``ended_on``, ``partial``, ``disclosed_content``,
  ``public_interest_reason`` (blank lines), ``remedies`` (the third party's);
- extension_notice: ``reason``, ``working_days``, ``original_due``, ``new_due``;
- fee_notice: ``method_label``, ``explanation``, ``amount``, ``amount_in_words``, ``pay_due``,
  ``payment_method``, ``notice_received_on``;
- reply_*: ``outcome_label``, ``family_label``, ``decision``, ``basis_citation``, ``legal_basis``,
  ``legal_basis_note`` (the clerk's basis when it adds to the outcome's article),
  ``provides``, ``delivery_form``, ``delivery_channel``, ``withheld_reason``, ``reply_date``;
  reply_not_this_agency also ``responsible_known``, ``responsible_agency``, ``responsible_agency_contact``.

A date counted before next year's holiday notice is entered is provisional (only a lower bound):
then ``correction_period``, ``consultation_due``, ``original_due``, ``new_due`` and ``pay_due``
state the statutory period in words (e.g. 原答复期限届满后第20个工作日（按国务院办公厅公布的节假日
安排计算）) instead of a date, so a letter never binds the agency to a provisional date.

Every value is escaped when rendered (docxtpl ``autoescape``), so what an applicant typed can never
break the document.

The clerk downloads the generated file, edits it if needed, and uploads the signed version
(:func:`upload_signed_letter`); only signed versions are shown to the applicant
(:func:`letters_for_applicant`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from docxtpl import DocxTemplate

from gongkai.applications import clock
from gongkai.applications.checks import is_docx
from gongkai.applications.models import (
    Application,
    CaseEvent,
    DeliveryChannel,
    DeliveryForm,
    Letter,
    LetterNumberSequence,
    LetterTemplate,
)
from gongkai.domain.applications.letters import (
    ALL_REPLY_DETAIL_FIELDS,
    agency_short_name,
    quotable,
    reference_number,
    remedies_text,
    third_party_remedies_text,
)
from gongkai.domain.applications.serving import LOG_ACTIONS as DELIVERY_LOG_ACTIONS
from gongkai.domain.applications.workflow import DRAFT_STATES, DRAFTING_ACTIONS, Action, State
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.fees import FeeMethod, fee_for_application
from gongkai.domain.fields import FieldError
from gongkai.domain.outcomes import OutcomeFamily, outcome
from gongkai.workcalendar.selectors import working_calendar

PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "letter_templates"
SIGNED_MAX_BYTES = 10 * 1024 * 1024
SIGNED_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BLANK = "＿＿＿＿＿＿＿＿"


class LetterKind(StrEnum):
    CORRECTION_NOTICE = "correction_notice"
    REASON_REQUEST = "reason_request"
    DELAY_PERIOD_NOTICE = "delay_period_notice"
    THIRD_PARTY_CONSULTATION = "third_party_consultation"
    AGENCY_CONSULTATION = "agency_consultation"
    THIRD_PARTY_DISCLOSURE_NOTICE = "third_party_disclosure_notice"
    EXTENSION_NOTICE = "extension_notice"
    FEE_NOTICE = "fee_notice"
    REPLY_ALREADY_PUBLIC = "reply_already_public"
    REPLY_GRANTED = "reply_granted"
    REPLY_PARTIALLY_GRANTED = "reply_partially_granted"
    REPLY_WITHHELD = "reply_withheld"
    REPLY_SPECIAL_QUERY = "reply_special_query"
    REPLY_UNABLE = "reply_unable"
    REPLY_NOT_THIS_AGENCY = "reply_not_this_agency"
    REPLY_NOT_PROCESSED = "reply_not_processed"
    REPLY_OTHER_HANDLING = "reply_other_handling"

    @property
    def label(self) -> str:
        if self in _LABELS:
            return _LABELS[self]
        return f"答复书（{OutcomeFamily(self.value.removeprefix('reply_')).label}）"

    @property
    def is_reply(self) -> bool:
        return self.value.startswith("reply_")

    @property
    def to_applicant(self) -> bool:
        """Addressed to the applicant (the others go to a third party or another agency)."""
        return self not in _NOT_TO_APPLICANT

    @classmethod
    def reply_for(cls, outcome_code: str) -> LetterKind:
        # outcomes whose article asks the reply to say something its family's template does not
        own = _OWN_REPLY.get(outcome_code)
        return own if own is not None else cls(f"reply_{outcome(outcome_code).family.value}")


_LABELS = {
    LetterKind.CORRECTION_NOTICE: "补正告知书",
    LetterKind.REASON_REQUEST: "说明理由告知书",
    LetterKind.DELAY_PERIOD_NOTICE: "延迟答复期限告知书",
    LetterKind.THIRD_PARTY_CONSULTATION: "第三方意见征询函",
    LetterKind.AGENCY_CONSULTATION: "征求意见函（其他机关）",
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: "决定公开告知书（第三方）",
    LetterKind.EXTENSION_NOTICE: "延期答复告知书",
    LetterKind.FEE_NOTICE: "收费通知",
    LetterKind.REPLY_ALREADY_PUBLIC: "答复书（已主动公开）",
    LetterKind.REPLY_SPECIAL_QUERY: "答复书（告知按特别规定办理）",
    LetterKind.REPLY_NOT_THIS_AGENCY: "答复书（不属于本机关负责公开）",
}
_NOT_TO_APPLICANT = frozenset(
    {LetterKind.THIRD_PARTY_CONSULTATION, LetterKind.AGENCY_CONSULTATION, LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE}
)
# 第三十六条（一）: 已主动公开 is told where to find it, not given it (not the 予以公开 letter);
# 第三十六条（七）: 行政查询事项 is referred to the special procedure, nothing is withheld (not the
# 不予公开 letter); 第三十六条（五）: 非本机关 names the responsible agency (not "apply again").
_OWN_REPLY = {
    "already_public": LetterKind.REPLY_ALREADY_PUBLIC,
    "special_query_procedure": LetterKind.REPLY_SPECIAL_QUERY,
    "not_this_agency": LetterKind.REPLY_NOT_THIS_AGENCY,
}
# The log entry that calls for each notice (replies are found from the outcome, see below).
_NOTICE_ACTIONS = {
    Action.REQUEST_CORRECTION: LetterKind.CORRECTION_NOTICE,
    Action.ASK_REASON: LetterKind.REASON_REQUEST,
    Action.SET_DELAY_PERIOD: LetterKind.DELAY_PERIOD_NOTICE,
    Action.START_THIRD_PARTY_CONSULTATION: LetterKind.THIRD_PARTY_CONSULTATION,
    Action.START_AGENCY_CONSULTATION: LetterKind.AGENCY_CONSULTATION,
    Action.APPROVE_EXTENSION: LetterKind.EXTENSION_NOTICE,
    Action.NOTIFY_FEE: LetterKind.FEE_NOTICE,
}
# Outcomes that disclose (some of) the information: after a third party objected, 第三十二条
# requires telling it in writing what is disclosed and why.
_DISCLOSING = frozenset({"disclosed", "partially_disclosed"})


@dataclass(frozen=True)
class LetterNeed:
    """A letter the case's log calls for, and the letters already generated for it."""

    kind: LetterKind
    event: CaseEvent
    letters: tuple[Letter, ...] = ()

    @property
    def label(self) -> str:
        return self.kind.label


def _kind(value: LetterKind | str) -> LetterKind:
    try:
        return LetterKind(value)
    except ValueError:
        raise DomainError(f"未知的文书类型“{value}”") from None


# A reply written and awaiting signatures or its issue: its letter belongs to the move that wrote it
# (提交签发, or a direct 作出答复 / 不予处理 that needs no signature).
_DRAFT_STATES = DRAFT_STATES
_DRAFTING = frozenset(a.value for a in DRAFTING_ACTIONS)


def _draft_event(log: list[CaseEvent]) -> CaseEvent | None:
    return next((e for e in reversed(log) if e.action in _DRAFTING), None)


def _decided_outcome(application: Application) -> str:
    """The outcome decided, or awaiting sign-off."""
    if application.outcome_code:
        return application.outcome_code
    return application.pending_outcome if application.state in _DRAFT_STATES else ""


def _third_party_objected(e: CaseEvent) -> bool:
    return (
        e.action == Action.END_CONSULTATION
        and e.from_state == State.THIRD_PARTY_CONSULTATION
        and clock.parse_fields(e.fields).get("response") == "objected"
    )


def _needs_from_log(application: Application, log: list[CaseEvent]) -> list[tuple[LetterKind, CaseEvent]]:
    needs: list[tuple[LetterKind, CaseEvent]] = []
    log = [e for e in log if e.action not in DELIVERY_LOG_ACTIONS]  # a delivery serves a letter, calls for none
    disclosing = _decided_outcome(application) in _DISCLOSING
    for e in log:
        kind = _NOTICE_ACTIONS.get(e.action)  # type: ignore[call-overload]
        if kind is not None:
            needs.append((kind, e))
        elif disclosing and _third_party_objected(e):
            needs.append((LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE, e))
    if application.outcome_code and log and State(log[-1].to_state).is_terminal:
        # an issued reply is the letter drafted when it was submitted for sign-off
        drafted = _draft_event(log) if log[-1].action == Action.ISSUE_REPLY else None
        needs.append((LetterKind.reply_for(application.outcome_code), drafted or log[-1]))
    elif application.state in _DRAFT_STATES and application.pending_outcome:
        draft = _draft_event(log)
        if draft is not None:
            needs.append((LetterKind.reply_for(application.pending_outcome), draft))
    return needs


def letter_kinds_for(application: Application) -> list[LetterNeed]:
    """The letters the case's log calls for, in log order, each with the letters generated for it."""
    log = list(application.events.order_by("seq"))
    existing: dict[tuple[str, int | None], list[Letter]] = {}
    for letter in application.letters.order_by("created_at", "id"):
        existing.setdefault((letter.kind, letter.event_id), []).append(letter)
    return [
        LetterNeed(kind, e, tuple(existing.get((kind.value, e.pk), ())))
        for kind, e in _needs_from_log(application, log)
    ]


# -- rendering ----------------------------------------------------------------------------------


def cn_date(d: date | None) -> str:
    """2025年9月1日 (no leading zeros), the way dates are written in official letters."""
    return f"{d.year}年{d.month}月{d.day}日" if d else BLANK


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def amount_in_words(yuan: int) -> str:
    """Whole yuan in capital numerals as written on receipts: 83460 → 捌万叁仟肆佰陆拾元整."""
    if yuan < 0:
        raise ValueError("amount must not be negative")
    if yuan == 0:
        return "零元整"
    groups: list[int] = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    out = ""
    zero_pending = False
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or g < 1000):
            out += "零"
        zero_pending = False
        text, inner_zero = "", False
        for pos in range(3, -1, -1):
            digit = g // 10**pos % 10
            if digit == 0:
                inner_zero = bool(text)
                continue
            if inner_zero:
                text += "零"
                inner_zero = False
            text += _DIGITS[digit] + _UNITS[pos]
        out += text + _GROUPS[gi]
    return out + "元整"


def template_path(kind: LetterKind | str) -> Path:
    """The installation's template file of ``kind``: one an administrator put in
    MEDIA_ROOT/letter_templates/ (the older way, kept for installations that use it), else ours."""
    kind = _kind(kind)
    own = Path(settings.MEDIA_ROOT) / "letter_templates" / f"{kind.value}.docx"
    return own if own.is_file() else PACKAGED_TEMPLATES / f"{kind.value}.docx"


def template_source(kind: LetterKind | str, agency=None) -> Path | io.BytesIO:
    """What a letter of ``kind`` is rendered from: the agency's uploaded template (its letter-templates
    page, :mod:`gongkai.applications.custom_templates`) when it has one, else :func:`template_path`."""
    kind = _kind(kind)
    if agency is not None:
        content = (
            LetterTemplate.objects.filter(agency=agency, kind=kind.value).values_list("content", flat=True).first()
        )
        if content is not None:
            return io.BytesIO(bytes(content))
    return template_path(kind)


def render_docx(source: Path | io.BytesIO, context: dict[str, Any], jinja_env=None) -> bytes:
    doc = DocxTemplate(str(source) if isinstance(source, Path) else source)
    doc.render(context, jinja_env, autoescape=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_FUTURE_FIELDS = frozenset({"until", "reply_until"})  # periods set, not days something happened


def _dates_in(log: list[CaseEvent]) -> list[date]:
    out = []
    for e in log:
        out += [v for k, v in clock.parse_fields(e.fields).items() if isinstance(v, date) and k not in _FUTURE_FIELDS]
    return out


def _deadlines_at(application: Application, log: list[CaseEvent], upto: CaseEvent, calendar: WorkingCalendar):
    """The case's clocks as they stood right after ``upto`` (so a letter states the dates of its day)."""
    prefix = [e for e in log if e.seq <= upto.seq]
    as_of = max(_dates_in(prefix), default=application.received_on or timezone.localdate())
    return clock.deadlines_of(
        prefix,
        calendar=calendar,
        today=as_of,
        convention=application.convention,
        policy=clock.policy_for(application.agency),
    )


# A letter is binding: a date counted before next year's holiday notice is entered is only a
# lower bound (预计), so the letter states the statutory period in words instead of that date.
COUNTED_BY_NOTICE = "（按国务院办公厅公布的节假日安排计算）"


def _due_or_words(deadline, words: str) -> str:
    """The due date as written in a letter, or ``words`` (the period) while it is provisional."""
    if deadline is None:
        return cn_date(None)
    return words + COUNTED_BY_NOTICE if deadline.provisional else cn_date(deadline.due)


def _deadline(deadlines, key: str, label_part: str = ""):
    return next((d for d in deadlines if d.key == key and label_part in d.label), None)


# 第五十一条 with the periods of 行政复议法 第二十条 and 行政诉讼法 第四十六条, as every letter to the
# applicant states it; a template prints ``{{ remedies }}``, so naming the agency's 复议机关 and court
# (its settings) changes only this text, never the templates an agency has edited. REMEDIES and
# THIRD_PARTY_REMEDIES are the generic texts of an agency whose settings name neither.
REMEDIES = remedies_text()
THIRD_PARTY_REMEDIES = third_party_remedies_text()


def remedies_for(agency) -> str:
    return remedies_text(agency.review_body, agency.competent_court)


def third_party_remedies_for(agency) -> str:
    return third_party_remedies_text(agency.review_body, agency.competent_court)


def _base_context(application: Application, letter_date: date | None) -> dict[str, Any]:
    return {
        "agency_name": application.agency.name,
        "tracking_number": application.tracking_number,
        "reference_number": BLANK,
        "applicant_name": application.applicant_name,
        # a case withdrawn before its receipt was confirmed has no receipt date: the day it came in
        "received_on": cn_date(application.received_on or timezone.localtime(application.submitted_at).date()),
        # quoted in “…”。: its own final 。 would print “…。”。
        "description": quotable(application.description),
        "letter_date": cn_date(letter_date),
        # the agency's settings; a blank line to fill in by hand while they are not set
        "contact_person": application.agency.contact_person or BLANK,
        "contact_phone": application.agency.phone or BLANK,
        "remedies": remedies_for(application.agency),
    }


def _correction_context(app, event, fields, log, calendar) -> dict[str, Any]:
    deadline = _deadline(_deadlines_at(app, log, event, calendar), "correction_period")
    if fields.get("until"):
        period = f"{cn_date(fields['until'])}前"
    elif deadline is not None and deadline.provisional:
        period = f"本告知书发出之日起{fields['period_working_days']}个工作日内{COUNTED_BY_NOTICE}"
    else:
        period = f"本告知书发出之日起{fields['period_working_days']}个工作日内（即{cn_date(deadline.due if deadline else None)}前）"
    return {
        "items": list(fields["items"]),
        "correction_period": period,
        "requested_on": cn_date(fields["requested_on"]),
    }


def _consultation_context(app, event, fields, log, calendar) -> dict[str, Any]:
    deadlines = _deadlines_at(app, log, event, calendar)
    party = fields.get("party", "")
    due = _deadline(deadlines, "consultation_reply", party)
    return {
        "party": party,
        "sent_on": cn_date(fields["sent_on"]),
        "delivered_on": cn_date(fields["delivered_on"]),
        "consultation_due": _due_or_words(due, "送达之日起第15个工作日"),
    }


def _agency_consultation_context(app, event, fields, log, calendar) -> dict[str, Any]:
    context = _consultation_context(app, event, fields, log, calendar)
    context["consultation_due"] = _due_or_words(
        _deadline(_deadlines_at(app, log, event, calendar), "consultation_reply", fields.get("party", "")),
        "收到本函之日起第15个工作日",
    )
    return context


def _reason_request_context(app, event, fields, log, calendar) -> dict[str, Any]:
    return {"requested_on": cn_date(fields["requested_on"])}


def _delay_period_context(app, event, fields, log, calendar) -> dict[str, Any]:
    return {"reply_until": cn_date(fields["reply_until"]), "notified_on": cn_date(fields["notified_on"])}


def _disclosure_notice_context(app, event, fields, log, calendar) -> dict[str, Any]:
    start = next(
        (e for e in reversed(log) if e.seq < event.seq and e.action == Action.START_THIRD_PARTY_CONSULTATION), None
    )
    started = clock.parse_fields(start.fields) if start else {}
    return {
        "party": fields.get("party", ""),
        "sent_on": cn_date(started.get("sent_on")),
        "ended_on": cn_date(fields.get("ended_on")),
        "partial": _decided_outcome(app) == "partially_disclosed",
        "disclosed_content": BLANK,
        "public_interest_reason": BLANK,
        "remedies": third_party_remedies_for(app.agency),
    }


def _extension_context(app, event, fields, log, calendar) -> dict[str, Any]:
    request = next((e for e in reversed(log) if e.seq < event.seq and e.action == Action.REQUEST_EXTENSION), None)
    before = _deadlines_at(app, log, request, calendar) if request else []
    after = _deadlines_at(app, log, event, calendar)
    reason = clock.parse_fields(request.fields).get("reason", "") if request else ""
    return {
        "reason": reason.rstrip("。；;，, "),
        "working_days": fields["working_days"],
        "original_due": _due_or_words(_deadline(before, "reply"), "原答复期限届满之日"),
        "new_due": _due_or_words(_deadline(after, "reply"), f"原答复期限届满后第{fields['working_days']}个工作日"),
    }


def _fee_context(app, event, fields, log, calendar) -> dict[str, Any]:
    quote = fee_for_application(
        method=fields["method"], month_position=fields.get("month_position"), pages=fields.get("pages")
    )
    return {
        "method_label": FeeMethod(fields["method"]).label,
        "explanation": quote.explanation,
        "amount": fields["amount"],
        "amount_in_words": amount_in_words(int(fields["amount"])),
        "pay_due": _fee_due(_deadline(_deadlines_at(app, log, event, calendar), "fee_payment")),
        "payment_method": BLANK + "（请填写缴款账户或者缴款码）",
        "notice_received_on": cn_date(fields.get("notice_received_on")),
    }


def _fee_due(deadline) -> str:
    # the window runs from service (国办函〔2020〕109号): before the notice is served it is stated as a period
    if deadline is None:
        return "收到本通知之次日起第20个工作日"
    return _due_or_words(deadline, "第20个工作日")


def _decision_text(code: str, app: Application, log: list[CaseEvent]) -> str:
    def field_of(action: str, name: str) -> Any:
        e = next((e for e in reversed(log) if e.action == action), None)
        if e is not None and name == "notice_received_on":  # served later: the delivery record's date
            return clock.served_dates(log).get(e.seq) or clock.parse_fields(e.fields).get(name)
        return clock.parse_fields(e.fields).get(name) if e else None

    texts = {
        "already_public": f"您申请获取的政府信息本机关已经主动公开，您可以通过以下方式、途径获取：{BLANK}。",
        "disclosed": "您申请获取的政府信息属于公开范围，本机关予以公开。",
        "partially_disclosed": "您申请获取的政府信息中有部分内容依法不予公开。本机关对能够区分处理的部分予以公开，对不予公开的部分说明理由。",
        "withheld_state_secret": "您申请获取的政府信息经依法确定为国家秘密，本机关不予公开。",
        "withheld_law_prohibited": "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关不予公开。",
        "withheld_security_stability": "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关不予公开。",
        "withheld_third_party": "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关不予公开。",
        "withheld_internal_affairs": "您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，本机关不予公开。",
        "withheld_process_info": "您申请获取的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关不予公开。",
        "withheld_enforcement_file": "您申请获取的政府信息属于行政执法案卷信息，本机关不予公开。",
        "special_query_procedure": (
            "您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对该信息的获取有特别规定，"
            f"请您依照有关法律、行政法规的规定办理：{BLANK}。"
        ),
        "does_not_exist": "经检索查找，本机关未制作或者获取您申请的政府信息，该政府信息不存在。",
        "not_this_agency": f"您申请获取的政府信息不属于本机关负责公开，理由是：{BLANK}。",
        "requires_creation": "您申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关不予提供。",
        "unclear_after_correction": "本机关已告知您补正申请，补正后您的申请内容仍不明确，本机关无法据此确定所需的政府信息，无法提供。",
        "petition_complaint": "您提出的请求属于以政府信息公开申请形式进行的信访、投诉、举报等活动，本机关不作为政府信息公开申请处理。",
        "duplicate": "您提出的申请与您此前已获答复的申请内容相同，属于重复申请，本机关不再重复处理。",
        "publication": f"您要求提供的是政府公报、报刊、书籍等公开出版物，本机关不予处理。您可以通过以下途径获取：{BLANK}。",
        "excessive_unreasonable": "您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，本机关认为申请理由不合理，不予处理。",
        "confirm_or_reissue": "您要求本机关确认或者重新出具您已获取的信息，本机关不作为政府信息公开申请处理。",
        "abandoned_no_correction": (
            f"本机关已于{cn_date(field_of(Action.REQUEST_CORRECTION, 'requested_on'))}告知您补正申请，"
            "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
        ),
        "abandoned_fee_unpaid": (
            f"本机关已向您发出信息处理费收费通知（您于{cn_date(field_of(Action.NOTIFY_FEE, 'notice_received_on'))}收到），"
            "您逾期未缴纳，视为放弃申请，本机关不再处理该政府信息公开申请。"
        ),
        "withdrawn": f"您已于{cn_date(field_of(Action.WITHDRAW, 'withdrawn_on'))}撤回该政府信息公开申请，本机关终止办理。",
        "other": f"本机关对您的申请作如下处理：{BLANK}。",
    }
    text = texts[code]
    if code == "petition_complaint":
        referred = field_of(Action.NOT_AN_APPLICATION, "referred_to")
        if referred:
            text += f"您可以通过{referred}反映您的诉求。"
    return text


def basis_citation(code: str) -> str:
    basis = outcome(code).basis
    if not basis:
        return "《中华人民共和国政府信息公开条例》"
    if basis.startswith("第"):
        return f"《中华人民共和国政府信息公开条例》{basis}"
    return f"《政府信息公开信息处理费管理办法》（{basis}）"


_REPLY_ACTIONS = (Action.REPLY, Action.ANSWER_ON_THE_SPOT, Action.SUBMIT_REPLY_FOR_SIGN_OFF)


def reply_details(log: list[CaseEvent], upto: CaseEvent) -> dict[str, Any]:
    """The reply details (responsible agency…) entered with the reply ``upto`` concludes or drafts:
    the fields of the latest reply or draft up to it (a signed reply carries its draft's)."""
    e = next((e for e in reversed(log) if e.seq <= upto.seq and e.action in _REPLY_ACTIONS), None)
    if e is None:
        return {}
    fields = clock.parse_fields(e.fields)
    return {n: fields[n] for n in ALL_REPLY_DETAIL_FIELDS if fields.get(n)}


def _reply_context(app, event, fields, log, calendar) -> dict[str, Any]:
    # an issued reply's letter belongs to its draft (the submission), so ask the case, not the entry
    final = State(event.to_state).is_terminal or (State(app.state).is_terminal and bool(app.outcome_code))
    code = app.outcome_code if final else app.pending_outcome
    legal_basis = app.legal_basis if final else app.pending_legal_basis
    o = outcome(code)
    citation = basis_citation(code)
    # what the clerk entered, when it says more than the outcome's own article
    note = f"；{legal_basis}" if legal_basis and legal_basis not in citation and o.basis not in legal_basis else ""
    return {
        "outcome_label": o.label,
        "family_label": o.family.label,
        "decision": _decision_text(code, app, log),
        "basis_citation": citation,
        "legal_basis": legal_basis,
        "legal_basis_note": note,
        "provides": code == "disclosed",
        "delivery_form": DeliveryForm(app.delivery_form).label if app.delivery_form in DeliveryForm.values else BLANK,
        "delivery_channel": DeliveryChannel(app.delivery_channel).label
        if app.delivery_channel in DeliveryChannel.values
        else BLANK,
        "withheld_reason": BLANK,
        "reply_date": cn_date(app.concluded_on if final else None),
        **_reply_detail_context(code, reply_details(log, event)),
    }


def _reply_detail_context(code: str, details: dict[str, Any]) -> dict[str, Any]:
    if code != "not_this_agency":
        return {}
    agency, contact = details.get("responsible_agency"), details.get("responsible_agency_contact")
    return {
        "responsible_known": bool(agency),
        "responsible_agency": agency or BLANK,
        "responsible_agency_contact": contact or BLANK,
    }


_CONTEXTS = {
    LetterKind.CORRECTION_NOTICE: _correction_context,
    LetterKind.REASON_REQUEST: _reason_request_context,
    LetterKind.DELAY_PERIOD_NOTICE: _delay_period_context,
    LetterKind.THIRD_PARTY_CONSULTATION: _consultation_context,
    LetterKind.AGENCY_CONSULTATION: _agency_consultation_context,
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: _disclosure_notice_context,
    LetterKind.EXTENSION_NOTICE: _extension_context,
    LetterKind.FEE_NOTICE: _fee_context,
}
# The field of each log entry that dates the letter it calls for.
_LETTER_DATE_FIELDS = (
    "requested_on",
    "notified_on",
    "sent_on",
    "approved_on",
    "notice_received_on",
    "fee_sent_on",  # a notice whose receipt is not yet known is dated the day it is sent
    "replied_on",
    "decided_on",
    "withdrawn_on",
)


def _letter_date(event: CaseEvent, kind: LetterKind, application: Application) -> date | None:
    if kind is LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE:
        # sent with (before) the disclosure itself: dated by the reply, blank while it is a draft
        return application.concluded_on
    fields = clock.parse_fields(event.fields)
    for name in _LETTER_DATE_FIELDS:
        if isinstance(fields.get(name), date):
            return fields[name]
    return timezone.localdate()


def letter_context(
    *, application: Application, kind: LetterKind | str, event: CaseEvent, calendar: WorkingCalendar | None = None
) -> dict[str, Any]:
    """Everything the template of ``kind`` may print for this case, dates already written out."""
    kind = _kind(kind)
    calendar = calendar or working_calendar()
    log = list(application.events.order_by("seq"))
    fields = clock.parse_fields(event.fields)
    build = _reply_context if kind.is_reply else _CONTEXTS[kind]
    concluded = kind.is_reply and State(application.state).is_terminal and application.concluded_on
    context = _base_context(
        application, application.concluded_on if concluded else _letter_date(event, kind, application)
    )
    context.update(build(application, event, fields, log, calendar))
    return context


# -- writes -------------------------------------------------------------------------------------


@transaction.atomic
def generate_letter(
    *,
    application: Application,
    kind: LetterKind | str,
    event: CaseEvent | None = None,
    user,
    calendar: WorkingCalendar | None = None,
) -> Letter:
    """Render the template of ``kind`` for the case into a new Letter (its ``generated`` file).

    ``event`` is the log entry the letter answers; by default the latest one that calls for this
    kind. A kind the log does not call for is refused with a Chinese message.
    """
    kind = _kind(kind)
    log = list(application.events.order_by("seq"))
    needs = [e for k, e in _needs_from_log(application, log) if k is kind]
    if event is None:
        if not needs:
            raise DomainError(f"本申请的办理记录中没有需要制作“{kind.label}”的事项")
        event = needs[-1]
    elif event.pk not in {e.pk for e in needs}:
        raise DomainError(f"该办理记录不需要制作“{kind.label}”")
    context = letter_context(application=application, kind=kind, event=event, calendar=calendar)
    number = _reference_number(application, kind, event, context)
    context["reference_number"] = number
    data = render_docx(template_source(kind, application.agency), context)
    letter = Letter(
        application=application,
        kind=kind.value,
        title=kind.label,
        event=event,
        created_by=user,
        reference_number=number,
    )
    letter.generated.save(f"{kind.value}-{event.seq}.docx", ContentFile(data), save=False)
    letter.save()
    return letter


def _reference_number(application: Application, kind: LetterKind, event: CaseEvent, context: dict[str, Any]) -> str:
    """The letter's 文书编号: the one its first draft was given, else the agency's next of the year.
    A reply drafted for sign-off and the reply as signed are one letter: a reply keeps the number of
    any earlier reply of the same kind to the case; a notice, that of the same log entry."""
    same = Letter.objects.filter(application=application, kind=kind.value)
    if not kind.is_reply:
        same = same.filter(event=event)
    earlier = (
        same.exclude(reference_number="")
        .order_by("created_at", "id")
        .values_list("reference_number", flat=True)
        .first()
    )
    if earlier:
        return earlier
    year = (_letter_date(event, kind, application) or timezone.localdate()).year
    return next_reference_number(agency=application.agency, year=year)


def next_reference_number(*, agency, year: int) -> str:
    """Take the agency's next 文书编号 of ``year``. Runs inside the caller's transaction: the UPDATE
    locks the year's row until it commits, so concurrent letters wait and get the following number;
    a number taken is never taken again (a rolled-back letter gives its number back with the row)."""
    row, _ = LetterNumberSequence.objects.get_or_create(agency=agency, year=year)
    LetterNumberSequence.objects.filter(pk=row.pk).update(last_number=F("last_number") + 1)
    row.refresh_from_db(fields=["last_number"])
    short = settings.GONGKAI_LETTER_SHORT_NAMES.get(agency.code) or agency_short_name(agency.name)
    return reference_number(
        short=short, year=year, number=row.last_number, pattern=settings.GONGKAI_LETTER_REFERENCE_PATTERN
    )


def check_signed_upload(name: str, data: bytes) -> str:
    """The extension of an acceptable signed letter, or a FieldError (Chinese) saying why not."""
    suffix = Path(name or "").suffix.lower()
    if suffix not in SIGNED_TYPES:
        raise FieldError("file", "签章版本应为PDF（.pdf）或Word（.docx）文件")
    if not data:
        raise FieldError("file", "上传的文件是空的")
    if len(data) > SIGNED_MAX_BYTES:
        raise FieldError(
            "file", f"文件过大（{len(data) / 1024 / 1024:.1f}MB），不能超过{SIGNED_MAX_BYTES // 1024 // 1024}MB"
        )
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        raise FieldError("file", "文件内容不是PDF，请上传签章后导出或扫描的PDF文件")
    if suffix == ".docx" and not is_docx(data):
        raise FieldError("file", "文件内容不是Word（.docx）文档")
    return suffix


@transaction.atomic
def upload_signed_letter(*, letter: Letter, name: str, data: bytes, user) -> Letter:
    """Keep the signed (final) version of a letter; it replaces an earlier signed upload."""
    suffix = check_signed_upload(name, data)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    letter.signed.save(f"{letter.kind}-signed{suffix}", ContentFile(data), save=False)
    letter.signed_at = timezone.now()
    letter.save(update_fields=["signed", "signed_at"])
    return letter


def letters_for_applicant(application: Application) -> QuerySet[Letter]:
    """What the applicant sees: the signed, final version of each letter addressed to them, never a
    draft, never the letter to a consulted third party."""
    return (
        application.letters.exclude(signed="")
        .exclude(kind__in=[k.value for k in _NOT_TO_APPLICANT])
        .order_by("signed_at", "id")
    )


# -- what a signer reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyPreview:
    """The reply letter a signer signs: its paragraphs, and where they come from."""

    paragraphs: tuple[str, ...]
    source: str  # 签章版 / 已生成的文书 / 按模板生成的草稿
    letter: Letter | None  # the stored letter, for its download link (None: a draft not yet saved)


def _docx_paragraphs(data: bytes) -> tuple[str, ...]:
    import docx  # python-docx, docxtpl's own dependency

    document = docx.Document(io.BytesIO(data))
    return tuple(p.text for p in document.paragraphs if p.text.strip())


def reply_preview(application: Application, *, calendar: WorkingCalendar | None = None) -> ReplyPreview | None:
    """The reply awaiting signature as the applicant would receive it (None when no reply is drafted).

    The uploaded signed version when there is one (a PDF is offered for download only), else the
    generated letter, else the draft rendered from the template now (not saved): the signer signs the
    letter, not only its outcome and legal basis.
    """
    if not application.pending_outcome:
        return None
    kind = LetterKind.reply_for(application.pending_outcome)
    draft = _draft_event(list(application.events.order_by("seq")))
    if draft is None:
        return None
    letter = application.letters.filter(kind=kind.value, event=draft).order_by("-created_at", "-id").first()
    if letter is not None and letter.signed:
        data = letter.signed.open("rb").read()
        letter.signed.close()
        paragraphs = _docx_paragraphs(data) if is_docx(data) else ()
        return ReplyPreview(paragraphs, "签章版", letter)
    if letter is not None:
        data = letter.generated.open("rb").read()
        letter.generated.close()
        return ReplyPreview(_docx_paragraphs(data), "已生成的文书", letter)
    context = letter_context(application=application, kind=kind, event=draft, calendar=calendar)
    data = render_docx(template_source(kind, application.agency), context)
    return ReplyPreview(_docx_paragraphs(data), "按模板生成的草稿", None)

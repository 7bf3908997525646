"""Reads for the applicant's pages: finding a case by number + code, and what of it the public sees.

An applicant sees the case whose number and code they hold and nothing else: an unknown number
and a wrong code are answered alike, and the comparison costs the same in both cases. Of the
case's log they see the steps that were communicated to them (补正 with its items, extension
with its reason, the reply with its outcome…), never internal comments, staff names, the
consulted third party or the sign-off round trips.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.applications import clock
from gongkai.applications.models import Application, DeliveryChannel, DeliveryForm, IdDocument, Letter
from gongkai.applications.services import query_code_digest
from gongkai.domain.applications.fields import NOT_AN_APPLICATION_KINDS
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.applications.tracking import mask_identity_number
from gongkai.domain.applications.workflow import Action, State
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import Deadline, DeadlineStatus
from gongkai.domain.errors import CalendarNotCovered, DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, outcome

# Compared against when the number is unknown, so both refusals take the same work.
_NO_SUCH_DIGEST = "0" * 64


def application_for_applicant(*, agency: Agency, number: str, code: str) -> Application | None:
    """The case with this (canonical) number and query code, or None: never says which was wrong."""
    app = Application.objects.filter(agency=agency, tracking_number=number).first()
    stored = app.query_code_hash if app is not None else _NO_SUCH_DIGEST
    matches = hmac.compare_digest(query_code_digest(code).encode(), stored.encode())
    return app if app is not None and matches else None


def application_by_token(token) -> Application | None:
    """The application a submitted form (its hidden one-time token) created, if any."""
    return Application.objects.filter(submission_token=token).first()


def application_by_number(*, agency: Agency, number: str) -> Application | None:
    """For pages the session already holds a grant for (the grant was given after the code check)."""
    return Application.objects.filter(agency=agency, tracking_number=number).select_related("agency").first()


# -- what the applicant is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The application as the applicant filled it in (identity number masked)."""

    applicant_type: str
    applicant_name: str
    contact_person: str
    id_document: str
    phone: str
    email: str
    address: str
    postcode: str
    description: str
    document_number_hint: str
    delivery_form: str
    delivery_channel: str
    channel: str
    attachments: list[str]


def summary_of(app: Application) -> Summary:
    return Summary(
        applicant_type=APPLICANT_TYPES.get(app.applicant_type, app.applicant_type),
        applicant_name=app.applicant_name,
        contact_person=app.contact_person,
        id_document=f"{_label(IdDocument, app.id_document_type)} {mask_identity_number(app.id_document_number)}",
        phone=app.phone,
        email=app.email,
        address=app.address,
        postcode=app.postcode,
        description=app.description,
        document_number_hint=app.document_number_hint,
        delivery_form=_label(DeliveryForm, app.delivery_form),
        delivery_channel=_label(DeliveryChannel, app.delivery_channel),
        channel=Channel(app.channel).label,
        attachments=list(app.attachments.order_by("id").values_list("original_name", flat=True)),
    )


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


@dataclass(frozen=True)
class PublicDeadline:
    key: str
    label: str
    due: date
    status: str  # running / paused / met / missed / void
    state_text: str  # e.g. 还剩12个工作日
    basis: str
    note: str
    provisional: bool = False  # counted before next year's holiday notice: the date is 预计
    provisional_reason: str = ""


_APPLICANT_DEADLINES = ("correction_period", "reply", "fee_payment")


def public_deadlines(app: Application, *, calendar: WorkingCalendar, today: date) -> tuple[list[PublicDeadline], str]:
    """The deadlines that concern the applicant, computed by the domain clock as of ``today``.

    Returns (deadlines, problem): a calendar gap (next year's holidays not yet entered) is said in
    Chinese instead of failing the page.
    """
    try:
        deadlines = clock.deadlines_of(
            app.events.order_by("seq"),
            calendar=calendar,
            today=today,
            convention=app.convention,
            policy=clock.policy_for(app.agency),
        )
    except CalendarNotCovered:
        # Only outside the calendar's range (before its first notice): nothing the citizen can do.
        return [], "答复期限暂无法按工作日计算；本机关将自收到申请之日起20个工作日内依法答复。"
    except DomainError as err:
        return [], err.message
    out = [_public(d, app) for d in deadlines if d.key in _APPLICANT_DEADLINES]
    order = {k: i for i, k in enumerate(_APPLICANT_DEADLINES)}
    return sorted(out, key=lambda d: order[d.key]), ""


def _public(d: Deadline, app: Application) -> PublicDeadline:
    return PublicDeadline(
        key=d.key,
        label=d.label,
        due=d.due,
        status=str(d.status),
        state_text=_state_text(d, app),
        basis=f"《条例》{d.basis}" if d.basis.startswith("第") else d.basis,
        note=_public_note(d.note),
        provisional=d.provisional,
        provisional_reason=_public_provisional_reason(d),
    )


def _public_provisional_reason(d: Deadline) -> str:
    # The citizen has nothing to do about the calendar: say only what the date means.
    if not d.provisional:
        return ""
    years = "、".join(str(y) for y in d.provisional_years)
    return f"{years}年节假日安排尚未公布，此日期按法定节假日预计，实际期限不早于此日"


def _state_text(d: Deadline, app: Application) -> str:
    if d.status is DeadlineStatus.RUNNING:
        return "今天到期" if d.days_left == 0 else f"还剩{d.days_left}个工作日"
    if d.status is DeadlineStatus.PAUSED:
        return "征求意见期间暂停计算，期限相应顺延"
    if d.status is DeadlineStatus.MET:
        return "已在期限内完成"
    if d.status is DeadlineStatus.MISSED:
        if app.is_open and d.days_left < 0:
            return f"已超过期限{-d.days_left}个工作日"
        return "未在期限内完成"
    if d.key == "reply" and app.state == State.CORRECTION_REQUESTED:
        return "因需要补正，原期限作废，自收到补正后的申请之日起重新计算"
    return "不再适用"


def _public_note(note: str) -> str:
    # The clock's note may name a consulted party when a letter's delivery date is missing; the
    # applicant is told about pauses, not about whom the agency consulted.
    kept = [c for c in note.split("；") if c and "征求意见函" not in c]
    return "；".join(kept)


@dataclass(frozen=True)
class PublicEvent:
    on: date
    label: str
    details: list[str] = field(default_factory=list)


# A signed-off reply reaches the applicant when it is issued (送达): that is the reply they see.
_REPLY_ACTIONS = {Action.REPLY, Action.ANSWER_ON_THE_SPOT, Action.ISSUE_REPLY, Action.REASON_UNREASONABLE}
_DRAFTING = {Action.REPLY, Action.REASON_UNREASONABLE}
# Steps internal to the office: not shown (no dates, comments or names of who did them).
_INTERNAL_ACTIONS = {
    Action.START_PROCESSING,
    Action.REQUEST_EXTENSION,
    Action.REJECT_EXTENSION,
    Action.SUBMIT_REPLY_FOR_SIGN_OFF,
    Action.SIGN_OFF_REPLY,
    Action.RETURN_REPLY,
    Action.REASON_ACCEPTED,
}


def public_history(app: Application) -> list[PublicEvent]:
    """The applicant's view of the case log, oldest first."""
    out: list[PublicEvent] = []
    extension_reason = ""
    for e in app.events.order_by("seq"):
        f = clock.parse_fields(e.fields)
        recorded = timezone.localtime(e.recorded_at).date()
        if e.action == clock.SUBMIT:
            details = [f"申请渠道：{Channel(f['channel']).label}" if f.get("channel") else ""]
            if f.get("received_on"):
                details.append(f"收到申请日期：{_d(f['received_on'])}")
            out.append(PublicEvent(f.get("submitted_on") or recorded, "提交申请", [d for d in details if d]))
            continue
        try:
            action = Action(e.action)
        except ValueError:
            continue
        if action is Action.REQUEST_EXTENSION:
            extension_reason = str(f.get("reason", ""))
        if action in _INTERNAL_ACTIONS or (action in _DRAFTING and e.to_state != State.REPLIED):
            # a reply written but not yet issued has not reached the applicant
            continue
        event = _public_event(action, f, recorded, extension_reason)
        if event is not None:
            out.append(event)
    return out


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if isinstance(value, date) else str(value or "")


def _public_event(action: Action, f: dict, recorded: date, extension_reason: str) -> PublicEvent | None:
    if action is Action.CONFIRM_RECEIPT:
        return PublicEvent(f.get("confirmed_on", recorded), "确认收到申请")
    if action is Action.REQUEST_CORRECTION:
        details = [f"需要补正的事项：{item}" for item in f.get("items") or []]
        if f.get("period_working_days"):
            details.append(f"补正期限：告知书发出之日起{f['period_working_days']}个工作日")
        if f.get("until"):
            details.append(f"补正截止日期：{_d(f['until'])}")
        details.append("逾期无正当理由不补正的，视为放弃申请（第三十条）")
        return PublicEvent(f.get("requested_on", recorded), "发出补正告知", details)
    if action is Action.RECEIVE_CORRECTION:
        return PublicEvent(f.get("received_on", recorded), "收到补正材料", ["答复期限自收到补正后的申请之日起重新计算"])
    if action is Action.CORRECTION_LAPSED:
        return PublicEvent(f.get("decided_on", recorded), "逾期未补正，视为放弃申请")
    if action is Action.ASK_REASON:
        return PublicEvent(f.get("requested_on", recorded), "要求说明理由（第三十五条）")
    if action is Action.SET_DELAY_PERIOD:
        return PublicEvent(
            f.get("notified_on", recorded), "另行确定答复期限", [f"答复期限：{_d(f.get('reply_until'))}（第三十五条）"]
        )
    if action is Action.START_THIRD_PARTY_CONSULTATION:
        return PublicEvent(
            f.get("sent_on", recorded), "征求第三方意见", ["征求意见所需时间不计算在答复期限内（第三十三条第三款）"]
        )
    if action is Action.START_AGENCY_CONSULTATION:
        return PublicEvent(
            f.get("sent_on", recorded), "征求其他机关意见", ["征求意见所需时间不计算在答复期限内（第三十三条第三款）"]
        )
    if action is Action.END_CONSULTATION:
        return PublicEvent(f.get("ended_on", recorded), "征求意见结束")
    if action is Action.APPROVE_EXTENSION:
        details = [f"延期理由：{extension_reason}"] if extension_reason else []
        return PublicEvent(
            f.get("approved_on", recorded),
            f"延长答复期限{f.get('working_days', '')}个工作日（第三十三条第二款）",
            details,
        )
    if action is Action.NOTIFY_FEE:
        return PublicEvent(f.get("notice_received_on", recorded), "发出收费通知", [f"信息处理费：{f.get('amount')}元"])
    if action is Action.FEE_PAID:
        return PublicEvent(f.get("paid_on", recorded), "已缴纳信息处理费")
    if action is Action.FEE_LAPSED:
        return PublicEvent(f.get("decided_on", recorded), "逾期未缴费，视为放弃申请")
    if action in _REPLY_ACTIONS:
        code = f.get("outcome_code") or ("excessive_unreasonable" if action is Action.REASON_UNREASONABLE else "")
        details = [f"办理结果：{outcome(code).label}"] if code else []
        return PublicEvent(f.get("replied_on", recorded), "作出答复", details)
    if action is Action.NOT_AN_APPLICATION:
        details = [f"类别：{NOT_AN_APPLICATION_KINDS.get(f.get('kind', ''), '')}"]
        if f.get("referred_to"):
            details.append(f"可通过以下渠道办理：{f['referred_to']}")
        return PublicEvent(f.get("decided_on", recorded), "不作为政府信息公开申请处理（第三十九条）", details)
    if action is Action.WITHDRAW:
        return PublicEvent(f.get("withdrawn_on", recorded), "撤回申请")
    return None


# -- letters ------------------------------------------------------------------------------------

# Letters addressed to someone else (the consulted third party or agency) are never the applicant's.
_CONSULTATION_ACTIONS = (Action.START_THIRD_PARTY_CONSULTATION, Action.START_AGENCY_CONSULTATION)


def public_letters(app: Application):
    """The final, signed letters sent to the applicant, oldest first."""
    return (
        Letter.objects.filter(application=app)
        .exclude(signed="")
        .exclude(signed__isnull=True)
        .exclude(kind__icontains="consultation")
        .exclude(event__action__in=[str(a) for a in _CONSULTATION_ACTIONS])
        .order_by("created_at", "id")
    )


def public_letter(app: Application, letter_id: int) -> Letter | None:
    return public_letters(app).filter(pk=letter_id).first()

"""Reminders of the applications app, sent through gongkai.notifications:

- the applicant's notices, when they asked for them on the public form: the receipt is ready (the
  case is received), the reply is ready (the case is 已答复);
- 督办: each escalation step of an overdue assignment (services.assignments_chase) is also a message
  to the people it names (the unit's staff, its head, the office head);
- the daily digest: what each member of staff has due or overdue (registered in apps.ready).

Nothing here decides anything about a case: the messages follow what the services recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from gongkai.accounts.models import Membership
from gongkai.applications.models import ApplicantNotice, Application, Assignment
from gongkai.domain.applications.assignment import OPEN_STATES as ASSIGNMENT_OPEN
from gongkai.domain.applications.workflow import State
from gongkai.domain.clocks import DeadlineStatus
from gongkai.domain.errors import DomainError
from gongkai.domain.notifications import notice_recipient
from gongkai.domain.roles import UNIT_ROLES
from gongkai.notifications.services import notify_address, notify_user
from gongkai.workcalendar.selectors import working_calendar

RECEIPT, REPLY = "receipt", "reply"
_LIVE = (DeadlineStatus.RUNNING.value, DeadlineStatus.MISSED.value)
_OFFICE = ("clerk", "office_head")
DIGEST_MAX_LINES = 20


# -- the applicant's notices ----------------------------------------------------------------------


def applicant_opt_in(*, application: Application, channel: str) -> ApplicantNotice:
    """Keep the applicant's choice; a case already received has its receipt ready: told at once."""
    recipient = notice_recipient(channel, email=application.email, phone=application.phone)
    notice, _ = ApplicantNotice.objects.get_or_create(
        application=application, defaults={"channel": channel, "recipient": recipient}
    )
    if application.received_on is not None:
        notify_applicant(application, RECEIPT)
    return notice


def notify_applicant(app: Application, what: str) -> None:
    notice = ApplicantNotice.objects.filter(application=app).first()
    if notice is None:
        return
    if what == RECEIPT:
        subject = "政府信息公开申请已收到"
        body = (
            f"您的政府信息公开申请（编号{app.tracking_number}）{app.agency.name}已于{app.received_on:%Y年%m月%d日}收到，"
            f"可凭申请编号和查询码在网上查看受理回执和办理进度。"
        )
    else:
        subject = "政府信息公开申请已答复"
        body = (
            f"您的政府信息公开申请（编号{app.tracking_number}）{app.agency.name}已作出答复，"
            f"可凭申请编号和查询码在网上查看答复书；纸质答复按您选择的方式送达。"
        )
    notify_address(
        channel=notice.channel,
        recipient=notice.recipient,
        label=app.applicant_name,
        subject=subject,
        body=body,
        key=f"applicant:{app.pk}:{what}",
        agency=app.agency,
    )


def after_move(app: Application, *, action: str, to_state: str) -> None:
    """Called by services.application_transition after a move is recorded."""
    if action == "confirm_receipt":
        notify_applicant(app, RECEIPT)
    if to_state == State.REPLIED.value:
        notify_applicant(app, REPLY)


# -- 督办 ------------------------------------------------------------------------------------------


def chase_notify(assignment: Assignment, *, step: int, what: str, users: list[Any]) -> int:
    """The escalation step ``step`` of an overdue assignment, to each person it names (once each)."""
    app = assignment.application
    sent = 0
    for user in users:
        made = notify_user(
            user=user,
            subject=f"督办：{assignment.unit.name}承办的申请{app.tracking_number}已超过内部办理期限",
            body=(
                f"{what}：{assignment.unit.name}承办的政府信息公开申请{app.tracking_number}"
                f"内部办理期限为{assignment.due:%Y年%m月%d日}，尚未提交承办意见。"
            ),
            key=f"chase:{assignment.pk}:{step}:{user.pk}",
            agency=app.agency,
        )
        sent += bool(made)
    return sent


# -- the daily digest ----------------------------------------------------------------------------


def digest_for(user, today: date) -> list[str]:
    """What ``user`` has due or overdue: the office, its agencies' open cases (reply deadline passed
    or within the due-soon window); a unit role, its units' open assignments past or at their
    internal deadline within the same window."""
    try:
        cutoff = working_calendar().add_working_days(today, settings.GONGKAI_DUE_SOON_WORKING_DAYS)
    except DomainError:
        cutoff = today
    lines: list[str] = []
    office = Membership.objects.filter(user=user, role__in=_OFFICE).values_list("agency_id", flat=True)
    cases = (
        Application.objects.filter(
            agency_id__in=list(office),
            state__in=[s.value for s in State if not s.is_terminal],
            reply_status__in=_LIVE,
            reply_due__lte=cutoff,
        )
        .order_by("reply_due", "pk")
        .only("tracking_number", "applicant_name", "reply_due")
    )
    for app in cases[:DIGEST_MAX_LINES]:
        word = "已逾期" if app.reply_due < today else "即将到期"
        lines.append(f"申请{app.tracking_number}（{app.applicant_name}）答复期限{app.reply_due:%m月%d日}，{word}")
    units = Membership.objects.filter(user=user, role__in=[r.value for r in UNIT_ROLES]).values_list(
        "unit_id", flat=True
    )
    assignments = (
        Assignment.objects.filter(
            unit_id__in=list(units), state__in=[s.value for s in ASSIGNMENT_OPEN], due__lte=cutoff
        )
        .select_related("application", "unit")
        .order_by("due", "pk")
    )
    for a in assignments[:DIGEST_MAX_LINES]:
        word = "已逾期" if a.due < today else "即将到期"
        lines.append(f"{a.unit.name}承办的申请{a.application.tracking_number}内部期限{a.due:%m月%d日}，{word}")
    return lines

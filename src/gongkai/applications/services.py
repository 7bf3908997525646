"""Writes of the applications app. Every write is one transaction: a case is complete or absent.

- ``application_submit``: a new application, from the public form or registered by a clerk.
- ``application_transition``: one move of the procedure, checked by the domain transition table
  and the statutory clocks before anything is written, recorded in the append-only log.
- ``application_refresh_deadline``: recompute the stored copy of the reply deadline.
- ``deadlines_recompute_after_notice``: when a holiday notice is entered, recompute every open
  case at once and log each reply deadline that moved (``DeadlineChange``).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch

from gongkai.accounts.models import Agency, Membership, Role, Unit
from gongkai.accounts.selectors import (  # the policies are also read from here
    actor_label,
    review_policy_for,
    sign_off_policy_for,
)
from gongkai.applications import clock, notices, selectors_register, services_register
from gongkai.applications.models import (
    Application,
    Assignment,
    AssignmentFile,
    Attachment,
    CaseEvent,
    DeadlineChange,
)
from gongkai.domain.applications.assignment import CHASE_STEPS, chase_level, follow_reply_due, internal_due
from gongkai.domain.applications.assignment import LOG_ASSIGN as ASSIGNMENT_LOG_ASSIGN
from gongkai.domain.applications.assignment import LOG_CHASE as ASSIGNMENT_LOG_CHASE
from gongkai.domain.applications.assignment import LOG_DUE_MOVED as ASSIGNMENT_LOG_DUE_MOVED
from gongkai.domain.applications.assignment import OPEN_STATES as _ASSIGNMENT_OPEN
from gongkai.domain.applications.assignment import WORKFLOW as ASSIGNMENT_WORKFLOW
from gongkai.domain.applications.assignment import Action as AssignmentAction
from gongkai.domain.applications.assignment import State as AssignmentState
from gongkai.domain.applications.assignment import log_action as assignment_log_action
from gongkai.domain.applications.letters import check_reply_details
from gongkai.domain.applications.receipt import Channel, late_confirmation_warning, receipt_date
from gongkai.domain.applications.tracking import is_query_code, new_query_code, normalise_query_code, tracking_number
from gongkai.domain.applications.workflow import (
    AWAITING_REVIEW,
    DRAFTING_ACTIONS,
    REVIEW_PASSES,
    WORKFLOW,
    Action,
    State,
    after_review,
    check_transition,
    drafted_outcome,
    first_review,
    signed_state,
    state_after_consultation,
    submission,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fees import FeeMethod, FeeQuote, fee_for_application
from gongkai.domain.fields import FieldError
from gongkai.domain.review_deadlines import re_reply_due
from gongkai.domain.roles import UNIT_ROLES
from gongkai.workcalendar.selectors import working_calendar

APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "contact_person",
    "id_document_type",
    "id_document_number",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_number_hint",
    "delivery_form",
    "delivery_channel",
)


def query_code_digest(code: str) -> str:
    """Codes are stored only as a keyed digest, like passwords: a database leak reveals none."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_query_code(code).encode(), hashlib.sha256).hexdigest()


# who a log names when no user acted: the application came through the public form
APPLICANT_LABEL = "申请人"


@dataclass(frozen=True)
class Submitted:
    application: Application
    query_code: str | None  # None when the submission token had already been used
    created: bool


def _next_sequence(year: int) -> int:
    current = Application.objects.filter(submission_year=year).aggregate(m=Max("sequence"))["m"]
    return (current or 0) + 1


def application_submit(
    *,
    agency: Agency,
    channel: str,
    applicant: dict[str, Any],
    submitted_on: date,
    handed_in_on: date | None = None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
    oral: bool = False,
    registered_by=None,
    submission_token: uuid.UUID | None = None,
    query_code: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    calendar: WorkingCalendar | None = None,
    today: date | None = None,
    reopened_from: Application | None = None,
    ordered_until: date | None = None,
    note: str = "",
    intake: dict[str, Any] | None = None,
    intake_papers: list[tuple[str, str, str, bytes]] = (),
) -> Submitted:
    """Store a new application with its first log entry, attachments and reply deadline.

    ``reopened_from``/``ordered_until``: a new reply ordered by a 纠正 (:func:`application_re_reply`).

    The receipt date follows 第三十一条 for the channel (domain ``receipt_date``); without it the
    case waits in 待确认收到. A ``submission_token`` seen before returns the earlier application.
    ``query_code``: the code to give the case, made beforehand by a caller that keeps it safe
    before the commit (the public form keeps it in the browser's session, so a crash between the
    commit and the receipt does not lose it); a new one when None. ``note``: what the registering
    clerk records with the first log entry (e.g. an ID number registered despite its check digit).
    ``intake``/``intake_papers``: where it came from, the identity check, an agent and their papers
    (``services_register``); a forwarded application's receipt date is the day it reached this office.
    """
    if query_code is not None and not is_query_code(query_code):
        raise ValueError("query_code is not a code made by new_query_code()")
    if submission_token is not None:
        earlier = Application.objects.filter(submission_token=submission_token).first()
        if earlier is not None:
            return Submitted(earlier, None, False)
    dates = services_register.intake_check(
        intake=intake,
        papers=list(intake_papers),
        channel=channel,
        receipt_dates={
            k: v
            for k, v in {
                "handed_in_on": handed_in_on,
                "signed_for_on": signed_for_on,
                "confirmed_on": confirmed_on,
            }.items()
            if v is not None
        },
        today=today or submitted_on,
    )
    received_on = receipt_date(Channel(channel), **dates)
    origin = (intake or {}).get("origin") or ""
    state, _ = submission(received_on)
    code = query_code or new_query_code()
    for attempt in range(5):  # two submissions may race for the same sequence number
        stored: list[Any] = []  # the files written (attachments, intake papers), removed on failure
        try:
            with transaction.atomic():
                seq = _next_sequence(submitted_on.year)
                app = Application.objects.create(
                    agency=agency,
                    tracking_number=tracking_number(submitted_on.year, seq),
                    submission_year=submitted_on.year,
                    sequence=seq,
                    query_code_hash=query_code_digest(code),
                    submission_token=submission_token,
                    channel=channel,
                    oral=oral,
                    received_on=received_on,
                    convention=agency.deadline_convention,
                    state=state.value,
                    registered_by=registered_by,
                    reopened_from=reopened_from,
                    **{k: applicant.get(k, "") for k in APPLICANT_FIELDS},
                )
                CaseEvent.objects.create(
                    application=app,
                    seq=1,
                    action=clock.SUBMIT,
                    from_state="",
                    to_state=state.value,
                    fields=clock.dump_fields(
                        {
                            "channel": channel,
                            "received_on": received_on,
                            "submitted_on": submitted_on,
                            "ordered_until": ordered_until,
                            "reopened_from": reopened_from.tracking_number if reopened_from else None,
                        }
                        | ({"note": note} if note else {})
                        | (
                            {"origin": origin, "origin_reference": (intake or {}).get("origin_reference")}
                            if origin and origin != "direct"
                            else {}
                        )
                    ),
                    actor=registered_by,
                    actor_label=actor_label(registered_by, nobody=APPLICANT_LABEL),
                )
                for name, content_type, data in attachments:
                    att = Attachment(
                        application=app, original_name=name[:200], content_type=content_type, size=len(data)
                    )
                    att.file.save(_safe_name(name), ContentFile(data), save=False)
                    stored.append(att)
                    att.save()
                stored += services_register.intake_record(application=app, intake=intake, papers=list(intake_papers))
                application_refresh_deadline(application=app, calendar=calendar, today=today or submitted_on)
            return Submitted(app, code, True)
        except BaseException as exc:
            # the rows are rolled back; remove the files written for them too
            for att in stored:
                att.file.storage.delete(att.file.name)
            if not isinstance(exc, IntegrityError):
                raise
            if submission_token is not None:
                earlier = Application.objects.filter(submission_token=submission_token).first()
                if earlier is not None:
                    return Submitted(earlier, None, False)
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def application_re_reply(
    *,
    original: Application,
    decision_received_on: date,
    ordered_until: date | None,
    actor,
    today: date,
    calendar: WorkingCalendar | None = None,
) -> Application:
    """The new reply a 纠正 orders: a case of its own for the same applicant and request, received on
    the day the decision was received, due on the date the decision sets or else in 20 working days
    (``domain.review_deadlines.re_reply_due``). Counted in table 三 like any received application:
    the original stays counted where it concluded, and the balance of the table holds [I]."""
    if original.is_open:
        raise DomainError(f"申请{original.tracking_number}尚在办理中，不需要另行重新答复")
    calendar = calendar or working_calendar()
    re_reply_due(decision_received_on, calendar=calendar, ordered_until=ordered_until)  # checks the date
    existing = original.re_replies.filter(received_on=decision_received_on).first()
    if existing is not None:
        return existing
    channel = Channel(original.channel)
    submitted = application_submit(
        agency=original.agency,
        channel=channel.value,
        applicant={k: getattr(original, k) for k in APPLICANT_FIELDS},
        submitted_on=decision_received_on,
        registered_by=actor,
        calendar=calendar,
        today=today,
        reopened_from=original,
        ordered_until=ordered_until,
        **{channel.date_field: decision_received_on},
    )
    return submitted.application


def _safe_name(name: str) -> str:
    # keep the extension, drop the rest: stored names never come from the uploader
    suffix = "." + name.rsplit(".", 1)[-1].lower()[:8] if "." in name else ""
    return f"{uuid.uuid4().hex}{suffix}"


def application_refresh_deadline(
    *, application: Application, calendar: WorkingCalendar | None = None, today: date
) -> None:
    """Recompute the stored copy of the reply deadline from the log (never edited by hand).

    When the deadline reaches a year whose holiday notice is not entered, the domain gives the
    provisional date (never later than the official one) and ``reply_due_provisional`` is set:
    the case is sorted and filtered by it like any other, and the date is recomputed the moment
    the notice is entered (:func:`deadlines_recompute_after_notice`).
    """
    deadlines = clock.deadlines_of(
        application.events.order_by("seq"),
        calendar=calendar or working_calendar(),
        today=today,
        convention=application.convention,
        policy=clock.policy_for(application.agency),
    )
    reply = clock.reply_of(deadlines)
    application.reply_due = reply.due if reply else None
    application.reply_status = str(reply.status) if reply else ""
    application.reply_due_provisional = bool(reply and reply.provisional)
    application.save(update_fields=["reply_due", "reply_status", "reply_due_provisional", "updated_at"])
    assignments_follow_reply_due(application=application, calendar=calendar or working_calendar())


def stored_reply(application: Application) -> tuple[date | None, str, bool]:
    return application.reply_due, application.reply_status, application.reply_due_provisional


def computed_reply(
    application: Application, log: Any, *, calendar: WorkingCalendar, today: date
) -> tuple[date | None, str, bool]:
    """What the stored copy should be (without saving it)."""
    reply = clock.reply_of(
        clock.deadlines_of(
            log,
            calendar=calendar,
            today=today,
            convention=application.convention,
            policy=clock.policy_for(application.agency),
        )
    )
    return (reply.due, str(reply.status), reply.provisional) if reply else (None, "", False)


@transaction.atomic
def deadlines_recompute_after_notice(*, year: int, actor=None, today: date) -> list[DeadlineChange]:
    """Recompute every open case's reply deadline now that ``year``'s holiday notice was entered
    (or changed), and log each one that moved.

    Called in the transaction that saved the notice, so the dates are right from the next page
    view on, not the next morning. A case whose log the clock refuses (it should not happen:
    every move was checked) is left as it was; the daily refresh reports it.
    """
    calendar = working_calendar()
    changes: list[DeadlineChange] = []
    cases = (
        Application.objects.select_for_update()
        .filter(state__in=open_states(), received_on__isnull=False)
        .order_by("pk")
        .prefetch_related(Prefetch("events", queryset=CaseEvent.objects.order_by("seq")))
    )
    for app in cases:
        before = stored_reply(app)
        try:
            after = computed_reply(app, app.events.all(), calendar=calendar, today=today)
        except DomainError:
            continue
        if after == before:
            continue
        app._change_reason = f"录入{year}年节假日安排后重新计算期限"
        application_refresh_deadline(application=app, calendar=calendar, today=today)
        if before[0] != after[0] or before[2] != after[2]:
            changes.append(
                DeadlineChange.objects.create(
                    application=app,
                    notice_year=year,
                    old_due=before[0],
                    old_provisional=before[2],
                    new_due=after[0],
                    new_provisional=after[2],
                    actor=actor,
                    reason=f"录入{year}年节假日安排后按正式安排重新计算",
                )
            )
    return changes


# the warning a late confirmation of an ordinary letter leaves in the case log (第三十一条（二）)
LATE_CONFIRMATION = "late_confirmation"

# the moves that write a reply, with the details its outcome's article asks the letter to state
_REPLY_DETAIL_ACTIONS = frozenset(
    {Action.REPLY, Action.ANSWER_ON_THE_SPOT, Action.SUBMIT_REPLY_FOR_SIGN_OFF, Action.SUBMIT_REPLY_FOR_REVIEW}
)
_DRAFTING = frozenset(a.value for a in DRAFTING_ACTIONS)


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: str,
    actor,
    actor_roles: set[str],
    fields: dict[str, Any],
    today: date,
    calendar: WorkingCalendar | None = None,
) -> CaseEvent:
    """Make one move of the procedure, or raise a DomainError (Chinese) and write nothing.

    The domain checks the move (state, role, required fields, sign-off policy); the clocks are
    then run over the history *with* the new move, so an impossible sequence (a second
    extension, an extension after the due date…) is refused before it is recorded.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    calendar = calendar or working_calendar()
    log = list(app.events.order_by("seq"))
    # Over a year whose notice is missing the deadlines are provisional (never later than the
    # official ones), so every move is checked against them like any other.
    current = clock.deadlines_of(
        log, calendar=calendar, today=today, convention=app.convention, policy=clock.policy_for(app.agency)
    )
    fields = dict(fields)
    if action in _DRAFTING:  # a reply written, to be signed and/or issued: where a return goes back to
        fields.setdefault("resume_state", app.state)
    if action == Action.NOTIFY_FEE:
        # 按件计收 counts from the applicant register (109号: 同一申请人一个自然月内累计申请); the domain
        # refuses another count without a reason
        fields.pop("register_count", None)
        if fields.get("method") == FeeMethod.PER_APPLICATION:
            count = selectors_register.register_month_position(app)
            if count is not None:
                fields["register_count"] = count
                if fields.get("month_position") is None and fields.get("pages") is None:
                    fields["month_position"] = count  # left empty: the register's count
    if action == Action.RECEIVE_CORRECTION:
        # back to a consultation still open, else 办理中
        fields.setdefault("continue_state", state_after_consultation(clock.clock_events(log), ""))
    if action == Action.END_CONSULTATION:
        # back to where the case stood without this consultation (another may still run)
        fields.setdefault(
            "continue_state", state_after_consultation(clock.clock_events(log), fields.get("party") or "")
        )
    policy = sign_off_policy_for(app.agency)
    review = review_policy_for(app.agency)
    _review_defaults(app, action, fields, policy, review)
    if action in (Action.SIGN_OFF_REPLY, Action.RETURN_REPLY, Action.ISSUE_REPLY):
        fields.setdefault("outcome_code", app.pending_outcome)
        fields.setdefault("legal_basis", app.pending_legal_basis)
        if action == Action.SIGN_OFF_REPLY and app.state == State.AWAITING_SIGN_OFF:
            fields.setdefault("signed_state", signed_state(app.state, app.pending_outcome, policy))
        if action == Action.ISSUE_REPLY and not app.letters.filter(kind__startswith="reply_").exists():
            # the reply is the letter: it is issued only once it has been generated (or uploaded)
            raise DomainError("请先在“文书”页生成答复书（或上传签章版），再登记送达")
        if action == Action.RETURN_REPLY:
            fields.setdefault("resume_state", app.resume_state)
            fields.pop("outcome_code", None)
            fields.pop("legal_basis", None)
    row = check_transition(
        app.state,
        action,
        actor_roles=actor_roles,
        fields=fields,
        policy=policy,
        deadlines=current,
        review=review,
    )
    if action in _REPLY_DETAIL_ACTIONS:
        check_reply_details(str(fields.get("outcome_code") or row.outcome or ""), fields)
    move = WORKFLOW.move(row, from_state=app.state, actor_roles=actor_roles, fields=fields)
    stored = dict(fields)
    if action == Action.CONFIRM_RECEIPT:
        # 第三十一条（二）: an ordinary letter is confirmed on the day it arrives; a later confirmation
        # is allowed (the applicant must not lose the application) but the case keeps the warning
        late = late_confirmation_warning(
            app.channel, arrived_on=fields.get("arrived_on"), confirmed_on=fields["confirmed_on"]
        )
        if late:
            stored[LATE_CONFIRMATION] = late
    # the case log keeps every field of the move (the clocks are rebuilt from them), comment included
    event = CaseEvent(
        application=app,
        seq=len(log) + 1,
        action=move.action,
        from_state=move.from_state,
        to_state=move.to_state,
        fields=clock.dump_fields(stored),
        actor=actor,
        actor_label=actor_label(actor, nobody=APPLICANT_LABEL),
    )
    # the clocks must accept the history with this move before it is written
    clock.deadlines_of(
        [*log, event], calendar=calendar, today=today, convention=app.convention, policy=clock.policy_for(app.agency)
    )
    event.save()
    app.state = move.to_state
    changed = ["state", "updated_at"]
    if action in _DRAFTING:
        app.resume_state, app.pending_outcome, app.pending_legal_basis = (
            fields["resume_state"],
            drafted_outcome(action, fields),
            fields["legal_basis"],
        )
        changed += ["resume_state", "pending_outcome", "pending_legal_basis"]
    if action in _RETURNS:  # the draft goes back: nothing is pending sign-off any more
        app.pending_outcome = app.pending_legal_basis = app.resume_state = ""
        changed += ["pending_outcome", "pending_legal_basis", "resume_state"]
    if action == Action.CONFIRM_RECEIPT:
        app.received_on = fields["confirmed_on"]
        changed.append("received_on")
    outcome = row.outcome_code(fields)
    if outcome is not None:
        app.outcome_code = outcome
        app.legal_basis = fields.get("legal_basis", "")
        app.concluded_on = _concluded_on(fields)
        app.pending_outcome = app.pending_legal_basis = ""
        changed += ["outcome_code", "legal_basis", "concluded_on", "pending_outcome", "pending_legal_basis"]
    app._change_reason = move.change_reason(actor_label(actor, nobody=APPLICANT_LABEL))
    app.save(update_fields=changed)
    application_refresh_deadline(application=app, calendar=calendar, today=today)
    notices.after_move(app, action=move.action, to_state=move.to_state)  # the applicant's notice, if asked for
    return event


_RETURNS = frozenset({Action.RETURN_REPLY, Action.RETURN_FROM_REVIEW})


def _review_defaults(app: Application, action: str, fields: dict[str, Any], policy, review) -> None:
    # 法制审核 / 保密审查 (domain.applications.review): the target the agency's settings give, and the
    # draft under review (its outcome and basis, where a return sends it back to), as for sign-off
    if action == Action.SUBMIT_REPLY_FOR_REVIEW and fields.get("outcome_code"):
        first = first_review(str(fields["outcome_code"]), review)
        if first is not None:
            fields.setdefault("review_state", first.value)
    if action in REVIEW_PASSES or action == Action.RETURN_FROM_REVIEW:
        fields.setdefault("outcome_code", app.pending_outcome)
        fields.setdefault("legal_basis", app.pending_legal_basis)
    if action in REVIEW_PASSES and app.state in AWAITING_REVIEW and app.pending_outcome:
        fields.setdefault("reviewed_state", after_review(State(app.state), app.pending_outcome, review, policy).value)
    if action == Action.RETURN_FROM_REVIEW:
        fields.setdefault("resume_state", app.resume_state)
        fields.pop("outcome_code", None)
        fields.pop("legal_basis", None)


def fee_notice_quote(*, fields: dict[str, Any], application: Application | None = None) -> FeeQuote:
    """The 信息处理费 a fee notice (``notify_fee``) must state for what was entered (国办函〔2020〕109号).

    The amount of a fee notice is the tariff's, never typed: the staff page shows this quote and
    sends it as ``amount``, which the domain checks again when the move is made. Raises FieldError
    on the field to correct (``field`` empty when the entry as a whole is wrong). 按件计收 with no
    count typed counts from the applicant register of ``application`` (``fields`` gets it).
    """
    method = fields.get("method")
    if not method:
        raise FieldError("method", "请填写“收费方式”")
    if (
        application is not None
        and method == FeeMethod.PER_APPLICATION
        and fields.get("month_position") is None
        and fields.get("pages") is None
    ):
        count = selectors_register.register_month_position(application)
        if count is not None:
            fields["month_position"] = count
    try:
        return fee_for_application(
            method=method, month_position=fields.get("month_position"), pages=fields.get("pages")
        )
    except DomainError as err:
        both = fields.get("month_position") is not None and fields.get("pages") is not None
        where = "" if both else ("month_position" if method == FeeMethod.PER_APPLICATION else "pages")
        raise FieldError(where, err.message) from None


def _concluded_on(fields: dict[str, Any]) -> date:
    for key in ("replied_on", "decided_on", "withdrawn_on"):
        if fields.get(key):
            return fields[key]
    raise ValueError("a concluding move carries its date")


def open_states() -> list[str]:
    return [s.value for s in State if not s.is_terminal]


# -- routing to units (承办) -------------------------------------------------------------------------
#
# The office assigns a case to units of its agency; each unit answers with what it found and a
# 拟办意见, or returns it. Every step is a row in the case log (``CaseEvent``, from_state = to_state =
# the case's state): the history shows it, and the clocks skip it (``clock.clock_events``), so routing
# never moves a statutory deadline; the office alone replies.

_OFFICE_ROLES = frozenset({"clerk", "office_head"})
ASSIGNMENT_OPEN_STATES = [s.value for s in _ASSIGNMENT_OPEN]


def _log_routing(app: Application, *, action: str, fields: dict[str, Any], actor) -> CaseEvent:
    seq = (app.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return CaseEvent.objects.create(
        application=app,
        seq=seq,
        action=action,
        from_state=app.state,
        to_state=app.state,
        fields=clock.dump_fields(fields),
        actor=actor,
        actor_label=actor_label(actor),
    )


@transaction.atomic
def assignment_create(
    *,
    application: Application,
    units: list[Unit],
    actor,
    actor_roles: set[str],
    today: date,
    due: date | None = None,
    instructions: str = "",
    share_identity: bool = False,
    parts: dict[int, str] | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Assignment]:
    """Assign an open case to one or more units (会签) with an internal deadline: ``due`` if the office
    gave one, else the agency's default number of working days; always before the statutory reply
    deadline (``domain.applications.assignment.internal_due`` refuses or caps it, in Chinese).
    A unit that already holds an open assignment of the case is refused. ``parts`` (unit pk → text):
    the part of the request each unit answers when the office splits it (e.g. 第1项：…)."""
    app = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    if not set(actor_roles) & _OFFICE_ROLES:
        raise TransitionNotAllowed("交办承办单位应由经办人或办公室主任操作")
    if not app.is_open:
        raise DomainError(f"申请{app.tracking_number}已办结，不能再交办承办单位")
    if not units:
        raise FieldError("units", "请选择至少一个承办单位")
    if any(u.agency_id != app.agency_id for u in units):
        raise FieldError("units", "只能交办本机关的承办单位")
    busy = set(
        Assignment.objects.filter(application=app, unit__in=units, state__in=ASSIGNMENT_OPEN_STATES).values_list(
            "unit__name", flat=True
        )
    )
    if busy:
        raise FieldError("units", f"{'、'.join(sorted(busy))}正在承办该申请，不能重复交办")
    calendar = calendar or working_calendar()
    internal = internal_due(
        assigned_on=today,
        reply_due=app.reply_due,
        calendar=calendar,
        working_days=app.agency.unit_deadline_days,
        requested=due,
    )
    created = []
    parts = parts or {}
    for unit in units:
        part = " ".join((parts.get(unit.pk) or "").split())[:200]
        a = Assignment.objects.create(
            application=app,
            unit=unit,
            part=part,
            state=AssignmentState.ASSIGNED.value,
            assigned_on=today,
            due=internal.due,
            due_chosen=due is not None,
            reply_due_basis=app.reply_due,
            instructions=instructions.strip(),
            share_identity=share_identity,
            assigned_by=actor,
        )
        _log_routing(
            app,
            action=ASSIGNMENT_LOG_ASSIGN,
            fields={
                "unit": unit.name,
                "part": part or None,
                "internal_due": internal.due,
                "due_note": internal.note,
                "instructions": instructions.strip(),
                "share_identity": share_identity or None,
            },
            actor=actor,
        )
        created.append(a)
    return created


@transaction.atomic
def assignment_transition(
    *,
    assignment: Assignment,
    action: str,
    actor,
    actor_roles: set[str],
    fields: dict[str, Any],
    today: date,
    files: list[tuple[str, str, bytes]] = (),
) -> Assignment:
    """One step of an assignment (签收, 提交承办意见 with the files found, 退回, 收回), checked by the
    domain table, recorded on the assignment and in the case log. A unit role acts only on its own
    unit's assignments. The case's state and clocks are left alone."""
    a = Assignment.objects.select_for_update().select_related("application", "unit").get(pk=assignment.pk)
    if set(actor_roles) & {r.value for r in UNIT_ROLES} and not set(actor_roles) & _OFFICE_ROLES:
        if not Membership.objects.filter(user=actor, unit=a.unit, role__in=[r.value for r in UNIT_ROLES]).exists():
            raise TransitionNotAllowed("只能办理交办本单位的申请")
    row = ASSIGNMENT_WORKFLOW.check(a.state, action, actor_roles=actor_roles, fields=fields)
    if files and row.action != AssignmentAction.ANSWER:
        raise FieldError("files", "只有提交承办意见时可以上传材料")
    move = ASSIGNMENT_WORKFLOW.move(row, from_state=a.state, actor_roles=actor_roles, fields=fields)
    a.state = move.to_state
    stored: dict[str, Any] = {"unit": a.unit.name}
    if row.action == AssignmentAction.ANSWER:
        a.proposed_outcome, a.opinion = fields["proposed_outcome"], fields["opinion"].strip()
        names = []
        for name, content_type, data in files:
            f = AssignmentFile(assignment=a, original_name=name[:200], content_type=content_type, size=len(data))
            f.file.save(_safe_name(name), ContentFile(data), save=False)
            f.save()
            names.append(f.original_name)
        stored |= {"proposed_outcome": a.proposed_outcome, "opinion": a.opinion, "files": names or None}
    elif row.action == AssignmentAction.RETURN_TO_OFFICE:
        a.return_kind, a.return_reason = fields["return_kind"], fields["reason"].strip()
        stored |= {"return_kind": a.return_kind, "reason": a.return_reason}
    elif move.comment:
        stored["reason"] = move.comment
    if row.action in (AssignmentAction.ANSWER, AssignmentAction.RETURN_TO_OFFICE):
        a.answered_on, a.answered_by = today, actor
    a.save()
    _log_routing(a.application, action=assignment_log_action(row.action), fields=stored, actor=actor)
    return a


# the reply clock stands still (an open pause, or 补正 awaited): its date creeps forward day by day,
# so the internal deadlines wait for it to settle and move once, with one line in the log
_CLOCK_UNSETTLED = frozenset({"paused", "void"})


@transaction.atomic
def assignments_follow_reply_due(*, application: Application, calendar: WorkingCalendar) -> int:
    """Move the internal deadline of each open assignment of the case with its statutory reply
    deadline (``domain.applications.assignment.follow_reply_due``), logging each move; called
    wherever the stored reply deadline is refreshed (a move of the case, the morning job, a holiday
    notice entered). Returns how many moved."""
    app = application
    if app.reply_due is None or app.reply_status in _CLOCK_UNSETTLED:
        return 0
    moved = 0
    stale = (
        Assignment.objects.select_for_update().filter(application=app, open=True).exclude(reply_due_basis=app.reply_due)
    )
    for a in stale.select_related("unit").order_by("pk"):
        if a.reply_due_basis is None:  # made before the basis was kept: take today's as its basis
            a.reply_due_basis = app.reply_due
            a.save(update_fields=["reply_due_basis"])
            continue
        try:
            new = follow_reply_due(
                due=a.due,
                chosen=a.due_chosen,
                old_reply_due=a.reply_due_basis,
                new_reply_due=app.reply_due,
                calendar=calendar,
            )
        except DomainError:  # a year whose notice is missing: the next refresh will know
            continue
        old_due, old_reply = a.due, a.reply_due_basis
        a.due, a.reply_due_basis = new.due, app.reply_due
        changed = ["due", "reply_due_basis"]
        if new.due > old_due and a.chase_level:  # a new deadline: the unit is chased afresh if late again
            a.chase_level = 0
            changed.append("chase_level")
        a.save(update_fields=changed)
        if new.due != old_due:
            moved += 1
            _log_routing(
                app,
                action=ASSIGNMENT_LOG_DUE_MOVED,
                fields={
                    "unit": a.unit.name,
                    "old_internal_due": old_due,
                    "internal_due": new.due,
                    "reply_due": app.reply_due,
                    "due_note": new.note
                    or f"法定答复期限由{_cn_date(old_reply)}变更为{_cn_date(app.reply_due)}，内部办理期限相应调整",
                },
                actor=None,
            )
    return moved


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _names(users) -> str:
    return "、".join(actor_label(u) for u in users)


@transaction.atomic
def assignments_chase(*, today: date, calendar: WorkingCalendar | None = None) -> int:
    """督办, run by the morning job: every open assignment past its internal deadline is escalated
    step by step (the unit, then its head, then the office head: ``CHASE_STEPS``), each step once,
    in the case log with whom it names. Returns the number of steps written. The statutory clocks
    are not touched (the log rows are routing rows)."""
    calendar = calendar or working_calendar()
    written = 0
    late = (
        Assignment.objects.select_for_update()
        .filter(state__in=ASSIGNMENT_OPEN_STATES, due__lt=today, chase_level__lt=len(CHASE_STEPS))
        # while the statutory clock stands still the internal deadline waits to move with it
        .exclude(application__reply_status__in=_CLOCK_UNSETTLED)
        .select_related("application", "unit")
        .order_by("pk")
    )
    for a in late:
        try:
            level = chase_level(due=a.due, today=today, calendar=calendar)
        except DomainError:  # a year whose holiday notice is missing: tomorrow's run will know
            continue
        for step, _, what in CHASE_STEPS:
            if a.chase_level < step <= level:
                notices.chase_notify(a, step=step, what=what, users=_chase_users(a, step))
                _log_routing(
                    a.application,
                    action=ASSIGNMENT_LOG_CHASE,
                    fields={
                        "unit": a.unit.name,
                        "internal_due": a.due,
                        "chase": what,
                        "notified": _chase_recipients(a, step) or "（未设该岗位）",
                    },
                    actor=None,
                )
                written += 1
        if level > a.chase_level:
            a.chase_level = level
            a.save(update_fields=["chase_level"])
    return written


def _chase_recipients(a: Assignment, step: int) -> str:
    return _names(_chase_users(a, step))


def _chase_users(a: Assignment, step: int) -> list:
    if step == 1:
        who = Membership.objects.filter(unit=a.unit, role=Role.UNIT_STAFF)
    elif step == 2:
        who = Membership.objects.filter(unit=a.unit, role=Role.UNIT_HEAD)
    else:
        who = Membership.objects.filter(agency_id=a.application.agency_id, role=Role.OFFICE_HEAD)
    return [m.user for m in who.select_related("user").order_by("pk")]

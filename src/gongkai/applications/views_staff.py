"""Staff pages of the applications: register, work list, case page, action forms, approvals.

Thin views: reads go through :mod:`.selectors`, writes through :mod:`.services`, rules through
the domain. "Today" comes from :func:`gongkai.localtime.local_today` (a module function, so the browser tests can
freeze it for the live server) and is passed down; nothing below reads the clock.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import localtime
from gongkai.accounts.selectors import roles_in
from gongkai.applications import letters, notices, selectors, selectors_delivery, selectors_units, services
from gongkai.applications.forms_register import IntakeRegistrationForm
from gongkai.applications.forms_staff import CONFIRM_REQUIRED, ActionForm
from gongkai.applications.services_proactive import MARKING_ROLES
from gongkai.domain.applications.proactive import releases_information
from gongkai.domain.applications.receipt import Channel, late_confirmation_warning
from gongkai.domain.applications.workflow import (
    Action,
    Role,
    State,
    available_actions,
    check_transition,
    drafted_outcome,
    next_signer,
    reply_outcomes,
    transition_for,
)
from gongkai.domain.errors import CalendarNotCovered, DomainError, TransitionNotAllowed
from gongkai.domain.fees import FeeQuote
from gongkai.domain.fields import FieldError
from gongkai.domain.outcomes import outcome
from gongkai.downloads import stored_file_response
from gongkai.workcalendar.selectors import working_calendar

PAGE_SIZE = 50
COUNT_CAP = 5000  # beyond this the list says "more than": counting 100,000 rows costs more than it tells
# the reviewers of a draft reply act on it too (法制审核, 保密审查), and sign nothing
_WORKFLOW_ROLES = {
    Role.CLERK.value,
    Role.OFFICE_HEAD.value,
    Role.LEADER.value,
    Role.LEGAL_REVIEWER.value,
    Role.CONFIDENTIALITY_REVIEWER.value,
}


class _CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows, so a page of a huge filter costs what a small one does."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()


def _refused(request, message: str, *, app=None, status: int = 403):
    back = [(reverse("applications:staff_case", args=[app.pk]), f"返回申请 {app.tracking_number}")] if app else []
    back.append((reverse("applications:staff_list"), "返回工作清单"))
    context = {"message": message, "back": back, "layout": "applications/staff/base.html"}
    return render(request, "refused.html", context, status=status)


# -- register -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    agencies = selectors.registering_agencies(request.user)
    if not agencies.exists():
        return _refused(request, "只有经办人可以登记政府信息公开申请。")
    form = IntakeRegistrationForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        today = localtime.local_today()
        cd = form.cleaned_data
        try:
            submitted = services.application_submit(
                agency=cd["agency"],
                channel=cd["channel"],
                applicant=form.applicant(),
                submitted_on=today,
                oral=cd["channel"] == Channel.ORAL,
                registered_by=request.user,
                submission_token=cd["submission_token"],
                attachments=form.attachments(),
                calendar=working_calendar(),
                today=today,
                note=form.registration_note,
                intake=form.intake(),
                intake_papers=form.intake_papers(),
                **form.receipt_dates(),
            )
        except CalendarNotCovered as err:
            form.add_error(None, err.message)
        except FieldError as err:  # the intake's (origin, agent, a forwarded application's date)
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            # receipt_date (第三十一条) and the clock speak about the receipt date
            form.add_error(form.date_field_of_channel(), err.message)
        else:
            app = submitted.application
            if form.registration_note and submitted.created:
                messages.warning(request, form.registration_note + "，已在登记记录中注明。")
            if not submitted.created:
                messages.info(request, f"该申请已登记为{app.tracking_number}，重复提交未生成新的申请。")
                return redirect("applications:staff_case", pk=app.pk)
            if cd.get("notify_by"):
                # checked by the form; a case received on registration is told its receipt at once
                notices.applicant_opt_in(application=app, channel=cd["notify_by"])
            return render(
                request,
                "applications/staff/registered.html",
                {
                    "app": app,
                    "query_code": submitted.query_code,
                    "received_on": app.received_on,
                    "today": today,
                    "status_url": request.build_absolute_uri(reverse("applications:public_status")),
                },
            )
    channels = [(c.value, c.label, c.date_field) for c in Channel]
    return render(request, "applications/staff/register.html", {"form": form, "channels": channels})


# -- the work list --------------------------------------------------------------------------------


@login_required
@require_GET
def worklist(request):
    view = request.GET.get("view", "open")
    if view not in selectors.WORKLIST_KEYS:
        view = "open"
    q = " ".join(request.GET.get("q", "").split())[: selectors.MAX_SEARCH_CHARS]
    today = localtime.local_today()
    calendar = working_calendar()
    agency_ids = selectors.visible_agency_ids(request.user)
    error = None
    try:
        qs = selectors.worklist(agency_ids, view=view, today=today, calendar=calendar, q=q)
    except DomainError as err:  # e.g. "due soon" reaching into a year whose holidays are not entered
        error, qs = err.message, selectors.worklist(agency_ids, view="open", today=today, calendar=calendar).none()
    page = _CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.worklist_rows(page.object_list, today=today, calendar=calendar)
    waiting = []
    if view == "open" and page.number == 1:
        waiting = selectors.worklist_rows(
            selectors.unconfirmed(agency_ids, q)[:PAGE_SIZE], today=today, calendar=calendar
        )
    return render(
        request,
        "applications/staff/worklist.html",
        {
            "views": selectors.WORKLIST_VIEWS,
            "view": view,
            "q": q,
            "view_label": next(v.label for v in selectors.WORKLIST_VIEWS if v.key == view),
            "page": page,
            "rows": rows,
            "waiting": waiting,
            "today": today,
            "error": error,
            "can_register": selectors.registering_agencies(request.user).exists(),
            "many_agencies": len(agency_ids) > 1,
            "count_capped": page.paginator.count > COUNT_CAP,
            "count_cap": COUNT_CAP,
        },
    )


# -- the case page --------------------------------------------------------------------------------


@login_required
@require_GET
def case_detail(request, pk: int):
    app = selectors.case_for(request.user, pk)
    roles = roles_in(request.user, app.agency_id)
    policy = services.sign_off_policy_for(app.agency)
    review = services.review_policy_for(app.agency)
    today = localtime.local_today()
    calendar = working_calendar()
    log = selectors.case_log(app)
    deadline_error = None
    try:
        deadlines = selectors.case_deadlines(log, app, calendar=calendar, today=today)
        deadline_rows = selectors.deadline_rows(deadlines, calendar)
    except DomainError as err:
        deadline_rows, deadline_error = [], err.message
    buttons = [
        {"action": a.value, "label": a.label, "irreversible": transition_for(app.state, a).irreversible}
        for a in available_actions(app.state, roles, policy, pending_outcome=app.pending_outcome or None, review=review)
    ]
    return render(
        request,
        "applications/staff/case.html",
        {
            "app": app,
            "state_label": State(app.state).label,
            "applicant": selectors.applicant_block(app, roles),
            "request_rows": selectors.request_block(app),
            "attachments": list(app.attachments.order_by("pk")),
            "deadlines": deadline_rows,
            "deadline_error": deadline_error,
            "buttons": buttons,
            "read_only": not roles & _WORKFLOW_ROLES,
            # 第四十四条: the office may mark what a closed case released for proactive publication
            "proactive_allowed": bool(roles & MARKING_ROLES) and releases_information(app.state, app.outcome_code),
            "events": selectors.event_rows(log),
            "history": selectors.history_rows(app),
            # routing to units (承办): who was asked and who has answered
            "assignments": selectors_units.case_assignments(app, today=today),
            "can_assign": app.is_open and bool(roles & {Role.CLERK.value, Role.OFFICE_HEAD.value}),
            # delivery (送达): the clocks waiting for a served date, the letters not yet served
            "delivery": selectors_delivery.case_summary(app, log),
            "today": today,
        },
    )


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    att = selectors.attachment_for(request.user, pk, attachment_pk)
    return stored_file_response(att.file, filename=att.original_name, content_type=att.content_type)


# -- one action -----------------------------------------------------------------------------------


def _refusal(state: str, action: Action, roles: set[str], policy, pending: str = "") -> str:
    if not roles & _WORKFLOW_ROLES:
        return "您在该申请的受理机关没有办理权限，只能查看。"
    if action is Action.SIGN_OFF_REPLY and pending:
        signer = next_signer(state, pending, policy)
        if signer is not None and signer.value not in roles:
            return f"按本机关规定，该答复由{policy.chain(pending).label}；现在应由{signer.label}签发。"
    try:
        check_transition(state, action, actor_roles=roles, fields={}, policy=policy)
    except TransitionNotAllowed as err:
        return err.message
    except DomainError:
        pass
    if action is Action.REPLY:
        return f"按本机关规定，答复须经办公室主任或局领导签发，请先“{Action.SUBMIT_REPLY_FOR_SIGN_OFF.label}”。"
    return f"申请处于“{State(state).label}”状态，当前不能“{action.label}”。"


# who reads the draft letter on the action's page: the signer, the reviewers, the clerk who issues it
_READS_THE_LETTER = frozenset(
    {
        Action.SIGN_OFF_REPLY,
        Action.RETURN_REPLY,
        Action.ISSUE_REPLY,
        Action.PASS_LEGAL_REVIEW,
        Action.PASS_SECRECY_REVIEW,
        Action.RETURN_FROM_REVIEW,
    }
)


def _prefill(app, action: Action, log) -> dict:
    """Values a follow-up form can take from the case's log, so they are not retyped."""
    if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION):
        requested = selectors.last_event_fields(log, Action.REQUEST_EXTENSION.value)
        return {"working_days": requested.get("working_days")}
    if action is Action.END_CONSULTATION:
        parties = selectors.open_consultation_parties(log)
        return {"party": parties[-1]} if parties else {}
    row = transition_for(app.state, action)
    fixed = row.outcome or drafted_outcome(action, {})
    if fixed and "legal_basis" in row.field_names:  # e.g. 不予处理 under 第三十五条
        return {"legal_basis": outcome(fixed).basis}
    return {}


def _offered(code: str | None, app, action: Action, policy, review) -> dict:
    """An outcome the case page offers (不予处理：重复申请 for a repeated request), preselected on the
    form for the clerk to check and submit; only one the move may carry under the agency's settings."""
    if code and code in reply_outcomes(app.state, action, policy, review):
        return {"outcome_code": code, "legal_basis": outcome(code).basis}
    return {}


def _redo(make, data, **updates) -> ActionForm:
    """The form again with some values filled in by the server, to be checked before it is sent."""
    for key, value in updates.items():
        data[key] = value
    form = make(data)
    form.is_valid()
    return form


@login_required
@require_http_methods(["GET", "POST"])
def act(request, pk: int, action: str):
    app = selectors.case_for(request.user, pk)
    try:
        action = Action(action)
    except ValueError:
        raise Http404("没有这项操作") from None
    roles = roles_in(request.user, app.agency_id)
    policy = services.sign_off_policy_for(app.agency)
    review = services.review_policy_for(app.agency)
    if action not in available_actions(
        app.state, roles, policy, pending_outcome=app.pending_outcome or None, review=review
    ):
        return _refused(request, _refusal(app.state, action, roles, policy, app.pending_outcome), app=app)
    row = transition_for(app.state, action)
    today = localtime.local_today()
    log = selectors.case_log(app)
    data = request.POST.copy() if request.method == "POST" else None

    def make(data):
        return ActionForm(
            data,
            transition=row,
            outcome_codes=reply_outcomes(app.state, action, policy, review),
            today=today,
            initial_values={
                **_prefill(app, action, log),
                **_offered(request.GET.get("outcome_code"), app, action, policy, review),
            },
        )

    form = make(data)
    quote: FeeQuote | None = None
    notice = None
    if data is not None and form.is_valid():
        fields = form.domain_fields()
        proceed = True
        if action is Action.NOTIFY_FEE:
            # the amount is the tariff's (the service computes it), shown before it can be sent
            try:
                quote = services.fee_notice_quote(fields=fields, application=app)
            except FieldError as err:
                form.add_error(err.field or None, err.message)
                proceed = False
            else:
                fields["amount"] = quote.amount
                if "_calculate" in data or form.cleaned_data.get("quoted_amount") != quote.amount:
                    if "_calculate" not in data:
                        notice = f"按所填情况收费金额为{quote.amount}元，请核对后再提交。"
                    form = _redo(make, data, quoted_amount=str(quote.amount))
                    proceed = False
        if proceed and "legal_basis" in form.fields and fields.get("outcome_code") and not fields.get("legal_basis"):
            basis = outcome(fields["outcome_code"]).basis
            if basis:  # the outcome's article, filled in for the clerk to check (also without JavaScript)
                form = _redo(make, data, legal_basis=basis)
                notice = "已按所选办理结果填入法律依据，请核对后再提交。"
                proceed = False
        if proceed:
            if row.irreversible and not form.confirmed:
                form.add_error("confirm_irreversible", CONFIRM_REQUIRED)
            else:
                try:
                    services.application_transition(
                        application=app,
                        action=action,
                        actor=request.user,
                        actor_roles=roles,
                        fields=fields,
                        today=today,
                        calendar=working_calendar(),
                    )
                except FieldError as err:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
                except DomainError as err:
                    form.add_error(None, err.message)
                else:
                    messages.success(request, f"已{action.label}。")
                    if action is Action.CONFIRM_RECEIPT:
                        late = late_confirmation_warning(
                            app.channel, arrived_on=fields.get("arrived_on"), confirmed_on=fields["confirmed_on"]
                        )
                        if late:
                            messages.warning(request, late)
                    return redirect(reverse("applications:staff_case", kwargs={"pk": app.pk}))
    context = {
        "app": app,
        "action": action,
        "transition": row,
        "form": form,
        "quote": quote,
        "notice": notice,
        "state_label": State(app.state).label,
        "outcome_bases": {c: outcome(c).basis for c in reply_outcomes(app.state, action, policy, review)},
        "pending_outcome": outcome(app.pending_outcome).label if app.pending_outcome else "",
        "resume_state": State(app.resume_state).label if app.resume_state else "",
        # the signer reads the letter itself; the clerk who issues it sees what goes out
        "reply_preview": (letters.reply_preview(app) if action in _READS_THE_LETTER else None),
    }
    return render(request, "applications/staff/act.html", context)


# -- approvals ------------------------------------------------------------------------------------


@login_required
@require_GET
def approvals(request):
    pending = selectors.approvals_for(request.user)
    if not (pending.can_approve_extensions or pending.can_sign_off):
        return _refused(request, "只有办公室主任和局领导可以审批延期答复和签发答复。")
    today = localtime.local_today()
    calendar = working_calendar()

    def due(app):
        return selectors.days_left_text(app, today, calendar)[1]

    return render(
        request,
        "applications/staff/approvals.html",
        {
            "pending": pending,
            "extensions": [(a, req, due(a)) for a, req in pending.extensions],
            "sign_offs": [
                (a, outcome(a.pending_outcome).label if a.pending_outcome else "", due(a)) for a in pending.sign_offs
            ],
        },
    )


# -- deadlines that moved when a holiday notice was entered ---------------------------------------


@login_required
@require_GET
def deadline_changes(request):
    """The reply deadlines recomputed when a holiday notice was entered: the office head checks
    that no case now needs action earlier or later than planned."""
    changes = selectors.deadline_changes(selectors.visible_agency_ids(request.user))
    return render(
        request, "applications/staff/deadline_changes.html", {"changes": changes, "today": localtime.local_today()}
    )

"""Pages of the routing to units (承办): the office assigns a case, a unit reads and answers it.

Thin views: reads through :mod:`.selectors_units`, writes through :mod:`.services`, the rules in
``domain.applications.assignment``. A unit's staff reach a case only through their unit's
assignment (404 for any other); the office's case page shows every unit's answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import localtime
from gongkai.accounts.selectors import roles_in, units_of_agency
from gongkai.applications import selectors, selectors_units, services
from gongkai.applications.forms_units import AnswerForm, AssignForm, NoteForm, ReturnForm
from gongkai.domain.applications.assignment import WORKFLOW, Action
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.downloads import stored_file_response
from gongkai.workcalendar.selectors import working_calendar

_FORMS = {
    Action.ACCEPT: NoteForm,
    Action.ANSWER: AnswerForm,
    Action.RETURN_TO_OFFICE: ReturnForm,
    Action.WITHDRAW: NoteForm,
}
_OFFICE = {"clerk", "office_head"}
PAGE_SIZE = 50


def _refused(request, message: str, *, back: list[tuple[str, str]], status: int = 403):
    context = {"message": message, "back": back, "layout": "applications/staff/base.html"}
    return render(request, "refused.html", context, status=status)


def _add_error(form, err: DomainError) -> None:
    name = err.field if isinstance(err, FieldError) and err.field in form.fields else None
    form.add_error(name, err.message)


@login_required
@require_GET
def unit_worklist(request):
    today = localtime.local_today()
    page = Paginator(selectors_units.unit_assignments(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors_units.assignment_rows(page.object_list, today=today)
    return render(request, "applications/units/worklist.html", {"rows": rows, "page": page, "today": today})


@login_required
@require_GET
def assignment_detail(request, pk: int):
    a = selectors_units.assignment_for(request.user, pk)
    as_unit = selectors_units.is_unit_reader(request.user, a)
    roles = roles_in(request.user, a.application.agency_id)
    actor_roles = roles if as_unit else roles & _OFFICE
    buttons = [(act.value, act.label) for act in WORKFLOW.available_actions(a.state, actor_roles)]
    today = localtime.local_today()
    return render(
        request,
        "applications/units/assignment.html",
        {
            "a": a,
            "row": (row := selectors_units.assignment_rows([a], today=today)[0]),
            "row_list": [row],
            "as_unit": as_unit,
            "facts": selectors_units.unit_case_facts(a.application, share_identity=a.share_identity),
            "buttons": buttons,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_act(request, pk: int, action: str):
    try:
        act = Action(action)
    except ValueError:
        raise Http404("没有这项操作") from None
    a = selectors_units.assignment_for(request.user, pk)
    as_unit = selectors_units.is_unit_reader(request.user, a)
    roles = roles_in(request.user, a.application.agency_id)
    actor_roles = roles if as_unit else roles & _OFFICE
    back = [(reverse("applications:unit_assignment", args=[a.pk]), "返回交办件")]
    try:
        WORKFLOW.allowed(a.state, act, actor_roles)
    except DomainError as err:
        return _refused(request, err.message, back=back)
    form = _FORMS[act](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_transition(
                assignment=a,
                action=act.value,
                actor=request.user,
                actor_roles=actor_roles,
                fields=form.domain_fields(),
                files=form.uploads(),
                today=localtime.local_today(),
            )
        except DomainError as err:
            _add_error(form, err)
        else:
            messages.success(request, f"已{act.label}。")
            if as_unit:
                return redirect("applications:unit_assignment", pk=a.pk)
            return redirect("applications:staff_case", pk=a.application_id)
    return render(request, "applications/units/act.html", {"a": a, "action": act, "form": form, "back": back})


@login_required
@require_GET
def assignment_file(request, pk: int, file_pk: int):
    f = selectors_units.assignment_file_for(request.user, pk, file_pk)
    return stored_file_response(f.file, filename=f.original_name, content_type=f.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk: int):
    """The office assigns a case to one or more units (会签) with an internal deadline."""
    app = selectors.case_for(request.user, pk)
    roles = roles_in(request.user, app.agency_id)
    back = [(reverse("applications:staff_case", args=[app.pk]), f"返回申请 {app.tracking_number}")]
    if not roles & _OFFICE:
        return _refused(request, "交办承办单位应由经办人或办公室主任操作。", back=back)
    units = units_of_agency(app.agency_id)
    if not units.exists():
        return _refused(request, "本机关尚未设置承办单位，请由系统管理员在“机构”中添加。", back=back, status=200)
    form = AssignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            created = services.assignment_create(
                application=app,
                units=list(cd["units"]),
                actor=request.user,
                actor_roles=roles,
                today=localtime.local_today(),
                due=cd["due"],
                instructions=cd["instructions"],
                share_identity=cd["share_identity"],
                parts=form.parts(),
                calendar=working_calendar(),
            )
        except DomainError as err:
            _add_error(form, err)
        else:
            names = "、".join(x.unit.name for x in created)
            messages.success(request, f"已交办{names}，内部办理期限{created[0].due:%Y年%-m月%-d日}。")
            return redirect("applications:staff_case", pk=app.pk)
    default_days = app.agency.unit_deadline_days
    return render(
        request,
        "applications/units/assign.html",
        {"app": app, "form": form, "back": back, "default_days": default_days},
    )

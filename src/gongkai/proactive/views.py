"""Pages of 依申请公开转主动公开 (第四十四条): the form on a closed case, and the year's list (the figure
the annual report's prose gives; no table row counts it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import localtime
from gongkai.accounts.selectors import primary_agency, roles_in
from gongkai.applications import selectors as application_selectors
from gongkai.applications.services_proactive import MARKING_ROLES, already_marked
from gongkai.disclosure import selectors as disclosure_selectors
from gongkai.domain.applications.proactive import BASIS, releases_information
from gongkai.domain.errors import DomainError
from gongkai.proactive import services
from gongkai.proactive.forms import ToProactiveForm


def _refused(request, message: str, app=None, status: int = 403):
    back = [(reverse("applications:staff_case", args=[app.pk]), f"返回申请 {app.tracking_number}")] if app else []
    back.append((reverse("applications:staff_list"), "返回工作清单"))
    context = {"message": message, "back": back, "layout": "applications/staff/base.html"}
    return render(request, "refused.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def from_case(request, pk: int):
    app = application_selectors.case_for(request.user, pk)
    roles = roles_in(request.user, app.agency_id)
    if not roles & MARKING_ROLES:
        return _refused(request, "转为主动公开应由经办人或办公室主任操作。", app)
    if not releases_information(app.state, app.outcome_code):
        return _refused(
            request, f"该申请没有公开的信息可转为主动公开（{BASIS}：仅限已答复且予以公开或部分公开的信息）。", app
        )
    marked = already_marked(app)
    document = disclosure_selectors.document_for_application(app.agency, app.tracking_number)
    initial = {"title": app.description[:300], "formed_on": app.concluded_on}
    form = ToProactiveForm(request.POST or None, agency=app.agency, initial=initial)
    if request.method == "POST" and marked is None and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.application_to_proactive(
                application=app,
                actor=request.user,
                actor_roles=roles,
                title=data["title"],
                column=data["column"],
                formed_on=data["formed_on"],
                today=localtime.local_today(),
                body=data["body"],
            )
        except DomainError as err:
            form.add_error(
                getattr(err, "field", None) if getattr(err, "field", None) in form.fields else None, err.message
            )
        else:
            messages.success(
                request,
                f"已登记为主动公开文件草稿（索引号{result.document.index_number}），请在主动公开文件中审核发布。",
            )
            return redirect(reverse("applications:staff_case", kwargs={"pk": app.pk}))
    return render(
        request,
        "proactive/from_case.html",
        {"app": app, "form": form, "marked": marked, "document": document, "basis": BASIS},
    )


@login_required
@require_GET
def year_list(request):
    agency = primary_agency(request.user)
    if agency is None or not roles_in(request.user, agency) & (MARKING_ROLES | {"leader"}):
        return _refused(request, "您没有查看权限。")
    today = localtime.local_today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    documents = list(disclosure_selectors.documents_from_applications(agency, year).select_related("column"))
    return render(
        request,
        "proactive/year.html",
        {"agency": agency, "year": year, "years": range(today.year, today.year - 5, -1), "documents": documents},
    )

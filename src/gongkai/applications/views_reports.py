"""Pages for the office and the leadership: the year's statistics and a case's letters.

Statistics live under /work/statistics/ (``urls_reports``). The letter pages belong under a case,
/work/applications/<id>/letters/…, so their patterns are in :data:`LETTER_URLPATTERNS`, which
``urls_staff`` includes (``urlpatterns += LETTER_URLPATTERNS``).

Views stay thin: reads come from :mod:`.statistics` and :mod:`.letters` (``letter_kinds_for``),
writes go through ``letters.generate_letter`` and ``letters.upload_signed_letter``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import agencies_visible_to, primary_agency, roles_in, roles_of
from gongkai.applications import letters as letter_service
from gongkai.applications import selectors_units, statistics
from gongkai.applications.models import Application, Letter
from gongkai.domain.applications.workflow import Action
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.spreadsheets import XLSX_CONTENT_TYPE
from gongkai.workcalendar.selectors import working_calendar

STATISTICS_ROLES = {Role.CLERK, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR}
LETTER_READ_ROLES = {Role.CLERK, Role.OFFICE_HEAD, Role.LEADER, Role.CONFIDENTIALITY_REVIEWER}
LETTER_WRITE_ROLES = {Role.CLERK, Role.OFFICE_HEAD}


# -- statistics ---------------------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    agency = forms.ChoiceField(label="机关", required=False)

    def __init__(self, *args, years: list[int], agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["year"].error_messages["invalid_choice"] = f"请选择{years[-1]}年至{years[0]}年之间的年度"
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        if len(agencies) < 2:
            self.fields["agency"].widget = forms.HiddenInput()


def _statistics_request(request) -> tuple[YearForm, Agency, int]:
    if not roles_of(request.user) & STATISTICS_ROLES:
        raise PermissionDenied("统计数据仅向经办人、办公室主任、局领导和上级政务公开办开放")
    agencies = list(agencies_visible_to(request.user).order_by("name"))
    if not agencies:
        raise PermissionDenied("您的账号没有可查看的机关")
    own = primary_agency(request.user)
    default = own if own in agencies else agencies[0]
    code = request.GET.get("agency") or default.code
    agency = next((a for a in agencies if a.code == code), default)
    today = timezone.localdate()
    years = statistics.report_years(agency, today)
    form = YearForm(
        request.GET or None, years=years, agencies=agencies, initial={"year": today.year, "agency": agency.code}
    )
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    return form, agency, year


@login_required
@require_GET
def statistics_page(request):
    form, agency, year = _statistics_request(request)
    today = timezone.localdate()
    error = None
    stats = None
    try:
        stats = statistics.year_statistics(agency, year, calendar=working_calendar(), today=today)
    except DomainError as err:
        error = err.message
    context = {"form": form, "agency": agency, "year": year, "stats": stats, "error": error, "today": today}
    if stats is not None:
        context.update(
            chart=statistics.monthly_chart(stats.months, year=year),
            table3_columns=statistics.table3_columns(year),
            table3_rows=statistics.table3_rows_for_display(year, stats.table3),
            worst=stats.worst,
            # routing to units (承办): each unit's on-time rate and working days taken
            unit_stats=selectors_units.unit_statistics(agency.pk, year, calendar=working_calendar()),
        )
    return render(request, "applications/reports/statistics.html", context, status=200 if stats else 503)


@login_required
@require_GET
def statistics_export(request):
    _, agency, year = _statistics_request(request)
    try:
        stats = statistics.year_statistics(agency, year, calendar=working_calendar(), today=timezone.localdate())
    except DomainError as err:
        return HttpResponse(err.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(statistics.year_workbook(stats), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="statistics-{agency.code}-{year}.xlsx"'
    return response


# -- letters ------------------------------------------------------------------------------------


class SignedUploadForm(forms.Form):
    file = forms.FileField(
        label="签章版本（PDF或Word）",
        error_messages={"required": "请选择要上传的签章版本文件", "empty": "上传的文件是空的"},
    )


def _application_for(request, application_id: int, roles: set[str]) -> Application:
    agencies = Membership.objects.filter(user=request.user, role__in=roles).values_list("agency_id", flat=True)
    return get_object_or_404(Application.objects.select_related("agency"), pk=application_id, agency_id__in=agencies)


def _can_write(user, application: Application) -> bool:
    return Membership.objects.filter(user=user, agency_id=application.agency_id, role__in=LETTER_WRITE_ROLES).exists()


def _render_letters(request, application: Application, *, upload_forms=None, status: int = 200):
    needs = letter_service.letter_kinds_for(application)
    upload_forms = upload_forms or {}
    rows = []
    for need in needs:
        letters = [
            (letter, upload_forms.get(letter.pk) or SignedUploadForm(auto_id=f"id_%s_{letter.pk}"))
            for letter in need.letters
        ]
        rows.append({"need": need, "action": _action_label(need.event.action), "letters": letters})
    return render(
        request,
        "applications/reports/letters.html",
        {
            "application": application,
            "rows": rows,
            "can_write": _can_write(request.user, application),
            "can_change_templates": "office_head" in roles_in(request.user, application.agency_id),
            "max_mb": letter_service.SIGNED_MAX_BYTES // 1024 // 1024,
        },
        status=status,
    )


def _action_label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return "提交申请"


@login_required
@require_GET
def letter_list(request, application_id: int):
    return _render_letters(request, _application_for(request, application_id, LETTER_READ_ROLES))


@login_required
@require_POST
def letter_generate(request, application_id: int):
    application = _application_for(request, application_id, LETTER_WRITE_ROLES)
    event = None
    if request.POST.get("event"):
        event = application.events.filter(pk=request.POST["event"]).first()
        if event is None:
            raise Http404("没有这条办理记录")
    try:
        letter = letter_service.generate_letter(
            application=application, kind=request.POST.get("kind", ""), event=event, user=request.user
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"已生成“{letter.title}”，请下载后核对、签章，再上传签章版本。")
    return redirect("applications:letters", application_id=application.pk)


@login_required
@require_GET
def letter_download(request, application_id: int, letter_id: int, version: str):
    application = _application_for(request, application_id, LETTER_READ_ROLES)
    letter = get_object_or_404(Letter, pk=letter_id, application=application)
    if version not in ("generated", "signed"):
        raise Http404("没有这个版本")
    f = letter.signed if version == "signed" else letter.generated
    if not f:
        raise Http404("尚未上传签章版本")
    suffix = "." + f.name.rsplit(".", 1)[-1] if "." in f.name else ""
    name = f"{application.tracking_number}-{letter.title}{'-签章版' if version == 'signed' else ''}{suffix}"
    return FileResponse(f.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def letter_upload_signed(request, application_id: int, letter_id: int):
    application = _application_for(request, application_id, LETTER_WRITE_ROLES)
    letter = get_object_or_404(Letter, pk=letter_id, application=application)
    form = SignedUploadForm(request.POST, request.FILES, auto_id=f"id_%s_{letter.pk}")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > letter_service.SIGNED_MAX_BYTES:
            form.add_error("file", f"文件过大，不能超过{letter_service.SIGNED_MAX_BYTES // 1024 // 1024}MB")
        else:
            try:
                letter_service.upload_signed_letter(
                    letter=letter, name=upload.name, data=upload.read(), user=request.user
                )
            except FieldError as err:
                form.add_error("file", err.message)
            else:
                messages.success(request, f"已上传“{letter.title}”的签章版本，申请人查询时可以看到。")
                return redirect("applications:letters", application_id=application.pk)
    return _render_letters(request, application, upload_forms={letter.pk: form}, status=400)


# Under /work/applications/ (urls_staff includes them).
LETTER_URLPATTERNS = [
    path("<int:application_id>/letters/", letter_list, name="letters"),
    path("<int:application_id>/letters/generate/", letter_generate, name="letter_generate"),
    path(
        "<int:application_id>/letters/<int:letter_id>/download/<str:version>/",
        letter_download,
        name="letter_download",
    ),
    path("<int:application_id>/letters/<int:letter_id>/signed/", letter_upload_signed, name="letter_upload_signed"),
]

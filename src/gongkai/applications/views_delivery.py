"""Pages of delivery (送达) and archiving (归档): a case's deliveries with their proofs and 送达回证,
its evidence list, its archive package; the archive page of a year with its batch's progress.

Thin views: reads from :mod:`.selectors_delivery`, writes through :mod:`.services_delivery` and
:mod:`.services_archive`, files from :mod:`.evidence`; "today" from ``localtime.local_today()``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import localtime
from gongkai.accounts.selectors import primary_agency, roles_in
from gongkai.applications import evidence, selectors_delivery, services_archive, services_delivery
from gongkai.applications.models import Letter
from gongkai.domain.applications.archiving import RETENTION_CHOICES, safe_file_name
from gongkai.domain.applications.serving import METHOD_LABELS, PROOF_LABELS
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.downloads import stored_file_response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DATE = forms.DateInput(attrs={"type": "date"})


class DeliveryForm(forms.Form):
    letter = forms.TypedChoiceField(label="送达文书", coerce=int)
    method = forms.ChoiceField(label="送达方式", choices=[(m.value, label) for m, label in METHOD_LABELS.items()])
    recipient = forms.CharField(label="受送达人", max_length=200, required=False, help_text="不填写的，为文书的收件人")
    address = forms.CharField(label="送达地址或电子邮箱", max_length=300, required=False)
    tracking_number = forms.CharField(label="邮件号码", max_length=40, required=False, help_text="EMS、挂号信必填")
    sent_on = forms.DateField(label="发出日期", widget=_DATE)
    served_on = forms.DateField(
        label="送达日期", widget=_DATE, required=False, help_text="尚未送达（如邮件在途）的暂不填写，送达后再登记"
    )
    signed_by = forms.CharField(label="签收人", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, letters: list[Letter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter"].choices = [
            (x.pk, x.title + (f"（{x.reference_number}）" if x.reference_number else "")) for x in letters
        ]


class ServedForm(forms.Form):
    served_on = forms.DateField(label="送达日期", widget=_DATE)
    signed_by = forms.CharField(label="签收人", max_length=100, required=False)


class ProofForm(forms.Form):
    kind = forms.ChoiceField(label="凭证类型", choices=[(k.value, label) for k, label in PROOF_LABELS.items()])
    file = forms.FileField(label="文件（PDF、JPG或PNG）", error_messages={"required": "请选择要上传的文件"})


class YearForm(forms.Form):
    year = forms.IntegerField(label="办结年度", min_value=2000)


class RetentionForm(forms.Form):
    retention_years = forms.TypedChoiceField(label="保管期限", coerce=int, choices=list(RETENTION_CHOICES.items()))


def _refused(request, message: str, status: int = 403):
    context = {"message": message, "back": [(reverse("applications:staff_list"), "返回工作清单")]}
    return render(request, "refused.html", context | {"layout": "applications/staff/base.html"}, status=status)


def _roles(request, app) -> set[str]:
    return set(roles_in(request.user, app.agency_id))


def _page(request, app, *, form=None, status: int = 200):
    rows = selectors_delivery.letters_with_deliveries(app)
    can_write = selectors_delivery.can_write(request.user, app)
    return render(
        request,
        "applications/delivery/case.html",
        {
            "app": app,
            "rows": rows,
            "can_write": can_write,
            "form": form
            or DeliveryForm(letters=[r.letter for r in rows], initial={"sent_on": localtime.local_today()}),
            "kinds": [(k.value, label) for k, label in PROOF_LABELS.items()],
            "summary": selectors_delivery.case_summary(app, list(app.events.order_by("seq"))),
            "closed": not app.is_open,
        },
        status=status,
    )


@login_required
@require_GET
def delivery_page(request, pk: int):
    return _page(request, selectors_delivery.case_for(request.user, pk))


@login_required
@require_POST
def delivery_record(request, pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    letters = [r.letter for r in selectors_delivery.letters_with_deliveries(app)]
    form = DeliveryForm(request.POST, letters=letters)
    if form.is_valid():
        cd = form.cleaned_data
        letter = next(x for x in letters if x.pk == cd["letter"])
        try:
            services_delivery.delivery_record_create(
                letter=letter,
                method=cd["method"],
                sent_on=cd["sent_on"],
                served_on=cd["served_on"],
                recipient=cd["recipient"],
                address=cd["address"],
                tracking_number=cd["tracking_number"],
                signed_by=cd["signed_by"],
                note=cd["note"],
                actor=request.user,
                actor_roles=_roles(request, app),
                today=localtime.local_today(),
            )
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, f"已登记“{letter.title}”的送达。")
            return redirect("applications:delivery", pk=app.pk)
    return _page(request, app, form=form, status=400)


@login_required
@require_POST
def delivery_served(request, pk: int, record_pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    record = selectors_delivery.record_for(app, record_pk)
    form = ServedForm(request.POST)
    if form.is_valid():
        try:
            services_delivery.delivery_record_served(
                record=record,
                served_on=form.cleaned_data["served_on"],
                signed_by=form.cleaned_data["signed_by"],
                actor=request.user,
                actor_roles=_roles(request, app),
                today=localtime.local_today(),
            )
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, f"已登记“{record.letter.title}”的送达日期。")
    else:
        messages.error(request, "请填写送达日期")
    return redirect("applications:delivery", pk=app.pk)


@login_required
@require_POST
def delivery_proof(request, pk: int, record_pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    record = selectors_delivery.record_for(app, record_pk)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services_delivery.PROOF_MAX_BYTES:
            messages.error(request, f"文件过大，不能超过{services_delivery.PROOF_MAX_BYTES // 1024 // 1024}MB")
        else:
            try:
                services_delivery.delivery_proof_add(
                    record=record,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    data=upload.read(),
                    actor=request.user,
                    actor_roles=_roles(request, app),
                )
            except DomainError as err:
                messages.error(request, err.message)
            else:
                messages.success(request, "已上传送达凭证。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("applications:delivery", pk=app.pk)


@login_required
@require_GET
def proof_download(request, pk: int, proof_pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    proof = selectors_delivery.proof_for(app, proof_pk)
    return stored_file_response(proof.file, filename=proof.original_name, content_type=proof.content_type)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_file_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def return_receipt(request, pk: int, record_pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    record = selectors_delivery.record_for(app, record_pk)
    return _download(
        evidence.return_receipt_docx(record), f"{app.tracking_number}-送达回证-{record.letter.title}.docx", DOCX
    )


@login_required
@require_POST  # a heavy rendering (PDFs of the whole case), asked for by a button, never by a crawl
def evidence_list(request, pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    try:
        data = evidence.evidence_zip(app, today=localtime.local_today())
    except DomainError as err:
        return _refused(request, err.message, status=413)
    return _download(data, f"{app.tracking_number}-证据目录.zip", "application/zip")


@login_required
@require_POST
def archive_case(request, pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    try:
        services_archive.case_file(
            application=app, actor=request.user, actor_roles=_roles(request, app), today=localtime.local_today()
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"申请{app.tracking_number}已归档。")
    return redirect("applications:delivery", pk=app.pk)


@login_required
@require_GET
def archive_package(request, pk: int):
    app = selectors_delivery.case_for(request.user, pk)
    archived = getattr(app, "archived", None)
    if archived is None:
        raise Http404("该申请尚未归档")
    return stored_file_response(
        archived.package, filename=f"{app.tracking_number}-案卷.zip", content_type="application/zip"
    )


# -- a year's archive -----------------------------------------------------------------------------------


def _agency(request):
    agency = primary_agency(request.user)
    if agency is None or not set(roles_in(request.user, agency.pk)) & set(selectors_delivery.READ_ROLES):
        return None
    return agency


def _year(request) -> int:
    form = YearForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_valid() else localtime.local_today().year - 1


@login_required
@require_http_methods(["GET", "POST"])
def archive_year(request):
    agency = _agency(request)
    if agency is None:
        return _refused(request, "只有经办人、办公室主任和局领导可以查看归档。")
    roles = set(roles_in(request.user, agency.pk))
    year = _year(request)
    retention = RetentionForm(initial={"retention_years": selectors_delivery.retention_years(agency)})
    if request.method == "POST":
        today = localtime.local_today()
        try:
            if "retention_years" in request.POST:
                retention = RetentionForm(request.POST)
                if retention.is_valid():
                    services_archive.archive_setting_update(
                        agency=agency, retention_years=retention.cleaned_data["retention_years"], actor_roles=roles
                    )
                    messages.success(request, "已保存保管期限。")
            else:
                form = YearForm(request.POST)
                if form.is_valid():
                    year = form.cleaned_data["year"]
                    services_archive.archive_batch_create(
                        agency=agency, year=year, actor=request.user, actor_roles=roles, today=today
                    )
                    messages.success(request, f"已开始归档{year}年度办结的申请。")
        except DomainError as err:
            messages.error(request, err.message)
        return redirect(f"{reverse('applications:archive')}?year={year}")
    progress = selectors_delivery.year_progress(agency.pk, year)
    return render(
        request,
        "applications/archive/year.html",
        {
            "agency": agency,
            "year": year,
            "progress": progress,
            "batch": selectors_delivery.latest_batch(agency.pk, year),
            "cases": selectors_delivery.archived_in(agency.pk, year)[:500],
            "retention": retention,
            "can_write": bool(roles & set(selectors_delivery.WRITE_ROLES)),
            "is_head": "office_head" in roles,
        },
    )


@login_required
@require_GET
def archive_progress(request, year: int):
    agency = _agency(request)
    if agency is None:
        raise Http404("没有可查看的机关")
    p = selectors_delivery.year_progress(agency.pk, year)
    batch = selectors_delivery.latest_batch(agency.pk, year)
    running = batch is not None and batch.status in ("queued", "running")
    return JsonResponse(
        {"finished": p.filed, "total": p.total, "percent": p.percent, "complete": p.complete or not running}
    )


# Under /work/applications/ (urls_staff includes them).
DELIVERY_URLPATTERNS = [
    path("archive/", archive_year, name="archive"),
    path("archive/<int:year>/progress/", archive_progress, name="archive_progress"),
    path("<int:pk>/delivery/", delivery_page, name="delivery"),
    path("<int:pk>/delivery/record/", delivery_record, name="delivery_record"),
    path("<int:pk>/delivery/<int:record_pk>/served/", delivery_served, name="delivery_served"),
    path("<int:pk>/delivery/<int:record_pk>/proof/", delivery_proof, name="delivery_proof"),
    path("<int:pk>/delivery/<int:record_pk>/return-receipt/", return_receipt, name="return_receipt"),
    path("<int:pk>/delivery/proofs/<int:proof_pk>/", proof_download, name="delivery_proof_download"),
    path("<int:pk>/evidence/", evidence_list, name="evidence"),
    path("<int:pk>/archive/", archive_case, name="archive_case"),
    path("<int:pk>/archive/package/", archive_package, name="archive_package"),
]

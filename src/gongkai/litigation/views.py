"""Staff pages of the review and litigation register (/work/reviews/).

Every page needs a login and a membership in the case's agency (or its supervising office): a case
of another agency is "not found". 经办人 and 办公室主任 write; 局领导 and the supervising office read.
"Today" comes from :func:`gongkai.localtime.local_today` (monkeypatched by the tests) and is passed to the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import localtime
from gongkai.domain.annual_report.litigation import KIND_LABELS, RESULT_LABELS
from gongkai.domain.errors import DomainError
from gongkai.downloads import stored_file_response
from gongkai.litigation import selectors, services
from gongkai.litigation.forms import CONFIRM_REQUIRED, ConcludeForm, DocumentForm, ReviewCaseForm
from gongkai.litigation.services import ReviewCaseError, SubmissionTokenUsed

PAGE_SIZE = 200  # an agency has a handful of cases a year; more than this per filter is not expected


def _refused(request, message: str, *, case=None, status: int = 403):
    back = [(reverse("litigation:detail", args=[case.pk]), "返回案件")] if case else []
    back.append((reverse("litigation:list"), "返回复议诉讼登记簿"))
    context = {"message": message, "back": back, "layout": "litigation/base.html"}
    return render(request, "refused.html", context, status=status)


def _year(value: str | None) -> int | None:
    try:
        year = int(value) if value else None
    except ValueError:
        return None
    return year if year is not None and 1990 <= year <= 2100 else None


# -- the register ---------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    if agency is None:
        return _refused(request, "您没有可查看的机关：复议诉讼登记簿只对机关的工作人员和上级政务公开办开放。")
    today = localtime.local_today()
    years = selectors.year_choices(agency, today)
    year_param = request.GET.get("year", "")
    year = None if year_param == "all" else (_year(year_param) or today.year)
    kind = request.GET.get("kind") if request.GET.get("kind") in KIND_LABELS else ""
    result = request.GET.get("result") if request.GET.get("result") in RESULT_LABELS else ""
    cases = list(selectors.review_cases(agency, year=year, kind=kind, result=result)[: PAGE_SIZE + 1])
    preview_year = year or today.year
    return render(
        request,
        "litigation/list.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "cases": cases[:PAGE_SIZE],
            "truncated": len(cases) > PAGE_SIZE,
            "years": years,
            "year": year,
            "kind": kind,
            "result": result,
            "kinds": KIND_LABELS,
            "results": RESULT_LABELS,
            "preview": selectors.table4_preview(agency=agency, year=preview_year),
            "preview_year": preview_year,
            "can_write": selectors.can_write(request.user, agency.pk),
            "today": today,
        },
    )


# -- register and edit ----------------------------------------------------------------------------


def _initial_from_query(request) -> dict:
    """The case page of an application links here with its number, so it is not retyped."""
    number = (request.GET.get("application") or "").strip()
    return {"application_number": number[:40]} if number else {}


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    agencies = selectors.writing_agencies(request.user)
    if not agencies.exists():
        return _refused(request, "只有经办人和办公室主任可以登记行政复议和行政诉讼案件。")
    form = ReviewCaseForm(request.POST or None, agencies=agencies, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.review_case_register(
                agency=form.cleaned_data["agency"],
                created_by=request.user,
                today=localtime.local_today(),
                submission_token=form.cleaned_data.get("submission_token"),
                **form.service_fields(),
            )
        except SubmissionTokenUsed as err:
            form.add_error(None, err.message)
            form.renew_token()
        except ReviewCaseError as err:
            form.place_error(err.field, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            if case.newly_registered:
                messages.success(request, f"已登记{case.get_kind_display()}案件。")
            else:  # the same form posted again (a double click, a resubmission)
                messages.info(request, "该案件已登记，未重复登记。")
            return redirect("litigation:detail", pk=case.pk)
    return render(request, "litigation/form.html", {"form": form, "case": None})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = selectors.case_for(request.user, pk)
    if not selectors.can_write(request.user, case.agency_id):
        return _refused(request, "您在该案件的机关没有登记权限，只能查看。", case=case)
    form = ReviewCaseForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_case_update(
                case=case, actor=request.user, today=localtime.local_today(), **form.service_fields()
            )
        except ReviewCaseError as err:
            form.place_error(err.field, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已保存修改。")
            return redirect("litigation:detail", pk=case.pk)
    return render(request, "litigation/form.html", {"form": form, "case": case})


# -- the case page --------------------------------------------------------------------------------


def _detail_context(request, case, *, document_form=None) -> dict:
    return {
        "case": case,
        "can_write": selectors.can_write(request.user, case.agency_id),
        "documents": list(case.documents.select_related("uploaded_by").order_by("uploaded_at", "id")),
        "document_form": document_form or DocumentForm(),
        "later_suits": list(case.later_suits.order_by("filed_on", "id")),
        "history": selectors.history_rows(case),
        "answer_deadline": selectors.answer_deadline_of(case, today=localtime.local_today()),
    }


@login_required
@require_GET
def case_detail(request, pk: int):
    case = selectors.case_for(request.user, pk)
    return render(request, "litigation/detail.html", _detail_context(request, case))


@login_required
@require_http_methods(["GET", "POST"])
def case_conclude(request, pk: int):
    case = selectors.case_for(request.user, pk)
    if not selectors.can_write(request.user, case.agency_id):
        return _refused(request, "您在该案件的机关没有登记权限，只能查看。", case=case)
    form = ConcludeForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        if not form.confirmed:
            form.add_error("confirm", CONFIRM_REQUIRED)
        else:
            cd = form.cleaned_data
            try:
                services.review_case_conclude(
                    case=case,
                    result=cd["result"],
                    concluded_on=cd["concluded_on"],
                    correction_note=cd.get("correction_note") or "",
                    actor=request.user,
                    today=localtime.local_today(),
                    re_reply_ordered=bool(cd.get("re_reply_ordered")),
                    decision_received_on=cd.get("decision_received_on"),
                    re_reply_until=cd.get("re_reply_until"),
                )
            except ReviewCaseError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            except DomainError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, "已登记审结结果。")
                return redirect("litigation:detail", pk=case.pk)
    return render(request, "litigation/conclude.html", {"case": case, "form": form})


# -- documents ------------------------------------------------------------------------------------


@login_required
@require_POST
def document_add(request, pk: int):
    case = selectors.case_for(request.user, pk)
    if not selectors.can_write(request.user, case.agency_id):
        return _refused(request, "您在该案件的机关没有登记权限，只能查看。", case=case)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            doc = services.review_document_add(
                case=case,
                doc_type=form.cleaned_data["doc_type"],
                name=upload.name,
                data=upload.read(),
                actor=request.user,
            )
        except ReviewCaseError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error("file", err.message)
        else:
            messages.success(request, f"已上传{doc.get_doc_type_display()}“{doc.original_name}”。")
            return redirect("litigation:detail", pk=case.pk)
    return render(request, "litigation/detail.html", _detail_context(request, case, document_form=form), status=400)


@login_required
@require_GET
def document_download(request, pk: int, document_pk: int):
    doc = selectors.document_for(request.user, pk, document_pk)
    return stored_file_response(
        doc.file, filename=doc.original_name, content_type=doc.content_type, missing="文书文件不存在"
    )

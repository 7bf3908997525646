"""Pages of the supervisor's desk under /work/supervision/: the agencies overseen, the annual-report
board of a year, one agency's year with the copies received and their audit, the work figures."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from gongkai import localtime
from gongkai.domain.errors import DomainError
from gongkai.domain.supervision import ARTICLE, report_due
from gongkai.spreadsheets import XLSX_CONTENT_TYPE
from gongkai.supervision import selectors, services
from gongkai.supervision.forms import (
    AnswerForm,
    CloseForm,
    ColumnForm,
    FetchForm,
    RectifyForm,
    ReturnForm,
    ReviewForm,
    UploadForm,
)

REFUSED = "政务公开监督仅向上级政务公开办（政务公开主管部门）开放。如需使用，请联系系统管理员为您的账号分配该角色。"


def _refusal(message: str) -> dict:
    """The shared refusal page's context: the message and the way back to the dashboard."""
    return {"message": message, "heading": "政务公开监督", "back": [(reverse("accounts:dashboard"), "返回工作台")]}


def supervisor_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.is_supervisor(request.user):
            return render(request, "refused.html", _refusal(REFUSED), status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _office(request):
    raw = request.GET.get("office") or request.POST.get("office")
    office_id = int(raw) if raw and raw.isdigit() else None
    return selectors.office_for(request.user, office_id)


def _no_office(request):
    return render(request, "refused.html", _refusal("您所在的政务公开主管部门尚未设置所辖机关。"), status=404)


@supervisor_required
@require_GET
def agencies(request):
    office = _office(request)
    if office is None:
        return _no_office(request)
    return render(
        request,
        "supervision/agencies.html",
        {
            "office": office,
            "offices": selectors.offices_of(request.user),
            "entries": selectors.oversight(office),
            "year": localtime.local_today().year - 1,
        },
    )


@supervisor_required
def column_edit(request, agency_id: int):
    agency = selectors.overseen_agency(request.user, agency_id)
    current = getattr(agency, "disclosure_column", None)
    form = ColumnForm(request.POST or None, initial={"url": current.url if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.column_set(user=request.user, agency=agency, url=form.cleaned_data["url"])
        except DomainError as err:
            form.add_error("url", err.message)
        else:
            messages.success(request, f"已保存{agency.name}的政府信息公开专栏网址。")
            return redirect("supervision:agencies")
    return render(request, "supervision/column_edit.html", {"agency": agency, "form": form})


@supervisor_required
@require_GET
def board_current(request):
    # the year whose reports are due next (or just were): last year's
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("supervision:board", args=[localtime.local_today().year - 1]) + query)


@supervisor_required
@require_GET
def board(request, year: int):
    office = _office(request)
    if office is None:
        return _no_office(request)
    today = localtime.local_today()
    services.filing_reap_stale()  # a fetch whose worker died ends here, while someone looks
    return render(
        request,
        "supervision/board.html",
        {
            "office": office,
            "offices": selectors.offices_of(request.user),
            "board": selectors.board(office, year, today=today),
            "years": list(range(today.year - 1, today.year - 6, -1)),
            "article": ARTICLE,
            "today": today,
        },
    )


@supervisor_required
@require_GET
def circular(request, year: int, kind: str):
    from gongkai.supervision.circular import circular_docx, circular_of, circular_pdf

    office = _office(request)
    if office is None:
        return _no_office(request)
    today = localtime.local_today()
    text = circular_of(selectors.board(office, year, today=today), office, dated=today)
    if kind == "pdf":
        body, ctype = circular_pdf(text), "application/pdf"
    else:
        body, ctype = circular_docx(text), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年度报告审查情况通报.{kind}")
    return response


def _agency_year_context(request, year: int, agency, **forms):
    return {
        "agency": agency,
        "year": year,
        "due": report_due(year),
        "filings": list(selectors.filings_of(agency, year)),
        "column": getattr(agency, "disclosure_column", None),
        "upload_form": forms.get("upload_form") or UploadForm(),
        "fetch_form": forms.get("fetch_form") or FetchForm(prefix="fetch"),
        "can_file": year < localtime.local_today().year,
    }


@supervisor_required
@require_GET
def agency_year(request, year: int, agency_id: int):
    agency = selectors.overseen_agency(request.user, agency_id)
    return render(request, "supervision/agency_year.html", _agency_year_context(request, year, agency))


@supervisor_required
@require_POST
def upload(request, year: int, agency_id: int):
    agency = selectors.overseen_agency(request.user, agency_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        today = localtime.local_today()
        try:
            filing = services.filing_upload(
                user=request.user,
                agency=agency,
                year=year,
                filename=f.name,
                data=f.read(),
                published_on=form.cleaned_data["published_on"] or today,
                today=today,
            )
        except DomainError as err:
            form.add_error("file", err.message)
        else:
            messages.success(request, "已收到报告，正在审计。")
            return redirect("supervision:filing", filing_id=filing.pk)
    context = _agency_year_context(request, year, agency, upload_form=form)
    return render(request, "supervision/agency_year.html", context, status=400)


@supervisor_required
@require_POST
def fetch(request, year: int, agency_id: int):
    agency = selectors.overseen_agency(request.user, agency_id)
    form = FetchForm(request.POST, prefix="fetch")
    if form.is_valid():
        try:
            filing = services.filing_fetch_request(
                user=request.user,
                agency=agency,
                year=year,
                url=form.cleaned_data["url"],
                published_on=form.cleaned_data["published_on"],
                today=localtime.local_today(),
            )
        except DomainError as err:
            form.add_error("url", err.message)
        else:
            messages.success(request, "已加入获取队列，获取后自动审计。")
            return redirect("supervision:filing", filing_id=filing.pk)
    context = _agency_year_context(request, year, agency, fetch_form=form)
    return render(request, "supervision/agency_year.html", context, status=400)


def _filing_context(request, f, rectify_form=None):
    report, summary, findings = selectors.audit_page(f)
    verdicts = selectors.verdicts_of(f)
    confirmed = selectors.confirmed_findings(f)
    today = localtime.local_today()
    due = today + timedelta(days=15)
    open_rectification = selectors.open_rectification(f.agency, f.year)
    return {
        "filing": f,
        "progress": selectors.progress_of(f),
        "audit": report,
        "groups": summary.get("groups", []),
        "total_findings": summary.get("count", 0),
        "findings": [(n, finding, verdicts.get(n)) for n, finding in enumerate(findings, start=1)],
        "confirmed": confirmed,
        "open_rectification": open_rectification,
        "rectifications": list(selectors.rectifications_of(f.agency, f.year)),
        "rectify_form": rectify_form
        or RectifyForm(initial={"notice": selectors.default_notice(f, confirmed, due), "due_on": due}),
    }


@supervisor_required
@require_GET
def filing(request, filing_id: int):
    f = selectors.filing_for(request.user, filing_id)
    return render(request, "supervision/filing.html", _filing_context(request, f))


@supervisor_required
@require_GET
def filing_progress(request, filing_id: int):
    f = selectors.filing_for(request.user, filing_id)
    services.filing_reap_stale()
    f.refresh_from_db(fields=["status", "audit"])
    p = selectors.progress_of(f)
    return JsonResponse(
        {"stage": p.stage, "percent": p.percent, "finished": p.stage, "complete": p.complete, "status": f.status}
    )


@supervisor_required
@require_GET
def filing_download(request, filing_id: int):
    f = selectors.filing_for(request.user, filing_id)
    data = selectors.filing_content(f)
    if not data:
        return render(request, "refused.html", _refusal("该记录没有保存的文件。"), status=404)
    # always a download, never shown inline: the copy is whatever the agency's site served
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, f.filename or "report")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@supervisor_required
@require_GET
def work(request):
    office = _office(request)
    if office is None:
        return _no_office(request)
    today = localtime.local_today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2008 <= int(raw) <= today.year else today.year
    return render(
        request,
        "supervision/work.html",
        {
            "office": office,
            "offices": selectors.offices_of(request.user),
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "rows": selectors.work_figures(office, year, today=today),
            "today": today,
        },
    )


# -- findings that go back ------------------------------------------------------------------------------


@supervisor_required
@require_POST
def finding_review(request, filing_id: int, number: int):
    f = selectors.filing_for(request.user, filing_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审阅意见并填写理由。")
    else:
        try:
            services.finding_review(
                user=request.user,
                filing=f,
                number=number,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, f"已记录对第{number}条发现的审阅意见。")
    return redirect(reverse("supervision:filing", args=[f.pk]) + f"#finding-{number}")


@supervisor_required
@require_POST
def rectify(request, filing_id: int):
    f = selectors.filing_for(request.user, filing_id)
    form = RectifyForm(request.POST)
    if form.is_valid():
        try:
            r = services.rectification_send(
                user=request.user,
                filing=f,
                notice=form.cleaned_data["notice"],
                due_on=form.cleaned_data["due_on"],
                channel=form.cleaned_data["channel"],
                today=localtime.local_today(),
            )
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "整改通知已发出。")
            return redirect("supervision:rectification", rectification_id=r.pk)
    return render(request, "supervision/filing.html", _filing_context(request, f, rectify_form=form), status=400)


def _rectification_page(request, rectification_id: int, *, status: int = 200, **forms):
    r, as_supervisor, as_agency = selectors.rectification_for(request.user, rectification_id)
    return render(
        request,
        "supervision/rectification.html",
        {
            "r": r,
            "as_supervisor": as_supervisor,
            "as_agency": as_agency,
            "steps": list(r.steps.all()),
            "original_audit": selectors.audit_counts(r.filing),
            "revised_audit": selectors.audit_counts(r.revised),
            "answer_form": forms.get("answer_form") or AnswerForm(),
            "close_form": forms.get("close_form") or CloseForm(),
            "return_form": forms.get("return_form")
            or ReturnForm(prefix="return", initial={"due_on": localtime.local_today() + timedelta(days=15)}),
        },
        status=status,
    )


@login_required
@require_GET
def rectification(request, rectification_id: int):
    return _rectification_page(request, rectification_id)


@login_required
@require_GET
def rectification_letter(request, rectification_id: int):
    from gongkai.supervision.letters import notice_docx

    r, as_supervisor, as_agency = selectors.rectification_for(request.user, rectification_id)
    body = notice_docx(
        r, office_name=r.agency.supervised_by.name if r.agency.supervised_by else "", dated=r.created_at.date()
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{r.agency.name}{r.year}年度报告整改通知.docx")
    return response


@login_required
@require_POST
def rectification_answer(request, rectification_id: int):
    r, _, as_agency = selectors.rectification_for(request.user, rectification_id)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.rectification_answer(
                user=request.user,
                rectification=r,
                answer=form.cleaned_data["answer"],
                filename=upload.name,
                data=upload.read(),
                today=localtime.local_today(),
            )
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已答复整改通知，修改后的报告正在审计。")
            return redirect("supervision:rectification", rectification_id=r.pk)
    return _rectification_page(request, rectification_id, status=400, answer_form=form)


@supervisor_required
@require_POST
def rectification_close(request, rectification_id: int):
    r, _, _ = selectors.rectification_for(request.user, rectification_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_close(user=request.user, rectification=r, comment=form.cleaned_data["comment"])
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "整改事项已办结。")
            return redirect("supervision:rectification", rectification_id=r.pk)
    return _rectification_page(request, rectification_id, status=400, close_form=form)


@supervisor_required
@require_POST
def rectification_return(request, rectification_id: int):
    r, _, _ = selectors.rectification_for(request.user, rectification_id)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.rectification_return(
                user=request.user,
                rectification=r,
                comment=form.cleaned_data["comment"],
                due_on=form.cleaned_data["due_on"],
                today=localtime.local_today(),
            )
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已退回机关继续整改。")
            return redirect("supervision:rectification", rectification_id=r.pk)
    return _rectification_page(request, rectification_id, status=400, return_form=form)


@login_required
@require_GET
def notices(request):
    """The office head's queue of the notices the supervising office sent in gongkai."""
    return render(request, "supervision/notices.html", {"notices": list(selectors.notices_for(request.user))})


# -- comparison ---------------------------------------------------------------------------------------

HISTORY_YEARS = 10


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@supervisor_required
@require_GET
def compare_current(request):
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("supervision:compare", args=[localtime.local_today().year - 1]) + query)


@supervisor_required
@require_GET
def compare(request, year: int):
    office = _office(request)
    if office is None:
        return _no_office(request)
    from gongkai.supervision.presentation import figure_cells

    sort = request.GET.get("sort", "")
    today = localtime.local_today()
    history_url = selectors.url_pattern("compare_agency")
    rows = [
        (r, history_url.format(r.agency.pk), figure_cells(r.figures, r.outliers))
        for r in selectors.comparison(office, year, sort=sort)
    ]
    return render(
        request,
        "supervision/compare.html",
        {
            "office": office,
            "offices": selectors.offices_of(request.user),
            "year": year,
            "years": list(range(today.year - 1, today.year - 6, -1)),
            "sort": sort,
            "rows": rows,
        },
    )


@supervisor_required
@require_GET
def compare_export(request, year: int):
    from gongkai.supervision.exports import comparison_workbook

    office = _office(request)
    if office is None:
        return _no_office(request)
    rows = selectors.comparison(office, year, sort=request.GET.get("sort", ""))
    return _xlsx(comparison_workbook(year=year, rows=rows), f"{year}年度各机关年度报告对比.xlsx")


def _history(agency):
    last = localtime.local_today().year - 1
    return selectors.agency_history(agency, list(range(last - HISTORY_YEARS + 1, last + 1)))


@supervisor_required
@require_GET
def compare_agency(request, agency_id: int):
    from gongkai.supervision.charts import history_charts

    agency = selectors.overseen_agency(request.user, agency_id)
    history = _history(agency)
    return render(
        request,
        "supervision/compare_agency.html",
        {"agency": agency, "history": history, "charts": history_charts(history)},
    )


@supervisor_required
@require_GET
def compare_agency_export(request, agency_id: int):
    from gongkai.supervision.exports import comparison_workbook

    agency = selectors.overseen_agency(request.user, agency_id)
    history = _history(agency)
    last = history[-1][0]
    rows = [selectors.ComparisonRow(agency, f, outs) for y, f, outs in history if y == last]
    body = comparison_workbook(year=last, rows=rows, history_of=(agency, history))
    return _xlsx(body, f"{agency.name}历年年度报告对比.xlsx")

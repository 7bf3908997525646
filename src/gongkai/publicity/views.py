"""Pages of the new-media and public-communication registers (/work/publicity/) and the public
column's 新闻发布 (/xxgk/xinwenfabu/). Thin: the services check and write, the selectors read.
"Today" comes from :func:`gongkai.localtime.local_today`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import localtime
from gongkai.accounts.selectors import site_agency
from gongkai.disclosure.selectors_public import public_context
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.domain.publicity import media
from gongkai.publicity import selectors, services
from gongkai.publicity.forms import AccountForm, BriefingForm, ConcernForm, CorrectForm, MonthForm, UploadForm
from gongkai.publicity.models import MediaAccount

LAYOUT = "publicity/base.html"


def _refused(request, message: str, *, status: int = 403, back=None):
    back = (back or []) + [(reverse("publicity:index"), "返回新媒体与新闻发布")]
    context = {"message": message, "heading": "无法操作", "back": back, "layout": LAYOUT}
    return render(request, "refused.html", context, status=status)


def _year(request, today) -> int:
    param = request.GET.get("year", "")
    return int(param) if param.isdigit() and len(param) == 4 else today.year


def _form_error(form, err: DomainError) -> None:
    if isinstance(err, FieldError) and err.field in form.fields:
        form.add_error(err.field, err.message)
    else:
        form.add_error(None, err.message)


def _agency_or_refuse(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    if agency is None:
        return None, _refused(request, "您没有可查看的机关：新媒体与新闻发布只对机关的工作人员和上级政务公开办开放。")
    return agency, None


def _writing_agency(request):
    """The agency the user writes for (the one chosen, else their first), or None."""
    agencies = selectors.writing_agencies(request.user)
    code = request.GET.get("agency")
    if code:
        return agencies.filter(code=code).first()
    return agencies.first()


# -- the overview ----------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    agency, refused = _agency_or_refuse(request)
    if refused:
        return refused
    today = localtime.local_today()
    year = _year(request, today)
    details = selectors.reads_details(request.user, agency)
    return render(
        request,
        "publicity/index.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "year": year,
            "years": selectors.year_choices(agency, today),
            "accounts": selectors.accounts(agency),
            "rows": selectors.month_rows(agency, year=year),
            "briefings": selectors.briefings(agency, year=year)[:10],
            "concern_counts": selectors.concern_counts(agency, year=year),
            "figures": selectors.report_figures(agency=agency, year=year),
            "can_write": selectors.can_write(request.user, agency),
            "reads_details": details,
        },
    )


# -- accounts and months --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    agency = _writing_agency(request)
    if agency is None:
        return _refused(request, "只有机关的经办人和办公室主任可以登记政务新媒体账号。")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_save(agency=agency, actor=request.user, **form.cleaned_data)
        except DomainError as err:
            _form_error(form, err)
        else:
            messages.success(request, f"已登记{account}。")
            return redirect("publicity:account", pk=account.pk)
    return render(request, "publicity/account_form.html", {"form": form, "agency": agency, "account": None})


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    account = selectors.account_for(request.user, pk)
    can_write = selectors.can_write(request.user, account.agency)
    initial = {"platform": account.platform, "name": account.name, "url": account.url, "active": account.active}
    form = AccountForm(request.POST or None, initial=initial) if can_write else None
    if request.method == "POST":
        if not can_write:
            return _refused(request, "只有本机关的经办人和办公室主任可以修改账号。")
        if form.is_valid():
            try:
                services.account_save(agency=account.agency, actor=request.user, account=account, **form.cleaned_data)
            except DomainError as err:
                _form_error(form, err)
            else:
                messages.success(request, "已保存。")
                return redirect("publicity:account", pk=account.pk)
    return render(
        request,
        "publicity/account.html",
        {"account": account, "months": selectors.account_history(account), "form": form, "can_write": can_write},
    )


@login_required
@require_http_methods(["GET", "POST"])
def month_create(request):
    agency = _writing_agency(request)
    if agency is None:
        return _refused(request, "只有机关的经办人和办公室主任可以登记月度数据。")
    accounts = MediaAccount.objects.filter(agency=agency).order_by("-active", "platform", "name")
    if not accounts.exists():
        return _refused(
            request,
            "请先登记本机关的政务新媒体账号。",
            status=409,
            back=[(reverse("publicity:account_create"), "登记账号")],
        )
    initial = {"account": request.GET.get("account") or None}
    form = MonthForm(request.POST or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.figures_record(
                account=cd["account"],
                actor=request.user,
                month=cd["month"],
                posts=cd["posts"],
                followers=cd["followers"],
                reads=cd["reads"],
                today=localtime.local_today(),
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            messages.success(request, f"已登记“{cd['account'].name}”{media.month_label(cd['month'])}的数据。")
            return redirect("publicity:account", pk=cd["account"].pk)
    return render(request, "publicity/month_form.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def month_correct(request, pk: int):
    figures = selectors.figures_for(request.user, pk)
    if not selectors.can_write(request.user, figures.account.agency_id):
        return _refused(request, "只有本机关的经办人和办公室主任可以更正月度数据。")
    initial = {"posts": figures.posts, "followers": figures.followers, "reads": figures.reads}
    form = CorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.figures_correct(figures=figures, actor=request.user, **form.cleaned_data)
        except DomainError as err:
            _form_error(form, err)
        else:
            messages.success(request, "已更正，原数据保留在修改记录中。")
            return redirect("publicity:account", pk=figures.account_id)
    history = list(figures.history.select_related("history_user").order_by("-history_date"))
    return render(request, "publicity/month_correct.html", {"figures": figures, "form": form, "history": history})


# -- the import -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    agencies = selectors.writing_agencies(request.user)
    if not agencies.exists():
        return _refused(request, "只有经办人和办公室主任可以导入月度数据。")
    form = UploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            batch = services.batch_upload(
                agency=form.cleaned_data["agency"], actor=request.user, filename=f.name, content=f.read()
            )
        except DomainError as err:
            form.add_error("file", err.message)
        else:
            return redirect("publicity:preview", pk=batch.pk)
    return render(request, "publicity/import.html", {"form": form, "batches": selectors.recent_batches(request.user)})


@login_required
@require_GET
def import_preview(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    try:
        preview = services.batch_preview(batch, today=localtime.local_today())
    except DomainError as err:
        return _refused(request, err.message, status=400)
    return render(request, "publicity/preview.html", {"batch": batch, "preview": preview})


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    try:
        batch = services.batch_confirm(batch=batch, actor=request.user, today=localtime.local_today())
    except DomainError as err:
        return _refused(request, err.message, status=409)
    dup = f"，已登记的{len(batch.duplicates)}行未导入（{'、'.join(batch.duplicates)}）" if batch.duplicates else ""
    bad = f"，{batch.rejected}行有错误未导入" if batch.rejected else ""
    messages.success(request, f"已导入{batch.imported}行月度数据{dup}{bad}。")
    return redirect(f"{reverse('publicity:index')}?agency={batch.agency.code}")


# -- statistics -----------------------------------------------------------------------------------------


@login_required
@require_GET
def statistics(request):
    agency, refused = _agency_or_refuse(request)
    if refused:
        return refused
    today = localtime.local_today()
    year = _year(request, today)
    platforms, chart = selectors.month_statistics(agency, year=year)
    return render(
        request,
        "publicity/statistics.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "year": year,
            "years": selectors.year_choices(agency, today),
            "platforms": platforms,
            "chart": chart,
            "months": [f"{m}月" for m in range(1, 13)],
            "figures": selectors.report_figures(agency=agency, year=year),
        },
    )


# -- 回应关切 ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def concern_list(request):
    agency, refused = _agency_or_refuse(request)
    if refused:
        return refused
    today = localtime.local_today()
    year = _year(request, today)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in media.CONCERN_LABELS else ""
    details = selectors.reads_details(request.user, agency)
    page = Paginator(selectors.concerns(agency, year=year, kind=kind), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publicity/concerns.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "year": year,
            "years": selectors.year_choices(agency, today),
            "kind": kind,
            "kinds": media.CONCERN_LABELS,
            "page": page if details else None,
            "counts": selectors.concern_counts(agency, year=year),
            "reads_details": details,
            "can_write": selectors.can_write(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_create(request):
    agency = _writing_agency(request)
    if agency is None:
        return _refused(request, "只有机关的经办人和办公室主任可以登记回应关切。")
    form = ConcernForm(request.POST or None, initial={"kind": media.ConcernKind.CONCERN.value})
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_save(
                agency=agency, actor=request.user, today=localtime.local_today(), **form.cleaned_data
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            messages.success(request, "已登记。")
            return redirect("publicity:concern", pk=concern.pk)
    return render(request, "publicity/concern_form.html", {"form": form, "concern": None, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def concern_detail(request, pk: int):
    concern = selectors.concern_for(request.user, pk)
    can_write = selectors.can_write(request.user, concern.agency_id)
    form = None
    if can_write:
        initial = {
            f: getattr(concern, f)
            for f in ("kind", "occurred_on", "subject", "source", "actions", "answered_on", "channel")
        }
        form = ConcernForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_write:
            return _refused(request, "只有本机关的经办人和办公室主任可以修改。")
        if form.is_valid():
            try:
                services.concern_save(
                    agency=concern.agency,
                    actor=request.user,
                    today=localtime.local_today(),
                    concern=concern,
                    **form.cleaned_data,
                )
            except DomainError as err:
                _form_error(form, err)
            else:
                messages.success(request, "已保存。")
                return redirect("publicity:concern", pk=concern.pk)
    return render(request, "publicity/concern.html", {"concern": concern, "form": form})


# -- press conferences ----------------------------------------------------------------------------------


@login_required
@require_GET
def briefing_list(request):
    agency, refused = _agency_or_refuse(request)
    if refused:
        return refused
    today = localtime.local_today()
    year_param = request.GET.get("year", "")
    year = None if year_param == "all" else _year(request, today)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in media.BRIEFING_LABELS else ""
    page = Paginator(selectors.briefings(agency, year=year, kind=kind), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publicity/briefings.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "year": year,
            "years": selectors.year_choices(agency, today),
            "kind": kind,
            "kinds": media.BRIEFING_LABELS,
            "page": page,
            "can_write": selectors.can_write(request.user, agency),
        },
    )


def _briefing_form(request, agency, briefing=None):
    keep = list(briefing.documents.values_list("pk", flat=True)) if briefing else []
    docs = selectors.document_choices(agency, keep=keep)
    initial = {"kind": media.BriefingKind.PRESS_CONFERENCE.value, "public": True}
    if briefing is not None:
        initial = {
            "kind": briefing.kind,
            "held_on": briefing.held_on,
            "topic": briefing.topic,
            "place": briefing.place,
            "summary": briefing.summary,
            "public": briefing.public,
            "documents": keep,
        }
        for i, s in enumerate(briefing.speakers.all(), start=1):
            initial[f"speaker_{i}_name"], initial[f"speaker_{i}_post"] = s.name, s.post
    form = BriefingForm(request.POST or None, documents=docs, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            saved = services.briefing_save(
                agency=agency,
                actor=request.user,
                today=localtime.local_today(),
                kind=cd["kind"],
                held_on=cd["held_on"],
                topic=cd["topic"],
                place=cd["place"],
                summary=cd["summary"],
                public=cd["public"],
                speakers=form.speakers(),
                documents=cd["documents"],
                briefing=briefing,
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            messages.success(request, f"已保存{saved.get_kind_display()}“{saved.topic}”。")
            return redirect("publicity:briefing", pk=saved.pk)
    return render(request, "publicity/briefing_form.html", {"form": form, "briefing": briefing, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def briefing_create(request):
    agency = _writing_agency(request)
    if agency is None:
        return _refused(request, "只有机关的经办人和办公室主任可以登记新闻发布会。")
    return _briefing_form(request, agency)


@login_required
@require_http_methods(["GET", "POST"])
def briefing_edit(request, pk: int):
    briefing = selectors.briefing_for(request.user, pk)
    if not selectors.can_write(request.user, briefing.agency_id):
        return _refused(request, "只有本机关的经办人和办公室主任可以修改。")
    return _briefing_form(request, briefing.agency, briefing)


@login_required
@require_GET
def briefing_detail(request, pk: int):
    briefing = selectors.briefing_for(request.user, pk)
    return render(
        request,
        "publicity/briefing.html",
        {
            "briefing": briefing,
            "documents": selectors.briefing_documents(briefing),
            "can_write": selectors.can_write(request.user, briefing.agency_id),
            # the register's pages open to the agency's own staff only (disclosure.selectors_staff)
            "staff_links": selectors.reads_details(request.user, briefing.agency_id),
        },
    )


# -- the public column: 新闻发布 ---------------------------------------------------------------------------


@require_GET
def public_list(request):
    page = Paginator(selectors.public_briefings(), 20).get_page(request.GET.get("page"))
    context = public_context(site_agency(), "xinwenfabu", page=page, kinds=media.BRIEFING_LABELS)
    return render(request, "publicity/public/list.html", context)


@require_GET
def public_detail(request, pk: int):
    briefing = selectors.public_briefing(pk)
    context = public_context(
        site_agency(), "xinwenfabu", briefing=briefing, documents=selectors.public_documents_of(briefing)
    )
    return render(request, "publicity/public/detail.html", context)

"""Pages of the audit: upload, batch list and progress, one report with its findings in place."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Role
from gongkai.accounts.selectors import roles_of
from gongkai.audits import selectors, services
from gongkai.audits.exports import batch_json, batch_workbook
from gongkai.audits.forms import UploadForm
from gongkai.audits.presentation import (
    FINDINGS_PER_PAGE,
    FindingGroup,
    Segment,
    highlight,
    highlighted_html,
    old_stats_view,
    table2_view,
    table3_view,
    table4_view,
)
from gongkai.audits.uploads import expand_uploads
from gongkai.spreadsheets import XLSX_CONTENT_TYPE


def supervisor_required(view):
    """The audit is the supervising office's tool (上级政务公开办): a login without that role gets a
    403 page saying so. Superusers may audit too (the administrator sets the system up)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or Role.SUPERVISOR in roles_of(request.user)):
            return render(
                request,
                "refused.html",
                {
                    "heading": "无权使用年报审计",
                    "message": "年报审计仅向上级政务公开办（政务公开主管部门）开放。如需使用，请联系系统管理员为您的账号分配该角色。",
                    "back": [(reverse("accounts:dashboard"), "返回工作台")],
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


@supervisor_required
def batch_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        expanded = expand_uploads(uploads)
        for reason in expanded.refused:
            messages.warning(request, reason)
        if expanded.files:
            title = form.cleaned_data["title"] or uploads[0][0]
            batch = services.audit_batch_create(user=request.user, title=title, expanded=expanded)
            messages.success(request, f"已接收{len(expanded.files)}份报告，正在审计。")
            return redirect("audits:batch", batch_id=batch.pk)
        form.add_error("files", "没有可审计的文件。")
    return render(
        request, "audits/batch_list.html", {"form": form, "batches": selectors.batches_for(request.user)[:50]}
    )


@supervisor_required
def batch_detail(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    return render(
        request,
        "audits/batch_detail.html",
        {"batch": batch, "progress": selectors.progress_of(batch), "reports": selectors.reports_of(batch)},
    )


@supervisor_required
@require_GET
def batch_progress(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    services.audit_reap_stale(batch=batch)  # a report whose worker died ends here, while someone watches
    p = selectors.progress_of(batch)
    return JsonResponse({"total": p.total, "finished": p.finished, "percent": p.percent, "complete": p.complete})


@supervisor_required
def batch_export_json(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    body = json.dumps(batch_json(batch), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{batch.pk}.json"'
    return response


@supervisor_required
def batch_export_xlsx(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    response = HttpResponse(batch_workbook(batch), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{batch.pk}.xlsx"'
    return response


@supervisor_required
def report_detail(request, report_id: int):
    report = selectors.report_page_for(request.user, report_id)
    summary = selectors.report_page_data(report)
    tables, version, flagged = summary.get("tables") or {}, summary.get("format"), summary.get("flagged") or {}
    # the list is paged (errors first, as stored) and read a page at a time; the text marks the
    # findings of this page
    page = Paginator(range(summary.get("count", 0)), FINDINGS_PER_PAGE).get_page(request.GET.get("page"))
    findings = selectors.findings_page(report, page.number) if summary.get("count") else []
    numbered = list(zip(page.object_list, findings))
    # highlight() indexes into a list: the page's findings sit at their own numbers
    offset = page.object_list.start if summary.get("count") else 0
    segments = highlight(report.original, findings) if report.original else []
    if offset:
        segments = [Segment(s.text, tuple(i + offset for i in s.findings), s.severity) for s in segments]
    return render(
        request,
        "audits/report_detail.html",
        {
            "report": report,
            "findings": numbered,
            "total_findings": summary.get("count", 0),
            "page": page,
            "groups": [FindingGroup(*g) for g in summary.get("groups", [])],
            "original_html": highlighted_html(segments) if report.original else "",
            "table2": table2_view(version, tables, flagged, summary.get("markers")),
            "table3": table3_view(version, tables, flagged, summary.get("markers")),
            "table4": table4_view(version, tables, flagged, summary.get("markers")),
            "old_stats": old_stats_view(summary.get("old_stats")),
        },
    )

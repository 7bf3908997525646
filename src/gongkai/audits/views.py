"""Pages of the audit: upload, batch list and progress, one report with its findings in place."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from gongkai.audits import selectors, services
from gongkai.audits.exports import batch_json, batch_workbook
from gongkai.audits.forms import UploadForm
from gongkai.audits.presentation import highlight, table2_view, table3_view, table4_view
from gongkai.audits.uploads import expand_uploads


@login_required
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
    return render(request, "audits/batch_list.html", {"form": form, "batches": selectors.batches_for(request.user)[:50]})


@login_required
def batch_detail(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    return render(
        request,
        "audits/batch_detail.html",
        {"batch": batch, "progress": selectors.progress_of(batch), "reports": selectors.reports_of(batch)},
    )


@login_required
@require_GET
def batch_progress(request, batch_id: int):
    p = selectors.progress_of(selectors.batch_for(request.user, batch_id))
    return JsonResponse({"total": p.total, "finished": p.finished, "percent": p.percent, "complete": p.complete})


@login_required
def batch_export_json(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    body = json.dumps(batch_json(batch), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{batch.pk}.json"'
    return response


@login_required
def batch_export_xlsx(request, batch_id: int):
    batch = selectors.batch_for(request.user, batch_id)
    response = HttpResponse(
        batch_workbook(batch), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{batch.pk}.xlsx"'
    return response


@login_required
def report_detail(request, report_id: int):
    report = selectors.report_for(request.user, report_id)
    result = report.result or {}
    findings = result.get("findings", [])
    tables = result.get("tables", {})
    version = result.get("format")
    return render(
        request,
        "audits/report_detail.html",
        {
            "report": report,
            "findings": list(enumerate(findings)),
            "segments": highlight(report.original, findings) if report.original else [],
            "table2": table2_view(version, tables, findings),
            "table3": table3_view(version, tables, findings),
            "table4": table4_view(version, tables, findings),
            "old_stats": result.get("old_stats"),
        },
    )

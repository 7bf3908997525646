"""The public 年报 section of the 政府信息公开 column (no login): the published reports by year, each
report's page and its Word and PDF files. Only a published version is ever shown; any other year
is "not found"."""

from __future__ import annotations

import io

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts.selectors import site_agency
from gongkai.annualreports import selectors
from gongkai.annualreports.files import DOCX, file_name


def _context(agency, **extra):
    from gongkai.disclosure.selectors_public import public_context

    return public_context(agency, "nianbao", **extra)


_ORIGINAL_TYPES = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
}


@require_GET
def public_index(request):
    agency = site_agency()
    # the reports made in gongkai and the earlier ones entered or imported and published by the office
    reports = selectors.public_entries(agency) if agency is not None else []
    return render(request, "annualreports/public/index.html", _context(agency, reports=reports))


def _published_previous(year: int):
    agency = site_agency()
    record = selectors.public_previous_reports(agency).filter(year=year).first() if agency is not None else None
    if record is None:
        raise Http404("该年度报告尚未公开")
    return record


def _published(year: int):
    agency = site_agency()
    report = selectors.public_report(agency, year) if agency is not None else None
    if report is None:
        raise Http404("该年度报告尚未公开")
    return report


@require_GET
def public_report(request, year: int):
    from gongkai.annualreports.render import html_fragment

    try:
        report = _published(year)
    except Http404:
        record = _published_previous(year)
        content = selectors.previous_content(record)
        return render(
            request,
            "annualreports/public/previous.html",
            _context(
                record.agency,
                record=record,
                body=html_fragment(content) if content else "",
            ),
        )
    content = selectors.public_content(report)
    return render(
        request,
        "annualreports/public/report.html",
        _context(
            report.agency,
            report=report,
            content=content,
            body=html_fragment(content),
            others=[r.year for r in selectors.public_reports(report.agency) if r.year != year],
        ),
    )


@require_GET
def public_download(request, year: int, kind: str):
    from gongkai.annualreports import render as outputs

    if kind == "original":  # an earlier report imported from its file: the file as published then
        record = _published_previous(year)
        if not record.data:
            raise Http404("没有原文件")
        suffix = record.original_name.rsplit(".", 1)[-1].lower() if "." in record.original_name else ""
        ctype = _ORIGINAL_TYPES.get(suffix, "application/octet-stream")
        response = FileResponse(
            io.BytesIO(bytes(record.data)),
            as_attachment=True,
            filename=f"{record.agency.name}{record.year}年政府信息公开工作年度报告.{suffix or 'bin'}",
            content_type=ctype,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    report = _published(year)
    content = selectors.public_content(report)
    if kind == "docx":
        data, ctype = outputs.docx_bytes(content), DOCX
    elif kind == "pdf":
        data, ctype = outputs.pdf_bytes(content), "application/pdf"
    else:
        raise Http404("没有这种格式")
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=file_name(content, kind), content_type=ctype)

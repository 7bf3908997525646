"""The office head's letter-templates page (/work/applications/letter-templates/): per letter kind,
upload the agency's own .docx, download the template in use, preview it for a sample case, reset
it to the shipped one. Reads and writes go through :mod:`.custom_templates`."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from gongkai.accounts import selectors as accounts
from gongkai.applications import custom_templates
from gongkai.applications.letters import LetterKind
from gongkai.domain.fields import FieldError


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="选择模板文件（.docx）",
        error_messages={
            "required": "请选择要上传的模板文件",
            "empty": "上传的文件是空的",
            "invalid": "没有收到文件，请重新选择后上传",
        },
    )


def _office_agency(request):
    agency = accounts.primary_agency(request.user)
    if agency is None or "office_head" not in accounts.roles_in(request.user, agency):
        raise PermissionDenied("只有办公室主任可以更换本机关的文书模板")
    return agency


def _kind(value: str) -> LetterKind:
    try:
        return LetterKind(value)
    except ValueError:
        raise Http404("没有这种文书") from None


def _page(request, agency, *, failed_kind=None, failed_form=None, status=200):
    rows = []
    for kind, uploaded in custom_templates.templates_of(agency):
        form = failed_form if kind is failed_kind else TemplateUploadForm(prefix=kind.value)
        rows.append({"kind": kind, "uploaded": uploaded, "form": form})
    return render(
        request,
        "applications/staff/letter_templates.html",
        {
            "agency": agency,
            "rows": rows,
            "variables": custom_templates.VARIABLES_HELP,
            "max_mb": custom_templates.MAX_BYTES // 1024 // 1024,
        },
        status=status,
    )


@login_required
@require_safe
def letter_templates(request):
    return _page(request, _office_agency(request))


@login_required
@require_POST
def letter_template_upload(request, kind):
    agency, kind = _office_agency(request), _kind(kind)
    form = TemplateUploadForm(request.POST, request.FILES, prefix=kind.value)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            custom_templates.save_template(
                agency=agency, kind=kind, name=upload.name, data=upload.read(), user=request.user
            )
        except FieldError as err:
            form.add_error("file", err.message)
        else:
            messages.success(
                request, f"已更换“{kind.label}”的模板，今后生成的该类文书使用本机关的模板。可点击“预览”查看效果。"
            )
            return redirect(f"{reverse('applications:letter_templates')}#template-{kind.value}")
    return _page(request, agency, failed_kind=kind, failed_form=form, status=400)


@login_required
def letter_template_reset(request, kind):
    """GET: the confirmation; POST: delete the agency's upload (the shipped template applies again)."""
    agency, kind = _office_agency(request), _kind(kind)
    if request.method == "POST":
        if custom_templates.reset_template(agency=agency, kind=kind):
            messages.success(request, f"“{kind.label}”已恢复为系统内置模板。")
        return redirect("applications:letter_templates")
    if request.method not in ("GET", "HEAD"):
        return redirect("applications:letter_templates")
    uploaded = dict(custom_templates.templates_of(agency))[kind]
    return render(
        request, "applications/staff/letter_template_reset.html", {"agency": agency, "kind": kind, "uploaded": uploaded}
    )


@login_required
@require_safe
def letter_template_preview(request, kind):
    agency, kind = _office_agency(request), _kind(kind)
    preview = custom_templates.preview(agency=agency, kind=kind)
    return FileResponse(
        io.BytesIO(preview.data),
        as_attachment=True,
        filename=f"预览-{kind.label}.docx",
        content_type=custom_templates.DOCX_TYPE,
    )


@login_required
@require_safe
def letter_template_download(request, kind):
    agency, kind = _office_agency(request), _kind(kind)
    data = custom_templates.template_bytes(agency=agency, kind=kind)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"模板-{kind.value}.docx",
        content_type=custom_templates.DOCX_TYPE,
    )

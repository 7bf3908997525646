"""The registration form with the intake (issue 16 §5): where the application came from (直接提交 or
转来, with the forwarding body's number, the day it reached this office and the original papers),
how the applicant's identity was checked, and an agent (委托代理人) with the power of attorney.

The form only turns text into values; the rules (a forwarded application's number and date, the
agent's details, the receipt date of 第三十一条) are the domain's (``domain.applications.intake``),
whose FieldError names the field they belong next to.
"""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.applications.checks import CONTENT_TYPES, attachment_problem, clean_name, content_problem
from gongkai.applications.forms_staff import RegistrationForm
from gongkai.applications.models import IntakeFile
from gongkai.domain.applications.intake import IDENTITY_CHECK_LABELS, ORIGIN_LABELS, Origin

INTAKE_FIELDS = (
    "origin",
    "origin_reference",
    "reached_on",
    "original_submitted_on",
    "identity_check",
    "agent_name",
    "agent_id_number",
    "agent_phone",
)
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _messages(label: str, kind: str = "") -> dict[str, str]:
    if kind == "date":
        return {"required": f"请填写“{label}”", "invalid": f"“{label}”应为日期，格式如2025-09-01"}
    if kind == "choice":
        return {"required": f"请选择“{label}”", "invalid_choice": f"“{label}”的选项无效，请重新选择"}
    return {"required": f"请填写“{label}”"}


_PAPER_FIELDS = {"original_papers": IntakeFile.Kind.ORIGINAL, "power_of_attorney": IntakeFile.Kind.POWER_OF_ATTORNEY}


def _checked_file(f) -> Any:
    if not f:
        return None
    name = clean_name(f.name)
    problem = attachment_problem(name, f.size)
    if problem is None:
        data = f.read()
        f.seek(0)
        problem = content_problem(name, data)
    if problem:
        raise forms.ValidationError(problem)
    return f


class IntakeRegistrationForm(RegistrationForm):
    """The clerk's registration with the intake. ``fixed_origin``: the origin is the caller's (a work
    order converted by ``workorders``), so the origin and its number are not asked (nor, for a
    direct one, the forwarding dates and papers)."""

    origin = forms.ChoiceField(
        label="申请来源",
        choices=[(o.value, ORIGIN_LABELS[o]) for o in Origin],
        initial=Origin.DIRECT.value,
        required=False,  # not chosen: 直接提交
        error_messages=_messages("申请来源", "choice"),
        help_text="直接提交：申请人网上、窗口或邮寄提交；其他为转来的申请",
    )
    origin_reference = forms.CharField(
        label="转办编号", max_length=100, required=False, help_text="转来的申请填写转办单、12345工单或信访件的编号"
    )
    reached_on = forms.DateField(
        label="到达本机关日期",
        required=False,
        widget=_DATE_WIDGET,
        help_text="转来的申请到达本机关之日：纸质材料当面转交或邮寄签收的，即为收到申请之日（第三十一条）",
        error_messages=_messages("到达本机关日期", "date"),
    )
    original_submitted_on = forms.DateField(
        label="申请人向转办机关提出日期",
        required=False,
        widget=_DATE_WIDGET,
        help_text="选填；仅作记录，不作为本机关收到申请之日",
        error_messages=_messages("申请人向转办机关提出日期", "date"),
    )
    original_papers = forms.FileField(
        label="转来的原件材料（转办单、工单或申请原件的扫描件）",
        required=False,
        help_text="PDF、图片、Word或文本文件，不超过10MB",
    )
    identity_check = forms.ChoiceField(
        label="身份核验方式",
        choices=[("", "——请选择——"), *((k.value, v) for k, v in IDENTITY_CHECK_LABELS.items())],
        required=False,
        error_messages=_messages("身份核验方式", "choice"),
    )
    agent_name = forms.CharField(
        label="委托代理人姓名", max_length=100, required=False, help_text="由代理人代为申请的填写"
    )
    agent_id_number = forms.CharField(label="委托代理人身份证明号码", max_length=40, required=False)
    agent_phone = forms.CharField(label="委托代理人联系电话", max_length=40, required=False)
    power_of_attorney = forms.FileField(label="授权委托书", required=False, help_text="委托代理人申请的须上传")

    def __init__(self, *args, fixed_origin: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_origin = fixed_origin
        if fixed_origin:
            del self.fields["origin"]
            del self.fields["origin_reference"]
        if fixed_origin == Origin.DIRECT:
            for name in ("reached_on", "original_submitted_on", "original_papers"):
                del self.fields[name]

    def clean_original_papers(self):
        return _checked_file(self.cleaned_data.get("original_papers"))

    def clean_power_of_attorney(self):
        return _checked_file(self.cleaned_data.get("power_of_attorney"))

    def intake(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in INTAKE_FIELDS if k in self.fields}

    def intake_papers(self) -> list[tuple[str, str, str, bytes]]:
        out = []
        for name, kind in _PAPER_FIELDS.items():
            f = self.cleaned_data.get(name) if name in self.fields else None
            if f:
                clean = clean_name(f.name)
                out.append((kind.value, clean, CONTENT_TYPES[clean.rsplit(".", 1)[-1].lower()], f.read()))
        return out

    @property
    def intake_field_names(self) -> list[str]:
        return [n for n in (*INTAKE_FIELDS, *_PAPER_FIELDS) if n in self.fields]

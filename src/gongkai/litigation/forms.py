"""Forms of the register's pages. They turn text into values; the rules (what is required for which
kind, dates, links) are the service's, whose errors name the field they belong next to."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from gongkai.domain.annual_report.litigation import KIND_LABELS, RESULT_LABELS, STAGE_LABELS
from gongkai.domain.disclosure.attachments import MAX_ATTACHMENT_BYTES, clean_name
from gongkai.domain.errors import DomainError
from gongkai.litigation import selectors
from gongkai.litigation.models import PENDING, DocumentType, ReviewCase
from gongkai.litigation.services import DOCUMENT_TYPES_LABEL

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIRM_LABEL = "我已核对结果和审结日期"
CONFIRM_REQUIRED = "请核对结果和审结日期，勾选“我已核对结果和审结日期”后再提交"
# a service error about the linked application belongs next to the field where its number is typed
FORM_FIELD_OF = {"application": "application_number"}


def _messages(label: str, kind: str = "") -> dict[str, str]:
    messages = {"required": f"请填写“{label}”"}
    if kind == "date":
        messages["invalid"] = f"“{label}”应为日期，格式如2026-03-01"
    elif kind == "choice":
        messages["invalid_choice"] = f"“{label}”的选项无效，请重新选择"
        messages["required"] = f"请选择“{label}”"
    return messages


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "——请选择——"), *labels.items()]


class _PriorReviewField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReviewCase) -> str:
        number = f"{obj.case_number}，" if obj.case_number else ""
        return f"{number}{obj.applicant_name}，{obj.filed_on:%Y-%m-%d}申请，{obj.get_result_display()}"


class ReviewCaseForm(forms.Form):
    """Registering a case (``agencies`` given) or editing one (``case`` given)."""

    agency = forms.ModelChoiceField(queryset=None, label="被申请人或被告机关", empty_label=None, required=False)
    kind = forms.ChoiceField(
        label="类别", choices=_choices(KIND_LABELS), required=False, error_messages=_messages("类别", "choice")
    )
    stage = forms.ChoiceField(
        label="起诉情形",
        choices=_choices(STAGE_LABELS),
        required=False,
        help_text="仅行政诉讼填写",
        error_messages=_messages("起诉情形", "choice"),
    )
    prior_review = _PriorReviewField(
        queryset=ReviewCase.objects.none(),
        label="此前的行政复议",
        required=False,
        empty_label="——未登记或不关联——",
        help_text="复议后起诉的，可选择本机关已登记的行政复议案件",
        error_messages={"invalid_choice": "所选的行政复议案件不存在，请重新选择"},
    )
    case_number = forms.CharField(
        label="案号或复议决定书文号",
        max_length=100,
        required=False,
        help_text="如（2026）京0105行初123号；尚未编号的可留空",
    )
    body = forms.CharField(label="复议机关或受理法院", max_length=200, required=False)
    filed_on = forms.DateField(
        label="申请复议或立案日期",
        required=False,
        widget=_DATE_WIDGET,
        error_messages=_messages("申请复议或立案日期", "date"),
    )
    application_number = forms.CharField(
        label="所涉申请编号",
        max_length=40,
        required=False,
        help_text="引起复议或诉讼的政府信息公开申请，如YSQ-2026-000123；没有的留空",
    )
    applicant_name = forms.CharField(
        label="申请人或原告", max_length=200, required=False, help_text="留空则取所涉申请的申请人"
    )
    copy_received_on = forms.DateField(
        label="收到申请书副本或起诉状副本日期",
        required=False,
        widget=_DATE_WIDGET,
        help_text="书面答复（复议，10日）或答辩状（诉讼，15日）的期限自此日起按日计算",
        error_messages=_messages("收到副本日期", "date"),
    )
    answered_on = forms.DateField(
        label="提交书面答复或答辩状日期",
        required=False,
        widget=_DATE_WIDGET,
        error_messages=_messages("提交日期", "date"),
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    # registering only: a fresh one per form shown, posted back unchanged, so a second POST is recognised
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, agencies=None, case: ReviewCase | None = None, initial: dict | None = None):
        if case is not None:
            initial = {
                "kind": case.kind,
                "stage": case.stage,
                "prior_review": case.prior_review_id,
                "case_number": case.case_number,
                "body": case.body,
                "filed_on": case.filed_on,
                "application_number": case.application.tracking_number if case.application_id else "",
                "applicant_name": case.applicant_name,
                "notes": case.notes,
                "copy_received_on": case.copy_received_on,
                "answered_on": case.answered_on,
            }
        super().__init__(data, initial=initial)
        self.case = case
        if case is not None:
            del self.fields["agency"]
            del self.fields["submission_token"]
            self.fields["prior_review"].queryset = selectors.prior_review_choices(case.agency, exclude_pk=case.pk)
        else:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].error_messages["invalid_choice"] = "所选机关无效，请重新选择"
            self.fields["submission_token"].initial = str(uuid.uuid4())
            if len(agencies) == 1:
                self.fields["agency"].initial = agencies[0]
                self.fields["agency"].widget = forms.HiddenInput()
                self.fields["agency"].disabled = True  # the one agency the user writes in, whatever is posted
            self.fields["prior_review"].queryset = ReviewCase.objects.filter(
                agency__in=agencies, kind="review"
            ).order_by("-filed_on", "-id")
        for name in ("case_number", "body", "application_number", "applicant_name", "notes"):
            label = str(self.fields[name].label)
            self.fields[name].error_messages["max_length"] = f"“{label}”不能超过%(limit_value)d个字"

    @property
    def chosen_agency(self):
        if self.case is not None:
            return self.case.agency
        return self.cleaned_data.get("agency")

    def clean_agency(self):
        agency = self.cleaned_data.get("agency")
        if self.case is None and agency is None:
            raise forms.ValidationError("请选择被申请人或被告机关")
        return agency

    def clean_submission_token(self) -> uuid.UUID | None:
        # a missing or mangled token only loses the protection against a second POST
        try:
            return uuid.UUID(self.cleaned_data.get("submission_token") or "")
        except ValueError:
            return None

    def renew_token(self) -> None:
        """Show the form again with a fresh token, so its next POST registers a new case."""
        self.data = self.data.copy()
        self.data["submission_token"] = str(uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("application_number") or "").strip()
        cleaned["application"] = None
        agency = self.chosen_agency
        if number and agency is not None:
            try:
                cleaned["application"] = selectors.application_by_number(agency, number)
            except DomainError as err:
                self.add_error("application_number", err.message)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "kind": cd.get("kind") or "",
            "stage": cd.get("stage") or "",
            "prior_review": cd.get("prior_review"),
            "case_number": cd.get("case_number") or "",
            "body": cd.get("body") or "",
            "filed_on": cd.get("filed_on"),
            "application": cd.get("application"),
            "applicant_name": cd.get("applicant_name") or "",
            "notes": cd.get("notes") or "",
            "copy_received_on": cd.get("copy_received_on"),
            "answered_on": cd.get("answered_on"),
        }

    def place_error(self, field: str | None, message: str) -> None:
        name = FORM_FIELD_OF.get(field, field)
        self.add_error(name if name in self.fields else None, message)


CONCLUDED_RESULTS = {k: v for k, v in RESULT_LABELS.items() if k != PENDING}


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(
        label="结果",
        choices=list(CONCLUDED_RESULTS.items()),
        widget=forms.RadioSelect,
        error_messages=_messages("结果", "choice"),
    )
    concluded_on = forms.DateField(
        label="审结日期",
        widget=_DATE_WIDGET,
        help_text="复议决定书、判决书或裁定书作出之日",
        error_messages=_messages("审结日期", "date"),
    )
    correction_note = forms.CharField(
        label="纠正情况说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="结果为纠正的必填：如撤销答复并责令重新答复、确认答复违法",
    )
    re_reply_ordered = forms.BooleanField(
        label="责令重新答复",
        required=False,
        help_text="决定或裁判责令本机关对所涉申请重新作出答复的，勾选后生成重新答复的申请",
    )
    decision_received_on = forms.DateField(
        label="收到决定书或裁判文书日期",
        required=False,
        widget=_DATE_WIDGET,
        error_messages=_messages("收到决定书日期", "date"),
    )
    re_reply_until = forms.DateField(
        label="决定确定的重新答复期限",
        required=False,
        widget=_DATE_WIDGET,
        help_text="决定或裁判未确定期限的留空：自收到之日起20个工作日内答复",
        error_messages=_messages("重新答复期限", "date"),
    )
    confirm = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, data=None, *, case: ReviewCase):
        initial = {}
        if not case.is_pending:
            initial = {
                "result": case.result,
                "concluded_on": case.concluded_on,
                "correction_note": case.correction_note,
            }
        super().__init__(data, initial=initial)

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm"))


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(
        label="文书类型",
        choices=_choices(dict(DocumentType.choices)),
        required=False,
        error_messages=_messages("文书类型", "choice"),
    )
    file = forms.FileField(
        label="文件",
        required=False,
        help_text=f"{DOCUMENT_TYPES_LABEL}，不超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB",
        error_messages={"invalid": "请选择要上传的文件", "empty": "上传的文件是空文件"},
    )

    def clean_doc_type(self):
        value = self.cleaned_data.get("doc_type")
        if not value:
            raise forms.ValidationError("请选择“文书类型”")
        return value

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if not f:
            raise forms.ValidationError("请选择要上传的文件")
        if f.size > MAX_ATTACHMENT_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(
                f"文书“{clean_name(f.name)}”超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB，请压缩或拆分后上传"
            )
        return f

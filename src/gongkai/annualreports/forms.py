"""Forms of the annual report workspace: the prose, one form per workflow move, last year's report."""

from __future__ import annotations

from django import forms

from gongkai.annualreports.selectors import KeyCell
from gongkai.annualreports.services import MAX_IMPORT_BYTES, MAX_SECTION_CHARS
from gongkai.domain.annual_report.workflow import WORKFLOW, Transition
from gongkai.domain.report_format import ReportFormat

CONFIRM_LABEL = "我已核对，确认执行（此操作不可撤销）"


class SectionsForm(forms.Form):
    """One textarea per narrative section of the year's format, titled exactly as the format prints it."""

    def __init__(self, data=None, *, fmt: ReportFormat, initial_texts: dict[str, str] | None = None):
        super().__init__(data, initial=initial_texts or {})
        for s in fmt.sections:
            if s.kind != "narrative":
                continue
            self.fields[s.key] = forms.CharField(
                label=s.title,
                required=False,
                max_length=MAX_SECTION_CHARS,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 12, "data-section": s.key, "class": "prose"}),
                error_messages={"max_length": f"“{s.title}”不超过{MAX_SECTION_CHARS}字"},
            )

    def texts(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k) or "" for k in self.fields}


class ActionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, transition: Transition, prefix: str | None = None):
        super().__init__(data, prefix=prefix)
        self.transition = transition
        self.comment_label = WORKFLOW.field_label(transition, "comment")
        self.needs_comment = "comment" in transition.required
        self.fields["comment"].label = self.comment_label
        if not self.needs_comment:
            self.fields["comment"].help_text = "选填"
        if transition.irreversible:
            self.fields["confirm"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def clean(self):
        data = super().clean()
        if self.needs_comment and not (data.get("comment") or "").strip():
            self.add_error("comment", f"请填写{self.comment_label}")
        if self.transition.irreversible and not data.get("confirm"):
            self.add_error("confirm", f"“{self.transition.action.label}”不可撤销，请勾选确认")
        return data


class PreviousImportForm(forms.Form):
    file = forms.FileField(
        label="上一年度报告文件",
        help_text="已公开的年度报告：PDF、Word（.docx）、网页（.html）或文本文件",
        error_messages={"required": "请选择文件", "empty": "文件是空的，请重新选择"},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"文件过大，不超过{MAX_IMPORT_BYTES // 1024 // 1024}MB")
        return f


class PreviousEntryForm(forms.Form):
    """The cells of last year's report, typed as text so the service can name every problem."""

    def __init__(self, data=None, *, cells: list[KeyCell], initial_values: dict[str, str] | None = None):
        super().__init__(data, initial=initial_values or {})
        self.cells = cells
        for cell in cells:
            self.fields[cell.name] = forms.CharField(
                label=cell.label,
                required=False,
                max_length=20,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal" if cell.decimal else "numeric", "size": 6, "aria-label": cell.label}
                ),
            )

    def values(self) -> dict[str, str]:
        return {k: (self.cleaned_data.get(k) or "") for k in self.fields}

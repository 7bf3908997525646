"""Forms of the work-order pages: they turn text into values; the rules are the service's and the
workflow's, whose errors name the field they belong next to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from gongkai.domain.fields import FieldKind
from gongkai.domain.workflow import Transition
from gongkai.domain.workorders.importing import IMPORT_FIELDS, MAX_BYTES, REQUIRED_FIELDS
from gongkai.domain.workorders.workflow import FIELD_SPECS, PLATFORM_LABELS, Unit

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _messages(label: str, kind: str = "") -> dict[str, str]:
    messages = {"required": f"请填写“{label}”"}
    if kind == "date":
        messages["invalid"] = f"“{label}”应为日期，格式如2026-03-01"
    elif kind == "choice":
        messages["invalid_choice"] = f"“{label}”的选项无效，请重新选择"
        messages["required"] = f"请选择“{label}”"
    return messages


class UploadForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=None, label="机关", empty_label=None, error_messages={"required": "请选择“机关”"}
    )
    platform = forms.ChoiceField(
        label="平台", choices=[("", "——请选择——"), *PLATFORM_LABELS.items()], error_messages=_messages("平台", "choice")
    )
    file = forms.FileField(
        label="平台导出的表格",
        help_text=f".xlsx 或 .csv，不超过{MAX_BYTES // (1024 * 1024)}MB、5000行",
        error_messages={"required": "请选择要导入的表格文件", "empty": "文件是空的"},
    )

    def __init__(self, data=None, files=None, *, agencies, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].widget = forms.HiddenInput()
            self.fields["agency"].initial = agencies.first().pk

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请分批导出后再导入")
        return f


class ActionForm(forms.Form):
    """The fields one move asks for, typed as the domain's FIELD_SPECS say."""

    def __init__(self, data=None, *, transition: Transition, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.transition = transition
        for name in transition.field_names:
            spec = FIELD_SPECS[name]
            label = transition.labels.get(name) or spec.label
            common = {"label": label, "required": False, "help_text": "" if name in transition.required else "选填"}
            if spec.kind is FieldKind.DATE:
                field = forms.DateField(
                    widget=_DATE_WIDGET, initial=today, error_messages=_messages(label, "date"), **common
                )
            elif spec.kind is FieldKind.CHOICE:
                field = forms.ChoiceField(
                    choices=list(spec.choices.items()),
                    widget=forms.RadioSelect(),
                    error_messages=_messages(label, "choice"),
                    **common,
                )
            elif name in ("reply_text", "comment"):
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, **common)
            else:
                field = forms.CharField(max_length=200, error_messages=_messages(label), **common)
            self.fields[name] = field

    def domain_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.transition.field_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                out[name] = value
        return out


class PlatformSettingsForm(forms.Form):
    amount = forms.IntegerField(label="办理时限", min_value=1, max_value=720, error_messages=_messages("办理时限"))
    unit = forms.ChoiceField(
        label="时限单位",
        choices=[(u.value, u.label.lstrip("个")) for u in Unit],
        error_messages=_messages("时限单位", "choice"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f, label in IMPORT_FIELDS.items():
            self.fields[f"col_{f}"] = forms.CharField(
                label=f"“{label}”所在列的表头",
                max_length=100,
                required=False,
                help_text="" if f in REQUIRED_FIELDS else "选填：表格中没有该列的留空",
            )

    def mapping(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f"col_{f}", "") for f in IMPORT_FIELDS}

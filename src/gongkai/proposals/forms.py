"""Forms of the register's pages: they turn text into values; the rules are the service's and the
workflow's, whose errors name the field they belong next to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from gongkai.domain.fields import FieldKind, FieldSpec
from gongkai.domain.proposals.workflow import FIELD_SPECS, Kind
from gongkai.domain.workflow import Transition

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIRM_LABEL = "我已确认此操作不可撤销"
CONFIRM_REQUIRED = "此操作不可撤销，请勾选“我已确认此操作不可撤销”后再提交"
_TEXTAREAS = {"summary", "reply_text", "co_opinions", "comment"}


def _messages(label: str, kind: str = "") -> dict[str, str]:
    messages = {"required": f"请填写“{label}”"}
    if kind == "date":
        messages["invalid"] = f"“{label}”应为日期，格式如2026-03-01"
    elif kind == "choice":
        messages["invalid_choice"] = f"“{label}”的选项无效，请重新选择"
        messages["required"] = f"请选择“{label}”"
    return messages


class ProposalForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=None,
        label="承办机关",
        empty_label=None,
        error_messages={"required": "请选择“承办机关”", "invalid_choice": "所选机关无效，请重新选择"},
    )
    kind = forms.ChoiceField(
        label="类别",
        choices=[("", "——请选择——"), *((k.value, f"{k.author_word}{k.label}") for k in Kind)],
        error_messages=_messages("类别", "choice"),
    )
    number = forms.CharField(
        label="编号", max_length=40, error_messages=_messages("编号"), help_text="交办通知上的建议或提案号"
    )
    author = forms.CharField(label="代表或委员", max_length=100, error_messages=_messages("代表或委员"))
    delegation = forms.CharField(label="代表团或界别", max_length=100, required=False, help_text="选填")
    title = forms.CharField(label="标题", max_length=300, error_messages=_messages("标题"))
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="选填")
    lead_unit = forms.CharField(label="主办单位", max_length=200, error_messages=_messages("主办单位"))
    co_units = forms.CharField(
        label="会办、协办单位", max_length=500, required=False, help_text="选填，多个单位用顿号分隔"
    )
    assigned_on = forms.DateField(label="交办日期", widget=_DATE_WIDGET, error_messages=_messages("交办日期", "date"))
    urgent = forms.BooleanField(label="紧急件（答复期限较短）", required=False)

    def __init__(self, data=None, *, agencies, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].widget = forms.HiddenInput()
            self.fields["agency"].initial = agencies.first().pk

    def service_fields(self) -> dict[str, Any]:
        cd = self.cleaned_data
        names = ("kind", "number", "author", "delegation", "title", "text", "lead_unit", "co_units", "assigned_on")
        return {**{n: cd[n] for n in names}, "urgent": bool(cd.get("urgent"))}


class ActionForm(forms.Form):
    """The fields one move asks for, typed as the domain's FIELD_SPECS say; whether a field is
    required is the domain's to say (FieldError), so the form marks the optional ones only."""

    def __init__(self, data=None, *, transition: Transition, today: date, initial_values=None, **kwargs):
        super().__init__(data, **kwargs)
        self.transition = transition
        self.required_names = set(transition.required)
        for name in transition.field_names:
            spec = FIELD_SPECS[name]
            label = transition.labels.get(name) or spec.label
            self.fields[name] = self._field(spec, label=label, today=today)
            if initial_values and initial_values.get(name):
                self.fields[name].initial = initial_values[name]
        if transition.irreversible:
            self.fields["confirm_irreversible"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def _field(self, spec: FieldSpec, *, label: str, today: date) -> forms.Field:
        required = spec.name in self.required_names
        common = {"label": label, "required": False, "help_text": "" if required else "选填"}
        if spec.kind is FieldKind.DATE:
            return forms.DateField(
                widget=_DATE_WIDGET, initial=today, error_messages=_messages(label, "date"), **common
            )
        if spec.kind is FieldKind.CHOICE:
            widget = forms.RadioSelect() if spec.name in ("category", "satisfaction") else forms.Select()
            choices = (
                list(spec.choices.items())
                if widget.input_type == "radio"
                else [("", "——请选择——"), *spec.choices.items()]
            )
            return forms.ChoiceField(
                choices=choices, widget=widget, error_messages=_messages(label, "choice"), **common
            )
        rows = 12 if spec.name == "reply_text" else 3
        widget = forms.Textarea(attrs={"rows": rows}) if spec.name in _TEXTAREAS else forms.TextInput()
        return forms.CharField(widget=widget, max_length=20000, error_messages=_messages(label), **common)

    @property
    def visible_domain_fields(self):
        return [self[n] for n in self.fields if n != "confirm_irreversible"]

    def domain_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.transition.field_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                out[name] = value
        return out

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm_irreversible"))


class SettingsForm(forms.Form):
    months = forms.IntegerField(
        label="答复期限（月）", min_value=1, max_value=12, error_messages=_messages("答复期限（月）")
    )
    urgent_months = forms.IntegerField(
        label="紧急件答复期限（月）", min_value=1, max_value=12, error_messages=_messages("紧急件答复期限（月）")
    )

"""Forms of the routing to units (承办): the office's assignment and the unit's answer or return."""

from __future__ import annotations

from django import forms

from gongkai.applications.checks import CONTENT_TYPES, attachment_problem, clean_name, content_problem
from gongkai.domain.applications.assignment import FIELD_SPECS, PROPOSED_OUTCOMES, RETURN_KINDS


class AssignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label="承办单位",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一个承办单位"},
        help_text="可同时交办多个单位（会签），各单位分别答复。",
    )
    due = forms.DateField(
        label="内部办理期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空则按本机关设置的工作日数计算；必须早于法定答复期限。",
    )
    instructions = forms.CharField(label="交办说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    share_identity = forms.BooleanField(
        label="向承办单位提供申请人身份证明号码（仅在核实身份确有必要时勾选）", required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        # 分项交办: the part of the request each unit answers, when the office splits it
        for unit in units:
            self.fields[f"part_{unit.pk}"] = forms.CharField(
                label=f"{unit.name}承办事项",
                required=False,
                max_length=200,
                help_text="分项交办时填写该单位承办的部分，如“第1项：2025年校舍维修项目清单”；整件交办的留空。",
            )

    def parts(self) -> dict[int, str]:
        """unit pk → the part it answers, for the units chosen."""
        chosen = {u.pk for u in self.cleaned_data.get("units") or []}
        return {pk: text for pk in chosen if (text := (self.cleaned_data.get(f"part_{pk}") or "").strip())}


class AnswerForm(forms.Form):
    proposed_outcome = forms.ChoiceField(
        label=FIELD_SPECS["proposed_outcome"].label, choices=[("", "请选择")] + list(PROPOSED_OUTCOMES.items())
    )
    opinion = forms.CharField(
        label=FIELD_SPECS["opinion"].label,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="说明查找的情况和拟办结果的理由、依据（如第三十六条相应项）。",
    )
    material = forms.FileField(
        label="查找到的信息（文件，可选）", required=False, help_text="PDF、图片、Word或文本文件，不超过10MB"
    )

    def clean_material(self):
        f = self.cleaned_data.get("material")
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

    def uploads(self) -> list[tuple[str, str, bytes]]:
        f = self.cleaned_data.get("material")
        if not f:
            return []
        name = clean_name(f.name)
        return [(name, CONTENT_TYPES[name.rsplit(".", 1)[-1].lower()], f.read())]

    def domain_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("proposed_outcome", "opinion")}


class ReturnForm(forms.Form):
    return_kind = forms.ChoiceField(
        label=FIELD_SPECS["return_kind"].label, choices=list(RETURN_KINDS.items()), widget=forms.RadioSelect
    )
    reason = forms.CharField(label=FIELD_SPECS["reason"].label, widget=forms.Textarea(attrs={"rows": 3}))

    def uploads(self) -> list:
        return []

    def domain_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("return_kind", "reason")}


class NoteForm(forms.Form):
    """签收 (nothing to fill in) and 收回交办 (an optional note)."""

    comment = forms.CharField(
        label=FIELD_SPECS["comment"].label, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def uploads(self) -> list:
        return []

    def domain_fields(self) -> dict:
        return {"comment": self.cleaned_data["comment"]} if self.cleaned_data.get("comment") else {}

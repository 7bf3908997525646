"""The form of 依申请公开转主动公开: what the register needs of the draft (title, column, 成文日期)."""

from __future__ import annotations

from django import forms

from gongkai.disclosure.models import Column


class ToProactiveForm(forms.Form):
    title = forms.CharField(label="文件标题", max_length=300)
    column = forms.ModelChoiceField(label="栏目", queryset=Column.objects.none())
    formed_on = forms.DateField(label="成文日期", widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label="正文或说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(agency=agency).order_by("order", "pk")

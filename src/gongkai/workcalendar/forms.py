"""Admin forms that check a holiday notice as a whole with the domain rules before it is saved.

The holiday periods and the make-up days are two inline formsets; the rules that tie them
together (no day both a holiday and a make-up day) are checked in the make-up formset, which
rebuilds the periods from the same POST data so nothing is saved when the notice is wrong.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from gongkai.domain.calendar import HolidayNotice, HolidayRange


def _live_rows(formset: BaseInlineFormSet) -> list[dict]:
    return [
        f.cleaned_data for f in formset.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
    ]


class HolidayPeriodFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not _live_rows(self):
            raise ValidationError("请至少录入一个放假时段。")


class MakeupWorkdayFormSet(BaseInlineFormSet):
    # set by HolidayNoticeAdmin so this formset can rebuild its sibling from the same POST data
    period_formset_class: type[BaseInlineFormSet] | None = None
    period_prefix = "periods"

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.period_formset_class is None or not self.instance.year:
            return
        periods = self.period_formset_class(self.data, instance=self.instance, prefix=self.period_prefix)
        if not periods.is_valid():
            return  # the period formset reports its own errors
        notice = HolidayNotice(
            year=self.instance.year,
            holidays=tuple(HolidayRange(r["start"], r["end"], r["name"]) for r in _live_rows(periods)),
            makeup_workdays=tuple(r["date"] for r in _live_rows(self)),
        )
        problems = notice.problems()
        if problems:
            raise ValidationError(problems)


class HolidayNoticeForm(forms.ModelForm):
    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2019 <= year <= 2100:
            raise ValidationError("年份应在2019至2100之间。")
        return year

from django.contrib import admin

from gongkai.workcalendar.forms import HolidayNoticeForm, HolidayPeriodFormSet, MakeupWorkdayFormSet
from gongkai.workcalendar.models import HolidayNotice, HolidayPeriod, MakeupWorkday


class HolidayPeriodInline(admin.TabularInline):
    model = HolidayPeriod
    formset = HolidayPeriodFormSet
    extra = 7
    min_num = 0


class MakeupWorkdayInline(admin.TabularInline):
    model = MakeupWorkday
    formset = MakeupWorkdayFormSet
    extra = 6

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        period_inline = HolidayPeriodInline(self.parent_model, self.admin_site)
        formset.period_formset_class = period_inline.get_formset(request, obj)
        formset.period_prefix = HolidayPeriod._meta.get_field("notice").remote_field.get_accessor_name()
        return formset


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(admin.ModelAdmin):
    form = HolidayNoticeForm
    list_display = ["year", "title", "doc_no", "published_on", "entered_by", "updated_at"]
    inlines = [HolidayPeriodInline, MakeupWorkdayInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

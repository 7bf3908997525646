from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from gongkai.domain.calendar import WorkingCalendar
from gongkai.workcalendar.forms import HolidayNoticeForm, HolidayPeriodFormSet, MakeupWorkdayFormSet
from gongkai.workcalendar.models import HolidayNotice, HolidayPeriod, MakeupWorkday
from gongkai.workcalendar.services import notice_changed


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

    def changelist_view(self, request, extra_context=None):
        # The notices shipped with gongkai are in force without a row here: list them (read-only),
        # so the page does not suggest that no year is covered.
        entered = set(HolidayNotice.objects.values_list("year", flat=True))
        shipped = [
            {
                "year": n.year,
                "title": n.title,
                "doc_no": n.doc_no,
                "holidays": len(n.holidays),
                "makeup": len(n.makeup_workdays),
                "replaced": n.year in entered,
            }
            for n in sorted(WorkingCalendar.official().notices, key=lambda n: -n.year)
        ]
        return super().changelist_view(request, extra_context={**(extra_context or {}), "shipped_notices": shipped})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    # The admin saves the notice and its two inlines in one transaction; the open cases are
    # recomputed inside it, once the inlines are saved, so the new dates are there at once.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._recompute(request, form.instance.year)

    def delete_model(self, request, obj):
        year = obj.year
        super().delete_model(request, obj)
        self._recompute(request, year)

    def delete_queryset(self, request, queryset):
        years = sorted(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        for year in years:
            self._recompute(request, year)

    def _recompute(self, request, year: int) -> None:
        changes = notice_changed(year=year, actor=request.user, today=timezone.localdate())
        if changes:
            messages.info(
                request,
                format_html(
                    '已按{}年节假日安排重新计算在办申请的期限：{}件申请的答复期限有变化，<a href="{}">查看期限变更</a>。',
                    year,
                    len(changes),
                    reverse("applications:staff_deadline_changes"),
                ),
            )
        else:
            messages.info(request, f"已按{year}年节假日安排重新计算在办申请的期限，没有申请的答复期限变化。")

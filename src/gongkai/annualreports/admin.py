"""Admin: reports, versions, decisions and last years' reports are shown read-only; they change only
through the services (the workspace), which the domain workflow checks."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.annualreports.models import AnnualReport, PreviousReport, ReportDecision, ReportVersion


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(_ReadOnly, admin.TabularInline):
    model = ReportVersion
    fields = ("number", "frozen", "submitted_at", "office_approved_by", "leader_approved_by", "reason", "created_at")
    readonly_fields = fields
    extra = 0


class DecisionInline(_ReadOnly, admin.TabularInline):
    model = ReportDecision
    fields = ("seq", "at", "actor_label", "role", "action", "from_state", "to_state", "result", "comment", "version")
    readonly_fields = fields
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ("agency", "year", "state", "current_version", "published_version", "published_on")
    list_filter = ("agency", "state")
    inlines = [VersionInline, DecisionInline]


@admin.register(PreviousReport)
class PreviousReportAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ("agency", "year", "source", "original_name", "complete", "imported_by", "imported_at")
    list_filter = ("agency", "source")

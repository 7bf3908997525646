from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.litigation.models import ReviewCase, ReviewDocument


class ReviewDocumentInline(admin.TabularInline):
    model = ReviewDocument
    extra = 0
    fields = ("doc_type", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # files go through the service, which checks their type and content


@admin.register(ReviewCase)
class ReviewCaseAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "agency", "kind", "stage", "filed_on", "result", "concluded_on")
    list_filter = ("agency", "kind", "stage", "result")
    search_fields = ("case_number", "applicant_name", "body", "application__tracking_number")
    date_hierarchy = "filed_on"
    raw_id_fields = ("application", "prior_review", "created_by")
    inlines = [ReviewDocumentInline]

    def has_change_permission(self, request, obj=None):
        return False  # the staff pages are the one place cases are written (their checks live in services)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

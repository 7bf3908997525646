"""Admin: the column tree, the 索引号 scheme and the annual figures are configuration and may be
edited here; documents, versions and decisions are shown read-only (they change only through the
services, which the review workflow checks)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.disclosure.models import (
    AnnualFigures,
    Column,
    Document,
    DocumentAttachment,
    DocumentVersion,
    IndexNumberScheme,
    ReviewDecision,
)


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "order", "article20_item", "agency")
    list_filter = ("agency",)
    search_fields = ("name", "slug")
    ordering = ("agency", "order")


@admin.register(IndexNumberScheme)
class IndexNumberSchemeAdmin(admin.ModelAdmin):
    list_display = ("agency", "organisation_code", "pattern")


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount")
    list_filter = ("agency", "year")
    readonly_fields = ("updated_by", "updated_at")


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionInline(_ReadOnly, admin.TabularInline):
    model = ReviewDecision
    fields = ("seq", "version", "action", "from_state", "to_state", "actor_label", "role", "result", "comment", "at")
    readonly_fields = fields
    extra = 0


class VersionInline(_ReadOnly, admin.TabularInline):
    model = DocumentVersion
    fields = ("number", "title", "reason", "published_on", "discarded_on", "created_at")
    readonly_fields = fields
    extra = 0


class AttachmentInline(_ReadOnly, admin.TabularInline):
    model = DocumentAttachment
    fields = ("display_name", "original_name", "content_type", "size", "version", "removed_in_version", "uploaded_at")
    readonly_fields = fields
    extra = 0


@admin.register(Document)
class DocumentAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ("index_number", "title", "state", "column", "formed_on", "published_on", "is_public")
    list_filter = ("agency", "state", "kind", "is_public")
    search_fields = ("index_number", "title", "doc_number")
    list_select_related = ("column", "column__parent")
    show_full_result_count = False  # no COUNT(*) over every document
    inlines = (VersionInline, AttachmentInline, DecisionInline)
    raw_id_fields = ("interprets",)

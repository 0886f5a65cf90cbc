from django.contrib import admin

from orders.admin import ReadOnlyAdminMixin

from .models import EvidenceExport


@admin.register(EvidenceExport)
class EvidenceExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who took which evidence pack, when and from where: a record no one edits or deletes."""

    list_display = ["created_at", "requested_by", "reseller", "format", "record_count", "order"]
    list_filter = ["format", "reseller"]
    search_fields = ["requested_by__username", "order__reference", "evidence_digest", "file_digest"]
    date_hierarchy = "created_at"

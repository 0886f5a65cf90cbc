from django.contrib import admin

from orders.admin import ReadOnlyAdminMixin

from .models import RelationshipWatch


@admin.register(RelationshipWatch)
class RelationshipWatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["order", "tenant", "state", "started_at", "last_checked_at", "checks"]
    list_filter = ["state"]
    search_fields = ["order__reference", "tenant"]

from django.contrib import admin

from orders.admin import ReadOnlyAdminMixin

from .models import PartnerRolesCheck, RelationshipWatch


@admin.register(RelationshipWatch)
class RelationshipWatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["order", "tenant", "state", "started_at", "last_checked_at", "checks"]
    list_filter = ["state"]
    search_fields = ["order__reference", "tenant"]


@admin.register(PartnerRolesCheck)
class PartnerRolesCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["checked_at", "customer", "tenant", "outcome", "checked_by"]
    list_filter = ["outcome"]
    search_fields = ["customer__company_name", "tenant", "checked_by__username"]
    list_select_related = ["customer", "checked_by"]

from django.contrib import admin

from orders.admin import ReadOnlyAdminMixin

from .models import CancellationReminder, RenewalReminder


@admin.register(CancellationReminder)
class CancellationReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sent_at", "hours_before", "batch", "recipients"]
    list_filter = ["hours_before"]
    date_hierarchy = "sent_at"


@admin.register(RenewalReminder)
class RenewalReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sent_at", "days_before", "renewal_date", "subscription", "recipients"]
    list_filter = ["days_before"]
    date_hierarchy = "sent_at"
    list_select_related = ["subscription__product"]

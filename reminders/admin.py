from django.contrib import admin

from orders.admin import ReadOnlyAdminMixin

from .models import CancellationReminder


@admin.register(CancellationReminder)
class CancellationReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sent_at", "hours_before", "batch", "recipients"]
    list_filter = ["hours_before"]
    date_hierarchy = "sent_at"

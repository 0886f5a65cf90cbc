from django.contrib import admin

from .models import EmailLog, EmailOverride


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "template", "language", "reseller", "result", "overridden"]
    list_filter = ["result", "template", "language", "overridden"]
    search_fields = ["recipients", "subject", "reseller__name"]
    readonly_fields = [field.name for field in EmailLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailOverride)
class EmailOverrideAdmin(admin.ModelAdmin):
    list_display = ["reseller", "template", "language", "updated_at", "last_error_at"]
    list_filter = ["template", "language"]
    search_fields = ["reseller__name", "subject"]

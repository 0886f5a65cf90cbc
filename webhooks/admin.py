from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_labels import NamedInputsMixin

from .models import Attempt, Endpoint, Message
from .services import message_replay


@admin.register(Endpoint)
class EndpointAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["url", "reseller", "enabled", "consecutive_failures", "disabled_at"]
    list_filter = ["enabled"]
    exclude = ["secret", "previous_secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "failing_since",
        "secret_issued_at",
        "secret_issued_by",
        "previous_secret_expires_at",
    ]


class AttemptInline(NamedInputsMixin, admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "replay",
        "response_status",
        "duration_ms",
        "error",
        "succeeded",
        "created_at",
    ]
    fields = readonly_fields


@admin.register(Message)
class MessageAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["message_id", "event_type", "endpoint", "delivered_at", "given_up_at"]
    readonly_fields = ["endpoint", "message_id", "event_type", "payload", "order"]
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.action(description=_("Replay (same webhook-id)"))
    def replay(self, request, queryset):
        for message in queryset:
            message_replay(message=message)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("Replayed %(count)s message.", "Replayed %(count)s messages.", count)
            % {"count": count},
        )

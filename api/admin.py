"""API tokens in the admin: issue one (its secret is shown on the next page, once), revoke."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_labels import NamedInputsMixin
from orders.admin import ReadOnlyAdminMixin

from .models import ApiOrder, ApiToken
from .tokens import api_token_revoke, fill_new_credentials

ISSUED_TEMPLATE = "admin/api/apitoken/issued.html"


@admin.register(ApiToken)
class ApiTokenAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "reseller",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "reseller__name")
    list_select_related = ("reseller", "created_by")
    autocomplete_fields = ()
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("reseller", "name")
        return (
            "reseller",
            "name",
            "prefix",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("reseller", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the orders a token placed keep pointing at it.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request._api_token_secret = fill_new_credentials(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new token's secret on this one page; it cannot be seen again."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": request._api_token_secret,
            "title": _("API token created"),
        }
        return TemplateResponse(request, ISSUED_TEMPLATE, context)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiOrder)
class ApiOrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "token", "created_at")
    list_select_related = ("order", "token")
    search_fields = ("order__reference", "token__prefix", "token__name")

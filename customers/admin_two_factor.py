"""Two-factor sign-in in the admin: reset a user's devices (a lost phone), with a reason, recorded.

The devices themselves (``customers.devices``) are not listed: their secrets are nobody's
to read, and the reset is the one thing an administrator does to them. django-otp's own
TOTP and static devices (installed only for the migration that moved their rows into ours,
customers 0012) are taken out of the admin too.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import TwoFactorReset
from .two_factor import two_factor_reset

RESET_TEMPLATE = "admin/customers/user/two_factor_reset.html"


def hide_device_admins():
    """Take django-otp's own device pages out of the admin (called once the admin is loaded)."""
    for model in (TOTPDevice, StaticDevice):
        try:
            admin.site.unregister(model)
        except NotRegistered:
            pass


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why, and how you checked who asked"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: lost phone, confirmed by a call to the number on file."),
        error_messages={"required": _("Give the reason: it is recorded with your name.")},
    )


@admin.action(description=_("Reset two-factor sign-in (lost device), with a reason"))
def reset_two_factor(modeladmin, request, queryset):
    form = TwoFactorResetForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reset two-factor sign-in"),
            "users": queryset,
            "form": form,
            "action": "reset_two_factor",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "opts": modeladmin.model._meta,
        }
        return TemplateResponse(request, RESET_TEMPLATE, context)
    for user in queryset:
        two_factor_reset(user=user, by=request.user, reason=form.cleaned_data["reason"])
    modeladmin.message_user(
        request,
        _(
            "Two-factor sign-in reset for %(count)s user(s); they set it up again at their next "
            "sign-in."
        )
        % {"count": queryset.count()},
        messages.SUCCESS,
    )
    return None


@admin.register(TwoFactorReset)
class TwoFactorResetAdmin(admin.ModelAdmin):
    """Every reset of a user's two-factor devices: who, by whom, when, why (read-only)."""

    list_display = ["reset_at", "user", "reset_by", "devices_removed", "reason"]
    search_fields = ["user__username", "reset_by__username", "reason"]
    list_select_related = ["user", "reset_by"]
    fields = readonly_fields = ["reset_at", "user", "reset_by", "devices_removed", "reason"]
    date_hierarchy = "reset_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

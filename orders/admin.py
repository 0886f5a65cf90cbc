"""Orders in the admin: all visible, nothing editable or deletable, three recorded actions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from customers.admin import RecordAdminMixin

from .dispatch import enqueue_reconcile
from .lifecycle import Actor, TransitionRefused, order_record, order_transition
from .models import (
    Attestation,
    Order,
    OrderEvent,
    OrderLine,
    OrderParameter,
    UnrecognisedUpstreamError,
    UpstreamExchange,
)
from .pipeline.reconciliation import orders_needing_a_person
from .services.changes import ChangeRefused, order_resubmit
from .stuck import escalation_text, order_close_stuck, order_escalate, order_repoll_now


class CloseStuckForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, as the distributor stated it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reseller reads it on the order page and in the failure e-mail."),
        error_messages={"required": _("Give the reason: the reseller reads it.")},
    )


class ReadOnlyAdminMixin(RecordAdminMixin):
    """Show every field read-only and refuse adding, changing and deleting (records, not data)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine


class OrderParameterInline(ReadOnlyInline):
    model = OrderParameter


class AttestationInline(ReadOnlyInline):
    model = Attestation


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent


class UpstreamExchangeInline(ReadOnlyInline):
    model = UpstreamExchange
    classes = ["collapse"]


class NeedsAPersonFilter(admin.SimpleListFilter):
    """Unknown orders that reconciliation could not settle with a complete search."""

    title = _("needs a person")
    parameter_name = "needs_person"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes: outcome unknown, search incomplete"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=orders_needing_a_person().values("pk"))
        return queryset


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "reseller",
        "customer",
        "kind",
        "status",
        "upstream_order_number",
        "placed_at",
    ]
    list_filter = [NeedsAPersonFilter, "status", "details_pending", "kind", "channel", "placed_at"]
    search_fields = [
        "reference",
        "upstream_order_number",
        "upstream_order_id",
        "po_number",
        "customer__company_name",
        "customer__upstream_customer_id",
        "customer__tenant_domain",
        "parameters__value",
        "lines__mpn",
    ]
    date_hierarchy = "placed_at"
    list_select_related = ["reseller", "customer"]
    inlines = [
        OrderLineInline,
        OrderParameterInline,
        AttestationInline,
        OrderEventInline,
        UpstreamExchangeInline,
    ]
    actions = ["repoll", "escalate", "close_stuck", "reconcile", "resubmit"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Ask the marketplace again now (re-poll)"))
    def repoll(self, request, queryset):
        done = self._each(queryset, lambda order: order_repoll_now(order=order, user=request.user))
        self._report(request, done, queryset.count(), _("re-polled"), _("submitted or processing"))

    @admin.action(description=_("Escalate to the distributor (records the marketplace's ids)"))
    def escalate(self, request, queryset):
        texts = []
        for order in queryset:
            try:
                order_escalate(order=order, user=request.user)
            except ChangeRefused:
                continue
            texts.append(escalation_text(order))
        self._report(
            request, len(texts), queryset.count(), _("escalated"), _("submitted or processing")
        )
        for text in texts:
            self.message_user(
                request,
                _("Send to %(contact)s: %(text)s")
                % {"contact": settings.MARKETPLACE_SUPPORT_CONTACT, "text": text},
                messages.INFO,
            )

    @admin.action(description=_("Close as not completed upstream, with a reason"))
    def close_stuck(self, request, queryset):
        form = CloseStuckForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Close orders stuck upstream"),
                "orders": queryset,
                "form": form,
                "action": "close_stuck",
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/orders/order/close_stuck.html", context)
        reason = form.cleaned_data["reason"]
        done = self._each(
            queryset,
            lambda order: order_close_stuck(order=order, user=request.user, reason=reason),
        )
        self._report(request, done, queryset.count(), _("closed"), _("submitted or processing"))
        return None

    def _each(self, queryset, act) -> int:
        """Apply ``act`` to each order; count those it did not refuse."""
        done = 0
        for order in queryset:
            try:
                act(order)
            except ChangeRefused:
                continue
            done += 1
        return done

    @admin.action(description=_("Look the order up upstream (reconcile)"))
    def reconcile(self, request, queryset):
        done = 0
        for order in queryset.filter(status__in=["unknown", "submitting"]):
            cause = "An admin asked to look the order up upstream before anything is sent again."
            try:
                with transaction.atomic():
                    if order.status == "submitting":
                        order_transition(
                            order,
                            "lose_track",
                            actor=Actor.ADMIN,
                            actor_user=request.user,
                            cause=cause,
                            changes={"unknown_since": timezone.now()},
                        )
                    else:
                        order_record(
                            order,
                            "admin_reconcile",
                            actor=Actor.ADMIN,
                            actor_user=request.user,
                            cause=cause,
                        )
                    transaction.on_commit(lambda pk=order.pk: enqueue_reconcile(pk))
            except TransitionRefused:
                continue
            done += 1
        self._report(
            request,
            done,
            queryset.count(),
            _("sent to reconciliation"),
            _("unknown or stuck in submitting"),
        )

    @admin.action(description=_("Resubmit failed orders"))
    def resubmit(self, request, queryset):
        done = 0
        for order in queryset.filter(status="failed"):
            try:
                order_resubmit(order=order, user=request.user)
            except ChangeRefused:
                continue
            done += 1
        self._report(request, done, queryset.count(), _("resubmitted"), _("failed"))

    def _report(self, request, done, selected, verb, which):
        level = messages.SUCCESS if done else messages.WARNING
        skipped = selected - done
        words = ngettext("%(count)s order %(verb)s.", "%(count)s orders %(verb)s.", done) % {
            "count": done,
            "verb": verb,
        }
        if skipped:
            words += " " + (
                _("%(skipped)s skipped: only %(which)s orders can be %(verb)s.")
                % {"skipped": skipped, "which": which, "verb": verb}
            )
        self.message_user(request, words, level)


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "order",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_user",
    ]
    list_filter = ["actor", "action"]
    search_fields = ["order__reference", "cause", "correlation_id"]


@admin.register(UnrecognisedUpstreamError)
class UnrecognisedUpstreamErrorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Refusals the error catalogue has no entry for; delete a row once it has one."""

    list_display = ["message", "count", "first_seen", "last_seen", "last_order"]
    search_fields = ["message"]

    def has_delete_permission(self, request, obj=None):
        return True

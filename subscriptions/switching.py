"""A subscription's plan and term changes: the switches offered, their quote, placing one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from customers.permissions import ReadOnlyForSupportMixin, ResellerRequiredMixin
from customers.upstream import client_for
from orders.services.changes import ChangeRefused
from orders.services.switching import plan_switch, plan_switch_options, plan_switch_quote

from .views import visible_subscription


class PlanSwitchView(ReadOnlyForSupportMixin, ResellerRequiredMixin, TemplateView):
    """GET lists the switches the marketplace offers; POST quotes one, then places it.

    Money moves, so the first POST only shows the marketplace's estimate (as a seat change
    does); the confirmation page posts again with ``confirm``.
    """

    template_name = "subscriptions/switch_options.html"

    def get_context_data(self, **kwargs):
        subscription = visible_subscription(self.request.user, self.kwargs["pk"])
        options, refusal = [], ""
        try:
            with client_for(subscription.customer.reseller) as client:
                options = plan_switch_options(subscription=subscription, client=client)
        except ChangeRefused as refused:
            refusal = refused.message
        return super().get_context_data(
            subscription=subscription,
            upgrades=[o for o in options if o.is_upgrade],
            period_changes=[o for o in options if not o.is_upgrade],
            refusal=refusal,
            **kwargs,
        )

    def post(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        plan_id = request.POST.get("plan", "")
        try:
            seats = int(request.POST.get("seats") or subscription.seats)
        except ValueError:
            messages.error(request, _("Enter the seats to move as a whole number."))
            return redirect(request.path)
        try:
            with client_for(subscription.customer.reseller) as client:
                if request.POST.get("confirm") != "yes":
                    quote = plan_switch_quote(
                        subscription=subscription, plan_id=plan_id, seats=seats, client=client
                    )
                    return render(request, "subscriptions/switch_confirm.html", {"quote": quote})
                change = plan_switch(
                    subscription=subscription,
                    plan_id=plan_id,
                    seats=seats,
                    user=request.user,
                    client=client,
                )
        except ChangeRefused as refused:
            messages.error(request, refused.message)
            return redirect(request.path)
        messages.success(
            request, _("Change %(reference)s placed.") % {"reference": change.reference}
        )
        return redirect("orders:detail", reference=change.reference)

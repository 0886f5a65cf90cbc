"""Changes for a subscription's next renewal: schedule a new seat count, cancel a waiting one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from customers.permissions import ReadOnlyForSupportMixin, ResellerRequiredMixin
from customers.upstream import client_for
from orders.models import Order
from orders.services.changes import ChangeRefused
from orders.services.renewal_changes import renewal_change_schedule, scheduled_change_cancel

from .views import visible_subscription


class RenewalChangeView(ReadOnlyForSupportMixin, ResellerRequiredMixin, View):
    """POST a new seat count for the next term; it is sent now and applied at the renewal."""

    def post(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        try:
            seats = int(request.POST.get("seats", ""))
        except ValueError:
            messages.error(request, _("Enter the seats for the next term as a whole number."))
            return redirect("subscriptions:detail", pk=pk)
        try:
            change = renewal_change_schedule(
                subscription=subscription, new_total=seats, user=request.user
            )
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Change %(reference)s scheduled: %(seats)s seats from the renewal on %(day)s.")
                % {
                    "reference": change.reference,
                    "seats": seats,
                    "day": subscription.renewal_date.isoformat(),
                },
            )
        return redirect("subscriptions:detail", pk=pk)


class ScheduledCancelView(ReadOnlyForSupportMixin, ResellerRequiredMixin, View):
    """POST cancels a change waiting for the renewal, at the marketplace and here."""

    def post(self, request, pk, reference):
        subscription = visible_subscription(request.user, pk)
        order = Order.objects.filter(subscription=subscription, reference=reference).first()
        if order is None:
            raise Http404(_("No such change."))
        try:
            with client_for(subscription.customer.reseller) as client:
                scheduled_change_cancel(order=order, user=request.user, client=client)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("The change %(reference)s was cancelled; the subscription renews as it is.")
                % {"reference": reference},
            )
        if request.POST.get("next") == "renewals":
            return redirect("renewals:upcoming")
        return redirect("subscriptions:detail", pk=pk)

"""What a reseller may do to an order: resubmit it, cancel it, change a subscription's seats.

End customers may cancel too, where their reseller lets them (``services.self_service``).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from customers.models import User
from customers.permissions import (
    ReadOnlyForSupportMixin,
    ResellerRequiredMixin,
    RoleRequiredMixin,
)

from ..models import Order, SeatBatch, Subscription
from ..services.changes import (
    ChangeRefused,
    cancellation_quotes,
    order_cancel,
    order_resubmit,
    removable_seats,
    seat_change,
    seat_change_quote,
)
from ..services.self_service import (
    SelfServiceCancelRefused,
    check_customer_may_cancel,
    is_customer_user,
    order_cancel_by_customer,
)
from .forms import SeatChangeForm


class OrderLookupMixin:
    def get_order(self):
        try:
            return Order.objects.visible_to(self.request.user).get(
                reference=self.kwargs["reference"]
            )
        except Order.DoesNotExist:
            raise Http404(_("No such order.")) from None

    def back_to(self, order):
        return redirect("orders:detail", reference=order.reference)


class ResellerOrderMixin(ReadOnlyForSupportMixin, ResellerRequiredMixin, OrderLookupMixin):
    pass


class ResubmitView(ResellerOrderMixin, View):
    def post(self, request, reference):
        order = self.get_order()
        try:
            order_resubmit(order=order, user=request.user)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Order %(reference)s was sent again.") % {"reference": order.reference}
            )
        return self.back_to(order)


class CancelView(ReadOnlyForSupportMixin, RoleRequiredMixin, OrderLookupMixin, TemplateView):
    """GET shows what cancelling would refund; POST places the cancellation.

    Reseller staff cancel their customers' orders; an end customer cancels its
    own, only where its reseller allows it (else a 403 that says whom to ask).
    """

    allowed_roles = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER)
    template_name = "orders/cancel_confirm.html"
    refused_template_name = "orders/cancel_refused.html"

    def refused(self, order, refusal):
        context = {"order": order, "message": refusal.message}
        return render(self.request, self.refused_template_name, context, status=403)

    def get(self, request, *args, **kwargs):
        if is_customer_user(request.user):
            order = self.get_order()
            try:
                check_customer_may_cancel(user=request.user, order=order)
            except SelfServiceCancelRefused as refusal:
                return self.refused(order, refusal)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        order = self.get_order()
        quotes = cancellation_quotes(order) if order.status == "completed" else []
        return super().get_context_data(
            order=order,
            quotes=quotes,
            refund_total=sum(q.refund_estimate for q in quotes),
            **kwargs,
        )

    def post(self, request, reference):
        order = self.get_order()
        try:
            if is_customer_user(request.user):
                follow_ups = order_cancel_by_customer(order=order, user=request.user)
            else:
                follow_ups = order_cancel(order=order, user=request.user)
        except SelfServiceCancelRefused as refusal:
            return self.refused(order, refusal)
        except ChangeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            numbers = ", ".join(f.reference for f in follow_ups)
            messages.success(
                request, _("Cancellation placed (%(numbers)s).") % {"numbers": numbers}
            )
        return self.back_to(order)


class SubscriptionChangeMixin(ResellerOrderMixin):
    def get_subscription(self):
        try:
            return (
                Subscription.objects.visible_to(self.request.user)
                .select_related("order", "product")
                .get(pk=self.kwargs["subscription_id"], order__reference=self.kwargs["reference"])
            )
        except Subscription.DoesNotExist:
            raise Http404(_("No such subscription.")) from None

    def place_seat_change(self, subscription, new_total):
        """Ask to confirm the change with its refund or charge; once confirmed, place it.

        Money comes back or goes out, so the first POST only shows what would happen
        (as cancelling does); the confirmation page posts again with ``confirm``.
        """
        if self.request.POST.get("confirm") != "yes":
            try:
                quote = seat_change_quote(subscription=subscription, new_total=new_total)
            except ChangeRefused as refused:
                messages.error(self.request, refused.message)
                return self.back_to(subscription.order)
            context = {"order": subscription.order, "quote": quote}
            return render(self.request, "orders/seat_change_confirm.html", context)
        try:
            change = seat_change(
                subscription=subscription, new_total=new_total, user=self.request.user
            )
        except ChangeRefused as refused:
            messages.error(self.request, refused.message)
            return self.back_to(subscription.order)
        messages.success(
            self.request, _("Seat change %(reference)s placed.") % {"reference": change.reference}
        )
        return redirect("orders:detail", reference=change.reference)


class SeatChangeView(SubscriptionChangeMixin, View):
    def post(self, request, reference, subscription_id):
        subscription = self.get_subscription()
        form = SeatChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the new number of seats as a whole number from 1."))
            return self.back_to(subscription.order)
        return self.place_seat_change(subscription, form.cleaned_data["seats"])


class SeatBatchCancelView(SubscriptionChangeMixin, View):
    """Remove the seats one batch added, while that batch's 7-day window is open."""

    def post(self, request, reference, subscription_id, batch_id):
        subscription = self.get_subscription()
        batch = SeatBatch.objects.filter(subscription=subscription, pk=batch_id).first()
        if batch is None:
            raise Http404(_("No such seat batch."))
        if batch.window_ends_at <= timezone.now() or not batch.seats_left:
            messages.error(
                request,
                _(
                    "The 7-day window for these seats has closed; they can be "
                    "reduced only at renewal."
                ),
            )
            return self.back_to(subscription.order)
        new_total = subscription.seats - min(batch.seats_left, removable_seats(subscription))
        return self.place_seat_change(subscription, new_total)

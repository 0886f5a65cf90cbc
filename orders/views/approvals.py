"""The reseller's queue of self-service orders waiting for approval, and its two actions."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from customers.permissions import ResellerRequiredMixin

from ..models import Order
from ..services.approvals import order_approve, order_decline
from ..services.changes import ChangeRefused
from .actions import ResellerOrderMixin
from .forms import DeclineForm

RECENT_DECISIONS_SHOWN = 20


class ApprovalQueueView(ResellerRequiredMixin, TemplateView):
    template_name = "orders/approval_queue.html"

    def get_context_data(self, **kwargs):
        orders = Order.objects.visible_to(self.request.user).select_related("customer", "placed_by")
        waiting = list(
            orders.filter(status=Order.Status.AWAITING_APPROVAL)
            .prefetch_related("lines")
            .order_by("placed_at", "pk")
        )
        decline_forms = kwargs.pop("decline_forms", {})
        for order in waiting:
            order.decline_form = decline_forms.get(order.pk) or DeclineForm(prefix=order.reference)
        decided = (
            orders.filter(
                channel=Order.Channel.SELF_SERVICE,
                events__action__in=["approve", "decline"],
            )
            .distinct()
            .prefetch_related("lines")
            .order_by("-updated_at")[:RECENT_DECISIONS_SHOWN]
        )
        return super().get_context_data(waiting=waiting, decided=decided, **kwargs)


class ApproveView(ResellerOrderMixin, View):
    def post(self, request, reference):
        order = self.get_order()
        try:
            order_approve(order=order, user=request.user)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Order %(reference)s approved: it is being sent.")
                % {"reference": order.reference},
            )
        return redirect("approvals:queue")


class DeclineView(ResellerOrderMixin, View):
    def post(self, request, reference):
        order = self.get_order()
        form = DeclineForm(request.POST, prefix=order.reference)
        if not form.is_valid():
            queue = ApprovalQueueView(request=request, kwargs={})
            context = queue.get_context_data(decline_forms={order.pk: form})
            return queue.render_to_response(context, status=400)
        try:
            order_decline(order=order, user=request.user, reason=form.cleaned_data["reason"])
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Order %(reference)s declined; the customer is told.")
                % {"reference": order.reference},
            )
        return redirect("approvals:queue")

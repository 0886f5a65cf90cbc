"""Support staff: one search across every reseller, and a read-only order page with everything."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from customers.models import User
from customers.permissions import RoleRequiredMixin
from orders.guidance import guidance_for
from orders.models import Order
from orders.paging import CountingPaginator
from orders.pipeline.reconciliation import orders_needing_a_person
from orders.refunds import refund_of
from orders.selectors import (
    order_for_page,
    order_search,
    order_timeline,
    support_overview,
    support_rows,
)
from orders.views.forms import SupportSearchForm

SUPPORT_ROLES = (User.Role.SUPPORT, User.Role.ADMIN)
NEEDING_A_PERSON_SHOWN = 50


class SupportSearchView(RoleRequiredMixin, ListView):
    allowed_roles = SUPPORT_ROLES
    template_name = "orders/support_search.html"
    context_object_name = "orders"
    paginate_by = 50
    paginator_class = CountingPaginator

    def get_queryset(self):
        self.form = SupportSearchForm(self.request.GET or None)
        query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        self.query = query
        if not query:
            return Order.objects.none()
        return order_search(
            support_rows(Order.objects.visible_to(self.request.user)), query
        ).order_by("-placed_at", "-pk")

    def get_context_data(self, **kwargs):
        needing_a_person = support_rows(orders_needing_a_person())
        return super().get_context_data(
            form=self.form,
            query=self.query,
            show_customer=True,
            show_reseller=True,
            needing_a_person=needing_a_person.order_by("unknown_since")[:NEEDING_A_PERSON_SHOWN],
            overview=None if self.query else support_overview(user=self.request.user),
            **kwargs,
        )


class SupportOrderView(RoleRequiredMixin, TemplateView):
    allowed_roles = SUPPORT_ROLES
    template_name = "orders/support_order.html"

    def get_context_data(self, **kwargs):
        try:
            order = order_for_page(
                Order.objects.visible_to(self.request.user), self.kwargs["reference"]
            )
        except Order.DoesNotExist:
            raise Http404(_("No such order.")) from None
        return super().get_context_data(
            order=order,
            refund=refund_of(order),
            lines=list(order.lines.all()),
            parameters=list(order.parameters.select_related("line")),
            attestations=list(order.attestations.select_related("accepted_by", "product")),
            timeline=order_timeline(order, with_exchanges=True),
            with_exchanges=True,
            exchange_count=order.exchanges.count(),
            subscriptions=list(order.subscriptions.select_related("product")),
            follow_ups=list(order.follow_ups.order_by("placed_at")),
            guidance=guidance_for(order.failure_message) if order.failure_message else None,
            **kwargs,
        )

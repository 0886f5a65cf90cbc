"""The order list and the order page (with its live timeline), for resellers and customers."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from customers.models import Customer, User
from customers.permissions import RoleRequiredMixin

from ..fixing import fix_place_for
from ..guidance import guidance_for
from ..models import Order, SeatBatch
from ..paging import CountingPaginator
from ..refunds import refund_of
from ..selectors import order_filter, order_for_page, order_rows, order_search, order_timeline
from ..services.changes import cancellation_quotes, removable_seats
from ..services.self_service import customer_cancel_allowed
from ..status_words import marketplace_number_pending
from ..stuck import stuck_state
from .forms import OrderFilterForm, SeatChangeForm

#: Poll the timeline while the order can still change by itself.
LIVE_STATUSES = {"placed", "submitting", "submitted", "processing", "unknown", "cancel_requested"}
READERS = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER, User.Role.SUPPORT, User.Role.ADMIN)


class OrderListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "orders/order_list.html"
    context_object_name = "orders"
    paginate_by = 25
    paginator_class = CountingPaginator

    def get_filter_form(self):
        customers = (
            Customer.objects.visible_to(self.request.user)
            .only("company_name")
            .order_by("company_name")
        )
        return OrderFilterForm(self.request.GET or None, customers=customers)

    def get_queryset(self):
        orders = order_rows(Order.objects.visible_to(self.request.user))
        self.filter_form = self.get_filter_form()
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            customer = data.get("customer")
            orders = order_filter(
                orders,
                status=data.get("status"),
                customer_id=customer.pk if customer else "",
                placed_from=data.get("placed_from"),
                placed_to=data.get("placed_to"),
            )
            orders = order_search(orders, data.get("q"))
        return orders.order_by("-placed_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            filter_query=query.urlencode(),
            show_customer=True,
            show_reseller=self.request.user.sees_everything,
        )
        return context


class OrderAccessMixin(RoleRequiredMixin):
    """Find the order named in the URL among those the user may see (else a 404)."""

    allowed_roles = READERS

    def get_order(self):
        if not hasattr(self, "_order"):
            try:
                self._order = order_for_page(
                    Order.objects.visible_to(self.request.user), self.kwargs["reference"]
                )
            except Order.DoesNotExist:
                raise Http404(_("No such order.")) from None
        return self._order


class OrderDetailView(OrderAccessMixin, TemplateView):
    template_name = "orders/order_detail.html"

    def get_context_data(self, **kwargs):
        order = self.get_order()
        user = self.request.user
        now = timezone.now()
        can_act = user.role == User.Role.RESELLER_STAFF and not user.is_read_only
        subscriptions = list(order.subscriptions.select_related("product"))
        for subscription in subscriptions:
            subscription.removable = removable_seats(subscription, now=now)
            subscription.open_change = subscription.change_orders.filter(
                status__in=["placed", "submitting", "submitted", "processing", "unknown"]
            ).first()
            subscription.batch_list = list(
                SeatBatch.objects.filter(subscription=subscription).order_by("added_at")
            )
            subscription.prefilled_seats = _seats_after_returning(
                subscription, self.request.GET.get("return_batch"), now
            )
        quotes = cancellation_quotes(order, now=now) if order.status == "completed" else []
        return super().get_context_data(
            order=order,
            refund=refund_of(order),
            lines=list(order.lines.all()),
            subscriptions=subscriptions,
            follow_ups=list(order.follow_ups.prefetch_related("lines").order_by("placed_at")),
            timeline=order_timeline(order, with_exchanges=user.sees_everything),
            with_exchanges=user.sees_everything,
            live=order.status in LIVE_STATUSES,
            numbers_pending=marketplace_number_pending(order),
            stuck=stuck_state(order, now=now),
            can_act=can_act,
            guidance=guidance_for(order.failure_message) if order.status == "failed" else None,
            fix_place=fix_place_for(order) if order.status == "failed" else None,
            failed_exchange=(
                order.exchanges.exclude(correlation_id="").order_by("-started_at").first()
                if order.status == "failed"
                else None
            ),
            support_contact=settings.MARKETPLACE_SUPPORT_CONTACT,
            quotes=quotes,
            can_cancel=can_act or customer_cancel_allowed(user=user, order=order),
            window_closed=(order.status == "completed" and order.kind == "sales" and not quotes),
            seat_form=SeatChangeForm(),
            now=now,
            **kwargs,
        )


class OrderTimelineView(OrderAccessMixin, TemplateView):
    """The status and timeline fragment the order page refreshes with htmx."""

    template_name = "orders/_timeline.html"

    def get_context_data(self, **kwargs):
        order = self.get_order()
        return super().get_context_data(
            order=order,
            timeline=order_timeline(order, with_exchanges=self.request.user.sees_everything),
            with_exchanges=self.request.user.sees_everything,
            live=order.status in LIVE_STATUSES,
            # The refund sits outside the timeline: each refresh brings the latest figure too.
            refreshed_refund=refund_of(order),
            **kwargs,
        )


class OrderNumbersView(OrderAccessMixin, TemplateView):
    """Our order number and the marketplace's, refreshed until the marketplace's is known."""

    template_name = "orders/_order_numbers.html"

    def get_context_data(self, **kwargs):
        order = self.get_order()
        return super().get_context_data(
            order=order, numbers_pending=marketplace_number_pending(order), **kwargs
        )


def _seats_after_returning(subscription, batch_id, now) -> int:
    """Return the seat total that gives back the batch a reminder links to, or today's total."""
    batch = next((b for b in subscription.batch_list if str(b.pk) == batch_id), None)
    if batch is None or batch.window_ends_at <= now or not batch.seats_left:
        return subscription.seats
    return max(1, subscription.seats - min(batch.seats_left, subscription.removable))

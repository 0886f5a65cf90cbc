"""The subscription pages: an end customer's own subscriptions (and, for its reseller, theirs).

Subscriptions are found through ``visible_to``: another customer's is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from customers.models import User
from customers.permissions import ReadOnlyForSupportMixin, RoleRequiredMixin
from customers.relationship_links import partner_invitation_url
from orders.models import Subscription
from orders.paging import CountingPaginator
from orders.selectors import subscription_rows
from orders.services.changes import (
    OPEN_STATUSES,
    ChangeRefused,
    adopted_cancellation_quote,
    adopted_subscription_cancel,
    seat_change,
    seat_change_quote,
)
from orders.services.renewal_changes import scheduled_changes
from orders.services.self_service import customer_can_cancel_now, is_customer_user
from relationships.models import PartnerRolesCheck
from relationships.partner_roles import ADMIN_CENTER_URL, CheckTooSoon, partner_roles_check

from .facts import subscription_facts

READERS = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER, User.Role.SUPPORT, User.Role.ADMIN)
#: How many earlier partner-roles checks the page lists.
CHECKS_SHOWN = 10
#: How many rows of the subscription's history the page shows, newest first.
HISTORY_SHOWN = 50
#: Who may ask the marketplace about partner roles (support reads only).
CHECKERS = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER, User.Role.ADMIN)

CHECK_MESSAGES = {
    PartnerRolesCheck.Outcome.NOTHING_PENDING: (
        messages.SUCCESS,
        _("No partner roles are waiting for your approval."),
    ),
    PartnerRolesCheck.Outcome.PENDING: (
        messages.WARNING,
        _("Your approval is needed: follow the steps below on the Microsoft admin portal."),
    ),
    PartnerRolesCheck.Outcome.TENANT_NOT_FOUND: (
        messages.WARNING,
        _("The marketplace did not find this subscription's Microsoft tenant."),
    ),
    # UNREACHABLE: the check's own message says whether the marketplace was out or busy.
}


def visible_subscription(user, pk) -> Subscription:
    """Return subscription ``pk`` if ``user`` may see it, else raise Http404."""
    try:
        return (
            Subscription.objects.visible_to(user)
            .select_related("product", "order", "customer__reseller")
            .get(pk=pk)
        )
    except Subscription.DoesNotExist:
        raise Http404(_("No such subscription.")) from None


def cancellable(subscription, facts) -> bool:
    """Tell whether cancelling the subscription's order would refund this subscription now."""
    order = subscription.order
    return (
        order is not None
        and facts.window_open
        and subscription.status == "active"
        and order.kind == order.Kind.SALES
        and order.status == order.Status.COMPLETED
    )


class SubscriptionListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "subscriptions/subscription_list.html"
    context_object_name = "subscriptions"
    paginate_by = 50
    paginator_class = CountingPaginator

    def get_queryset(self):
        return subscription_rows(
            Subscription.objects.visible_to(self.request.user),
            with_customer=self.shows_customer(),
        ).order_by("-created_at", "-pk")

    def shows_customer(self) -> bool:
        return not is_customer_user(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(show_customer=self.shows_customer(), **kwargs)


class SubscriptionDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS
    template_name = "subscriptions/subscription_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        subscription = visible_subscription(user, self.kwargs["pk"])
        now = timezone.now()
        facts = subscription_facts(subscription, now=now)
        order = subscription.order
        is_customer = is_customer_user(user)
        if is_customer and order is not None:
            allowed = customer_can_cancel_now(user=user, order=order, now=now)
        elif is_customer:
            allowed = False
        else:
            allowed = user.role == User.Role.RESELLER_STAFF and not user.is_read_only
        checks = list(subscription.partner_roles_checks.select_related("checked_by")[:CHECKS_SHOWN])
        last_check = checks[0] if checks else None
        return super().get_context_data(
            subscription=subscription,
            order=order,
            facts=facts,
            is_customer=is_customer,
            can_cancel=allowed and cancellable(subscription, facts),
            cancellation=order.follow_ups.filter(kind=order.Kind.CANCELLATION)
            .order_by("-placed_at")
            .first()
            if order is not None
            else None,
            can_change_seats=(
                subscription.is_adopted
                and subscription.status == "active"
                and not is_customer
                and user.role == User.Role.RESELLER_STAFF
                and not user.is_read_only
            ),
            open_change=subscription.change_orders.filter(status__in=OPEN_STATUSES).first(),
            history=subscription.history.select_related("actor_user").order_by("-created_at")[
                :HISTORY_SHOWN
            ],
            can_check=user.role in CHECKERS or user.is_superuser,
            scheduled=scheduled_changes(subscription),
            can_switch=(
                not is_customer
                and user.role == User.Role.RESELLER_STAFF
                and not user.is_read_only
                and subscription.status == "active"
            ),
            last_check=last_check,
            checks=checks,
            invitation_url=(
                partner_invitation_url()
                if last_check and last_check.outcome == PartnerRolesCheck.Outcome.PENDING
                else ""
            ),
            admin_center_url=ADMIN_CENTER_URL,
            now=now,
            **kwargs,
        )


class PartnerRolesCheckView(ReadOnlyForSupportMixin, RoleRequiredMixin, View):
    """POST: ask the marketplace whether the tenant waits on a partner-role approval."""

    allowed_roles = CHECKERS
    http_method_names = ["post"]

    def post(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        try:
            check = partner_roles_check(subscription=subscription, user=request.user)
        except CheckTooSoon as too_soon:
            messages.info(request, f"{too_soon} {last_result(too_soon.last_check)}".strip())
            return redirect("subscriptions:detail", pk=subscription.pk)
        messages.add_message(request, *check_message(check))
        return redirect("subscriptions:detail", pk=subscription.pk)


def check_message(check) -> tuple[int, str]:
    """Return the message level and words for a partner-roles check's answer."""
    return CHECK_MESSAGES.get(check.outcome, (messages.ERROR, check.message))


def last_result(check) -> str:
    """Say what the customer's last partner-roles check answered, and when, for which tenant."""
    if check is None:
        return ""
    at = timezone.localtime(check.checked_at).strftime("%H:%M:%S")
    return f"Last result ({check.tenant or 'no tenant'}, {at}): {check_message(check)[1]}"


class SubscriptionSeatsView(ReadOnlyForSupportMixin, RoleRequiredMixin, View):
    """POST: change the seats of an adopted subscription (one bought outside this product).

    The same follow-up-order services as on the order page: the first POST shows the charge or
    refund to confirm, the confirmation places the change order.
    """

    allowed_roles = (User.Role.RESELLER_STAFF,)
    http_method_names = ["post"]

    def post(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        back = redirect("subscriptions:detail", pk=subscription.pk)
        raw = request.POST.get("seats", "")
        if not raw.isdigit() or int(raw) < 1:
            messages.error(request, _("Enter the new number of seats as a whole number from 1."))
            return back
        new_total = int(raw)
        try:
            if request.POST.get("confirm") != "yes":
                quote = seat_change_quote(subscription=subscription, new_total=new_total)
                context = {"order": subscription.order, "quote": quote}
                return render(request, "orders/seat_change_confirm.html", context)
            change = seat_change(subscription=subscription, new_total=new_total, user=request.user)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
            return back
        messages.success(
            request, _("Seat change %(reference)s placed.") % {"reference": change.reference}
        )
        return redirect("orders:detail", reference=change.reference)


class AdoptedCancelView(ReadOnlyForSupportMixin, RoleRequiredMixin, View):
    """Cancel an adopted subscription inside its 7-day window: GET asks to confirm with the
    estimated refund, POST places the cancellation order (the same follow-up as an order's)."""

    allowed_roles = (User.Role.RESELLER_STAFF,)

    def get(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        try:
            quote = adopted_cancellation_quote(subscription=subscription)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
            return redirect("subscriptions:detail", pk=subscription.pk)
        context = {"subscription": subscription, "quote": quote}
        return render(request, "subscriptions/cancel_confirm.html", context)

    def post(self, request, pk):
        subscription = visible_subscription(request.user, pk)
        try:
            cancellation = adopted_subscription_cancel(subscription=subscription, user=request.user)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
            return redirect("subscriptions:detail", pk=subscription.pk)
        messages.success(
            request,
            _("Cancellation %(reference)s placed.") % {"reference": cancellation.reference},
        )
        return redirect("orders:detail", reference=cancellation.reference)

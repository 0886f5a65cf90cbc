"""The subscription pages: an end customer's own subscriptions (and, for its reseller, theirs).

Subscriptions are found through ``visible_to``: another customer's is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from customers.models import User
from customers.permissions import ReadOnlyForSupportMixin, RoleRequiredMixin
from customers.relationship_links import partner_invitation_url
from orders.models import Subscription
from orders.services.self_service import customer_can_cancel_now, is_customer_user
from relationships.models import PartnerRolesCheck
from relationships.partner_roles import ADMIN_CENTER_URL, CheckTooSoon, partner_roles_check

from .facts import subscription_facts

READERS = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER, User.Role.SUPPORT, User.Role.ADMIN)
#: How many earlier partner-roles checks the page lists.
CHECKS_SHOWN = 10
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
        facts.window_open
        and subscription.status == "active"
        and order.kind == order.Kind.SALES
        and order.status == order.Status.COMPLETED
    )


class SubscriptionListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "subscriptions/subscription_list.html"
    context_object_name = "subscriptions"
    paginate_by = 50

    def get_queryset(self):
        return (
            Subscription.objects.visible_to(self.request.user)
            .select_related("product", "order", "customer")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            show_customer=not is_customer_user(self.request.user), **kwargs
        )


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
        if is_customer:
            allowed = customer_can_cancel_now(user=user, order=order, now=now)
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
            .first(),
            can_check=user.role in CHECKERS or user.is_superuser,
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

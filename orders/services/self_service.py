"""End customers cancelling their own orders, where their reseller lets them.

The reseller decides (``Reseller.self_service_cancel_allowed``); the cancellation
itself is the reseller's own (``order_cancel``): the same 7-day window, the same
follow-up orders, recorded with the customer's user as the actor. The reseller
is told by e-mail, as it is of a self-service order waiting for approval.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Order
from .changes import ChangeRefused, cancellation_quotes, order_cancel

logger = logging.getLogger(__name__)

NOT_ALLOWED = _(
    "%(reseller)s has not turned on cancellation by customers, so this order cannot be "
    "cancelled here. Ask %(reseller)s to cancel it for you while its 7-day window is open."
)


class SelfServiceCancelRefused(ChangeRefused):
    """The customer may not cancel this order themselves; ``message`` says why and whom to ask."""


def is_customer_user(user) -> bool:
    return (
        user.is_authenticated
        and not user.is_superuser
        and user.role == user.Role.CUSTOMER_USER
        and bool(user.customer_id)
    )


def customer_cancel_allowed(*, user, order: Order) -> bool:
    """Tell whether ``user`` (an end customer) may cancel ``order`` by themselves at all."""
    reseller = order.reseller
    return (
        is_customer_user(user)
        and order.customer_id == user.customer_id
        and reseller.self_service_enabled
        and reseller.self_service_cancel_allowed
    )


def customer_can_cancel_now(*, user, order: Order, now=None) -> bool:
    """Tell whether a Cancel should be offered: allowed, a completed purchase, window open."""
    return (
        customer_cancel_allowed(user=user, order=order)
        and order.kind == Order.Kind.SALES
        and order.status == Order.Status.COMPLETED
        and bool(cancellation_quotes(order, now=now))
    )


def check_customer_may_cancel(*, user, order: Order) -> None:
    """Raise SelfServiceCancelRefused unless ``user`` may cancel ``order`` themselves."""
    if not customer_cancel_allowed(user=user, order=order):
        raise SelfServiceCancelRefused(NOT_ALLOWED % {"reseller": order.reseller.name})


def order_cancel_by_customer(*, order: Order, user) -> list[Order]:
    """Cancel ``order`` for its end customer, as the reseller would.

    The reseller is told by the mail listening to ``cancellation_requested`` (orders/listeners.py):
    the event is recorded with the customer's user as its actor.
    """
    check_customer_may_cancel(user=user, order=order)
    return order_cancel(order=order, user=user, channel=Order.Channel.SELF_SERVICE)


def notify_reseller_of_cancellation(order_id: int) -> None:
    """Tell the reseller's staff that an end customer cancelled an order through self-service."""
    order = Order.objects.select_related("customer", "reseller").get(pk=order_id)
    recipients = order.reseller.staff_emails()
    subject = f"{order.customer.company_name} cancelled order {order.reference}"
    if not recipients:
        logger.info("Order %s: no recipient for %r", order.reference, subject)
        return
    url = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "orders:detail", kwargs={"reference": order.reference}
    )
    context = {"order": order, "follow_ups": list(order.follow_ups.all()), "url": url}
    try:
        send_mail(
            subject,
            render_to_string("orders/email/self_service_cancelled.txt", context),
            None,
            recipients,
        )
    except Exception:
        # The order page shows the same news; mail is a courtesy.
        logger.exception("Order %s: could not send %r", order.reference, subject)

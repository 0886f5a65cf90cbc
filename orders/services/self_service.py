"""End customers cancelling their own orders, where their reseller lets them.

The reseller decides (``Reseller.self_service_cancel_allowed``); the cancellation
itself is the reseller's own (``order_cancel``): the same 7-day window, the same
follow-up orders, recorded with the customer's user as the actor. The reseller
is told by e-mail, as it is of a self-service order waiting for approval.
"""

from django.utils.translation import gettext_lazy as _

from mail.services import email_send, user_recipient

from .. import mail_kinds
from ..models import Order
from .changes import ChangeRefused, cancellation_quotes, order_cancel

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
    staff = order.reseller.staff.filter(is_active=True).exclude(email="")
    email_send(
        key=mail_kinds.SELF_SERVICE_CANCELLED,
        reseller=order.reseller,
        recipients=[user_recipient(user) for user in staff],
        context=lambda: mail_kinds.cancellation_context(order),
    )

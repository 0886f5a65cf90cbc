"""An order's state and history in the words of the one reading it."""

from django import template

from customers.models import User
from orders.cause_words import cause_in_language
from orders.models import Order
from orders.services.self_service import customer_cancel_allowed
from orders.status_words import marketplace_status_words, plain_cause
from orders.subscription_events import Kind

register = template.Library()


def _reads_codes(context) -> bool:
    """Support staff and admins quote the marketplace's codes to the distributor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.sees_everything)


@register.simple_tag(takes_context=True)
def marketplace_status(context, order) -> str:
    """Return the order's upstream status: codes for support, words for everyone else."""
    if _reads_codes(context):
        return f"{order.upstream_status}, {order.upstream_status_code}"
    return marketplace_status_words(order.upstream_status, order.upstream_status_code)


@register.simple_tag(takes_context=True)
def event_cause(context, event) -> str:
    """Return the event's cause in the reader's language (orders.cause_words), with the
    marketplace's codes as stored for support and in words for everyone else."""
    if _reads_codes(context):
        return cause_in_language(event.cause)
    return plain_cause(event.cause)


@register.filter
def cause_words(cause: str) -> str:
    """Return a stored history sentence (a subscription event's) in the reader's language."""
    return cause_in_language(cause)


@register.filter
def subscription_event_kind(kind: str) -> str:
    """Return what happened to a subscription in words: "renewed" becomes "Renewed"."""
    return Kind(kind).label if kind in Kind.values else kind.capitalize()


@register.filter
def status_label(status: str) -> str:
    """Return an order status in words: "processing" becomes "Processing"."""
    return Order.Status(status).label if status in Order.Status.values else status


@register.simple_tag(takes_context=True)
def may_cancel_yourself(context, order) -> bool:
    """Tell whether the reader may cancel ``order`` themselves (in its window).

    Reseller staff always may; an end customer only where its reseller lets customers
    cancel. Everyone else is told whom to ask.
    """
    user = context["request"].user
    if getattr(user, "role", None) == User.Role.RESELLER_STAFF:
        return True
    return customer_cancel_allowed(user=user, order=order)

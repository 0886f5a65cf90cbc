"""The refund an order brings, for tables that list orders beside purchases."""

from django import template

from orders.refunds import refund_of

register = template.Library()


@register.filter
def order_refund(order):
    """Return the order's best known refund (the marketplace's figure first), or None."""
    return refund_of(order)

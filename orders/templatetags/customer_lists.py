"""The customer page's orders and subscriptions: orders reads them (customers sits below it)."""

from django import template

from orders.models import Order, Subscription

register = template.Library()

#: The customer page lists this many of the customer's newest orders.
ORDERS_SHOWN = 50


@register.simple_tag(takes_context=True)
def customer_orders(context, customer):
    """Return the newest orders of ``customer`` the signed-in user may see, with their lines."""
    user = context["request"].user
    orders = Order.objects.visible_to(user).filter(customer=customer).prefetch_related("lines")
    return orders[:ORDERS_SHOWN]


@register.simple_tag(takes_context=True)
def customer_subscriptions(context, customer):
    """Return the subscriptions of ``customer`` the signed-in user may see, with their product."""
    user = context["request"].user
    return Subscription.objects.visible_to(user).filter(customer=customer).select_related("product")

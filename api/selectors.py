"""Reads for the API: every queryset is cut down to the token's reseller first.

The models' own ``ScopedQuerySet`` lookups decide what belongs to a reseller,
as ``visible_to`` does for signed-in staff; another reseller's row is simply
not found (a 404).
"""

from django.db.models import F, Q

from catalog.models import Segment
from catalog.selectors import ProductFilters, product_search
from customers.models import Customer
from orders.models import Order, Subscription
from orders.selectors import order_filter


def scoped(queryset, token):
    """Return the rows of ``queryset`` that belong to ``token``'s reseller."""
    return queryset.filter(**{queryset.reseller_lookup: token.reseller_id})


def page(queryset, *, after: int | None, limit: int, descending: bool = False):
    """Return one page of ``queryset`` ordered by id, and whether another page follows."""
    order = "-pk" if descending else "pk"
    if after is not None:
        queryset = queryset.filter(pk__lt=after) if descending else queryset.filter(pk__gt=after)
    rows = list(queryset.order_by(order)[: limit + 1])
    return rows[:limit], len(rows) > limit


def api_products(*, segment, term, billing, query):
    filters = ProductFilters(
        segment=segment or Segment.COMMERCIAL, query=query, term=term, billing=billing
    )
    return product_search(filters=filters)


def api_customers(token, *, query=""):
    customers = scoped(Customer.objects.all(), token)
    if query:
        customers = customers.filter(
            Q(company_name__icontains=query)
            | Q(tenant_domain__istartswith=query.lower())
            | Q(upstream_customer_id=query)
        )
    return customers


def api_orders(token, *, status="", customer_id=None):
    orders = scoped(Order.objects.all(), token)
    return order_filter(orders, status=status, customer_id=customer_id or "")


def api_order(token, reference) -> Order | None:
    """Return the token's reseller's order ``reference``, with its parent's reference only."""
    return (
        scoped(Order.objects.all(), token)
        .annotate(parent_reference=F("parent__reference"))
        .filter(reference=reference)
        .first()
    )


def api_subscriptions(
    token, *, customer_id=None, status=None, origin=None, renews_from=None, renews_until=None
):
    """Return the token's reseller's subscriptions, filtered (issue 23)."""
    subscriptions = scoped(Subscription.objects.all(), token).select_related("product", "order")
    if customer_id is not None:
        subscriptions = subscriptions.filter(customer_id=customer_id)
    if status:
        subscriptions = subscriptions.filter(status=status)
    if origin:
        subscriptions = subscriptions.filter(origin=origin)
    if renews_from is not None:
        subscriptions = subscriptions.filter(renewal_date__gte=renews_from)
    if renews_until is not None:
        subscriptions = subscriptions.filter(renewal_date__lte=renews_until)
    return subscriptions

"""Reads of orders for pages: filters, searches, timelines."""

from django.db.models import Q

from .models import Order

SEARCH_HELP = "Order number, marketplace number, PO number or tenant domain"


def order_search(queryset, query: str):
    """Filter ``queryset`` by an order number, upstream number, PO, domain or customer name."""
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(reference__iexact=query)
        | Q(upstream_order_number__iexact=query)
        | Q(upstream_order_id=query)
        | Q(po_number__icontains=query)
        | Q(customer__tenant_domain__icontains=query)
        | Q(parameters__name="microsoft_domain", parameters__value__icontains=query)
        | Q(customer__company_name__icontains=query)
        | Q(customer__upstream_customer_id=query)
    ).distinct()


def order_filter(queryset, *, status="", customer_id="", placed_from=None, placed_to=None):
    if status:
        queryset = queryset.filter(status=status)
    if customer_id:
        queryset = queryset.filter(customer_id=customer_id)
    if placed_from:
        queryset = queryset.filter(placed_at__date__gte=placed_from)
    if placed_to:
        queryset = queryset.filter(placed_at__date__lte=placed_to)
    return queryset


def order_for_page(queryset, reference: str) -> Order:
    """Return the order with its related rows, or raise Order.DoesNotExist."""
    return queryset.select_related(
        "customer", "reseller", "placed_by", "parent", "subscription"
    ).get(reference=reference)

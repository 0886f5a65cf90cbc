"""Reads of orders for pages: filters, searches, timelines."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from .models import Order, OrderEvent, UpstreamExchange

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


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an order's timeline: an event of its history, or an upstream exchange."""

    at: datetime
    event: OrderEvent | None = None
    exchange: UpstreamExchange | None = None


def order_timeline(order: Order, *, with_exchanges: bool) -> list[TimelineEntry]:
    """Return the order's events, and for support staff its upstream exchanges, by time.

    Each exchange carries its stored (redacted, bounded) bodies as indented JSON in
    ``request_json`` and ``response_json``.
    """
    entries = [
        TimelineEntry(at=event.created_at, event=event)
        for event in order.events.select_related("actor_user")
    ]
    if with_exchanges:
        for exchange in order.exchanges.all():
            exchange.request_json = _pretty(exchange.request_body)
            exchange.response_json = _pretty(exchange.response_body)
            exchange.truncated = isinstance(exchange.response_body, dict) and bool(
                exchange.response_body.get("truncated")
            )
            entries.append(TimelineEntry(at=exchange.started_at, exchange=exchange))
    # Stable: an exchange that led to an event sorts before it when both share a moment.
    entries.sort(key=lambda entry: (entry.at, entry.event is not None))
    return entries


def _pretty(body) -> str:
    if body is None:
        return ""
    return json.dumps(body, indent=2, ensure_ascii=False)

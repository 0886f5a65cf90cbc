"""Reads of orders for pages: filters, searches, timelines."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderEvent, OrderLine, OrderParameter, UpstreamExchange
from .reference import PREFIX as REFERENCE_PREFIX
from .stuck import stuck_orders

SEARCH_HELP = _("Order number, marketplace number, PO number or tenant domain")
#: What support's order tables show (orders/_support_orders.html, the orders that need a
#: person): a row loads these columns, not the forty of an order and its two companies.
SUPPORT_ROW_FIELDS = ("reference", "status", "placed_at", "unknown_since", "upstream_order_number")


def support_rows(queryset):
    """Return ``queryset`` with what support's order tables show, and nothing more: the
    companies' names as ``reseller_name`` and ``customer_name`` (no company rows built)."""
    return queryset.only(*SUPPORT_ROW_FIELDS).annotate(
        reseller_name=F("reseller__name"), customer_name=F("customer__company_name")
    )


#: What an order table shows (includes/order_table.html: its status, placing, total or refund
#: from orders.refunds): a row loads these columns and its companies' names, nothing more.
ORDER_ROW_FIELDS = (
    "reference",
    "kind",
    "status",
    "placed_at",
    "currency",
    "total",
    "marketplace_refund",
    "marketplace_refund_currency",
    "marketplace_refund_basis",
)


#: What a subscription table shows (subscriptions/_table.html).
SUBSCRIPTION_ROW_FIELDS = (
    "origin",
    "status",
    "seats",
    "tenant_domain",
    "tenant_id",
    "renewal_date",
    "product__name",
)


def subscription_rows(queryset, *, with_customer: bool = False):
    """Return ``queryset`` with what a subscription table shows (its customer's name only when
    the table has a customer column), and nothing more."""
    if with_customer:
        return queryset.select_related("product", "customer").only(
            *SUBSCRIPTION_ROW_FIELDS, "customer__company_name"
        )
    return queryset.select_related("product").only(*SUBSCRIPTION_ROW_FIELDS)


#: Where ``order_rows`` puts each order's lines (what the table's totals read of them): a plain
#: list, not ``order.lines``, whose prefetch builds a filtered queryset per order (1 ms for 25).
LISTED_LINES = "listed_lines"


def order_rows(queryset, *, with_companies: bool = True):
    """Return ``queryset`` with what an order table shows (its lines too), and nothing more."""
    lines = Prefetch(
        "lines",
        queryset=OrderLine.objects.only(
            "order", "billing_period", "currency", "unit_price", "quantity"
        ),
        to_attr=LISTED_LINES,
    )
    if not with_companies:
        return queryset.only(*ORDER_ROW_FIELDS).prefetch_related(lines)
    return (
        queryset.select_related("customer", "reseller")
        .only(*ORDER_ROW_FIELDS, "customer__company_name", "reseller__name")
        .prefetch_related(lines)
    )


def order_search(queryset, query: str):
    """Filter ``queryset`` by an order number, upstream number, PO, domain or customer name.

    Our order number matches from its start, with or without its "NCE-": "NCE-", "NCE-7K"
    and "7K2M" all find NCE-7K2M9QXD.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    number = query.upper()
    # An EXISTS, not a join: a join on the parameters repeats orders, and the DISTINCT that
    # undoes it sorts every match (the page's count runs it a second time).
    new_domain = OrderParameter.objects.filter(
        order=OuterRef("pk"), name="microsoft_domain", value__icontains=query
    )
    return queryset.filter(
        Q(reference__startswith=number)
        | Q(reference__startswith=REFERENCE_PREFIX + number)
        | Q(upstream_order_number__iexact=query)
        | Q(upstream_order_id=query)
        | Q(po_number__icontains=query)
        | Q(customer__tenant_domain__icontains=query)
        | Exists(new_domain)
        | Q(customer__company_name__icontains=query)
        | Q(customer__upstream_customer_id=query)
    )


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


@dataclass(frozen=True)
class SupportOverview:
    """Support's first page, across resellers: what needs a look, newest first."""

    failed: list
    stuck: list
    waiting: list
    recent: list

    @property
    def sections(self) -> list[tuple[str, str, list]]:
        return [
            ("failed", _("Failed"), self.failed),
            ("stuck", _("Stuck upstream (provisioning for longer than usual)"), self.stuck),
            (
                "waiting",
                _("Waiting (for a reseller's approval or a customer's acceptance)"),
                self.waiting,
            ),
            ("recent", _("Placed most recently"), self.recent),
        ]


def support_overview(*, user, per_section: int = 20, now=None) -> SupportOverview:
    """Return the recent, failed, stuck and waiting orders ``user`` may see, per section."""
    orders = support_rows(Order.objects.visible_to(user))
    newest = ("-placed_at", "-pk")
    waiting = orders.filter(
        Q(status=Order.Status.AWAITING_APPROVAL)
        | Q(status=Order.Status.FAILED, relationship_watch__state="watching")
    )
    return SupportOverview(
        failed=list(orders.filter(status=Order.Status.FAILED).order_by(*newest)[:per_section]),
        stuck=list(
            orders.filter(pk__in=stuck_orders(now).values("pk")).order_by(*newest)[:per_section]
        ),
        waiting=list(waiting.order_by(*newest)[:per_section]),
        recent=list(orders.order_by(*newest)[:per_section]),
    )

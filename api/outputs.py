"""What the API answers: typed schemas (for the OpenAPI document) and the rows they are made from.

Each ``<resource>_data`` function turns a row into a dict; the endpoint's
response schema validates it on the way out, so the document and the answers
cannot drift apart.
"""

from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import F
from pydantic import BaseModel, Field

from orders.refunds import refund_of
from orders.services.changes import cancellation_quotes


class Out(BaseModel):
    """An answer's schema: plain pydantic (ninja's Schema resolves ORM attributes, unused here,
    and costs some fifty times more per row)."""


Money = str
Stamp = datetime | None


class ProductOut(Out):
    id: int
    mpn: str
    vendor: str
    name: str
    segment: str
    term: str
    billing: str
    unit_price: Money = Field(
        examples=["6.00"],
        description="Your selling price (your price book, for the customer asked or any).",
    )
    currency: str
    list_price: Money = Field(examples=["6.00"], description="The marketplace's list price.")
    unit_cost: Money | None = Field(examples=["4.80"], description="Your cost, if known.")
    margin: Money | None = Field(examples=["1.20"], description="unit_price − unit_cost.")
    price_source: str = Field(description="The price book rule that gave unit_price.")
    minimum_quantity: int
    maximum_quantity: int
    offer_attestation_required: bool
    offer_attestation_text: str | None


class TenantOut(Out):
    domain: str | None
    tenant_id: str | None
    relationship: str = Field(description="unknown, requested or accepted")


class CustomerOut(Out):
    id: int
    company_name: str
    country: str
    city: str
    upstream_customer_id: str | None
    tenant: TenantOut
    agreement_accepted_on: str | None = Field(description="MM-DD-YYYY")
    special_qualification: str
    education_segment: str | None


class RefundOut(Out):
    amount: Money = Field(examples=["24.00"])
    currency: str
    basis: str = Field(
        description=(
            "estimated_here (our prorated estimate, before the marketplace answered), "
            "estimated (the marketplace's figure while the order is open) or confirmed "
            "(the marketplace's figure on the completed order)"
        )
    )
    our_estimate: Money | None = Field(
        description="Our estimate when the order was placed, beside the marketplace's figure."
    )


class OrderSummaryOut(Out):
    reference: str
    kind: str
    status: str
    status_label: str
    customer_id: int
    po_number: str
    total: Money = Field(
        description=(
            "A purchase: its total per billing period; a cancellation: the refund we estimated; "
            "a seat change: what it adds per period (negative: a reduction's estimated refund)."
        )
    )
    currency: str
    refund: RefundOut | None = Field(
        description="A cancellation's or seat reduction's refund, and whose figure it is."
    )
    channel: str
    upstream_order_number: str | None
    placed_at: Stamp
    completed_at: Stamp
    details_pending: bool = Field(
        description=(
            "Completed, and its detail not yet read from the marketplace: a purchase's "
            "subscriptions (and a follow-up's refund) appear within minutes. A purchase "
            "cannot be cancelled until they do."
        )
    )


class FailureOut(Out):
    message: str
    guidance: str


class LineOut(Out):
    product_id: int | None
    mpn: str
    name: str
    term: str
    billing: str
    quantity: int
    unit_price: Money = Field(description="The selling price of one seat, at placement.")
    currency: str
    unit_cost: Money | None = Field(description="Your cost of one seat at placement, if known.")
    margin: Money | None = Field(description="unit_price − unit_cost.")
    price_source: str = Field(description="The price book rule that gave unit_price.")


class ParameterOut(Out):
    name: str
    value: Any
    line: int | None = Field(description="The index of the line it belongs to, or null.")


class SubscriptionOut(Out):
    id: str
    product_id: int | None
    status: str
    seats: int
    tenant_domain: str | None
    created_at: Stamp
    cancellation_window_ends_at: Stamp


class CancellationQuoteOut(Out):
    subscription_id: str
    refund_estimate: Money
    currency: str
    window_ends_at: Stamp


class EventOut(Out):
    at: Stamp
    from_status: str | None
    to_status: str | None
    action: str
    cause: str
    actor: str


class OrderOut(OrderSummaryOut):
    parent_reference: str | None
    upstream_order_id: str | None
    failure: FailureOut | None
    lines: list[LineOut]
    parameters: list[ParameterOut]
    subscriptions: list[SubscriptionOut]
    cancellation: list[CancellationQuoteOut] = Field(
        description="Per subscription still cancellable: the refund estimate."
    )
    events: list[EventOut]


class CancelledOut(OrderOut):
    cancellation_orders: list[OrderSummaryOut]


class ReadyOut(Out):
    ready: bool = Field(description="Always true: an order with problems gets a 422.")
    total: Money
    currency: str | None
    coterm_ends_on: date | None = Field(
        None, description="A co-termed order: the day its new subscriptions end."
    )
    first_charge: Money | None = Field(
        None, description="A co-termed order: the prorated charge of its first billing period."
    )


class ProductPage(Out):
    results: list[ProductOut]
    next_cursor: str | None


class CustomerPage(Out):
    results: list[CustomerOut]
    next_cursor: str | None


class OrderPage(Out):
    results: list[OrderSummaryOut]
    next_cursor: str | None


class ProblemItem(Out):
    detail: str
    pointer: str | None = Field(None, description="JSON pointer of the body field concerned.")
    parameter: str | None = Field(None, description="The query or path parameter concerned.")
    header: str | None = Field(None, description="The header concerned.")
    fix: str | None = Field(None, description="What to do about it.")


class Problem(Out):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] | None = None


def product_data(product, price) -> dict:
    """``price``: the reseller's ``pricing.selectors.ResolvedPrice`` of ``product``."""
    return {
        "id": product.pk,
        "mpn": product.mpn,
        "vendor": product.vendor,
        "name": product.name,
        "segment": product.segment,
        "term": product.term,
        "billing": product.billing_period,
        "unit_price": str(price.price),
        "currency": product.currency,
        "list_price": str(product.price),
        "unit_cost": _money_or_none(price.cost),
        "margin": _money_or_none(price.margin),
        "price_source": price.source,
        "minimum_quantity": product.minimum_quantity,
        "maximum_quantity": product.maximum_quantity,
        "offer_attestation_required": product.offer_attestation_required,
        "offer_attestation_text": product.offer_attestation_text or None,
    }


def customer_data(customer) -> dict:
    return {
        "id": customer.pk,
        "company_name": customer.company_name,
        "country": str(customer.country),
        "city": customer.city,
        "upstream_customer_id": customer.upstream_customer_id or None,
        "tenant": {
            "domain": customer.tenant_domain or None,
            "tenant_id": str(customer.tenant_id) if customer.tenant_id else None,
            "relationship": customer.relationship,
        },
        "agreement_accepted_on": (
            customer.mca_accepted_on.strftime("%m-%d-%Y") if customer.mca_accepted_on else None
        ),
        "special_qualification": customer.qualification,
        "education_segment": customer.education_segment or None,
    }


def refund_data(refund) -> dict | None:
    if refund is None:
        return None
    return {
        "amount": str(refund.amount),
        "currency": refund.currency,
        "basis": refund.basis,
        "our_estimate": (
            str(refund.our_estimate)
            if refund.from_marketplace and refund.our_estimate is not None
            else None
        ),
    }


def order_summary_data(order) -> dict:
    return {
        "reference": order.reference,
        "kind": order.kind,
        "status": order.status,
        "status_label": order.get_status_display(),
        "customer_id": order.customer_id,
        "po_number": order.po_number,
        "total": str(order.total),
        "currency": order.currency,
        "refund": refund_data(refund_of(order)),
        "channel": order.channel,
        "upstream_order_number": order.upstream_order_number or None,
        "placed_at": order.placed_at,
        "completed_at": order.completed_at,
        "details_pending": order.details_pending,
    }


def order_data(order) -> dict:
    """Return everything an integrator needs to track ``order``."""
    # By id: the lines' own ordering (their order's date, then id) joins the order to sort
    # rows that all belong to this one.
    lines = list(order.lines.order_by("pk"))
    line_index = {line.pk: index for index, line in enumerate(lines)}
    return {
        **order_summary_data(order),
        "parent_reference": _parent_reference(order),
        "upstream_order_id": order.upstream_order_id or None,
        "failure": (
            {"message": order.failure_message, "guidance": order.failure_guidance}
            if order.failure_message
            else None
        ),
        "lines": [
            {
                "product_id": line.product_id,
                "mpn": line.mpn,
                "name": line.name,
                "term": line.term,
                "billing": line.billing_period,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "currency": line.currency,
                "unit_cost": _money_or_none(line.unit_cost),
                "margin": _money_or_none(line.unit_margin),
                "price_source": line.price_source,
            }
            for line in lines
        ],
        "parameters": [
            {
                "name": parameter.name,
                "value": (
                    parameter.structured_value
                    if parameter.structured_value is not None
                    else parameter.value
                ),
                "line": line_index[parameter.line_id] if parameter.line_id else None,
            }
            for parameter in _parameters(order)
        ],
        "subscriptions": [
            {
                "id": subscription.upstream_id,
                "product_id": subscription.product_id,
                "status": subscription.status,
                "seats": subscription.seats,
                "tenant_domain": subscription.tenant_domain or None,
                "created_at": subscription.created_at,
                "cancellation_window_ends_at": subscription.cancellation_window_ends_at,
            }
            for subscription in order.subscriptions.all()
        ],
        "cancellation": [
            {
                "subscription_id": quote.subscription.upstream_id,
                "refund_estimate": str(quote.refund_estimate),
                "currency": quote.currency,
                "window_ends_at": quote.subscription.cancellation_window_ends_at,
            }
            for quote in (cancellation_quotes(order) if order.status == "completed" else [])
        ],
        "events": [
            {
                "at": event.created_at,
                "from_status": event.from_status or None,
                "to_status": event.to_status or None,
                "action": event.action,
                "cause": event.cause,
                "actor": event.actor,
            }
            for event in order.events.all()
        ],
    }


# Issue 23: subscriptions, ordered here or adopted from the estate.


class SubscriptionListOut(Out):
    id: int
    upstream_id: str = Field(description="The marketplace's subscription id.")
    customer_id: int
    origin: str = Field(description="ordered (bought through this product) or adopted")
    order_reference: str | None = Field(description="The order that bought it; null if adopted.")
    product_id: int
    mpn: str
    name: str
    status: str
    seats: int
    auto_renew: bool | None
    renewal_date: str | None = Field(description="YYYY-MM-DD")
    created_at: datetime
    synced_at: Stamp


class SubscriptionPage(Out):
    results: list[SubscriptionListOut]
    next_cursor: str | None


def subscription_data(subscription) -> dict:
    return {
        "id": subscription.pk,
        "upstream_id": subscription.upstream_id,
        "customer_id": subscription.customer_id,
        "origin": subscription.origin,
        "order_reference": subscription.order.reference if subscription.order_id else None,
        "product_id": subscription.product_id,
        "mpn": subscription.product.mpn,
        "name": subscription.product.name,
        "status": subscription.status,
        "seats": subscription.seats,
        "auto_renew": subscription.auto_renew,
        "renewal_date": subscription.renewal_date.isoformat()
        if subscription.renewal_date
        else None,
        "created_at": subscription.created_at,
        "synced_at": subscription.synced_at,
    }


def _parent_reference(order) -> str | None:
    """The parent order's reference: annotated by selectors.api_order, else read."""
    if not order.parent_id:
        return None
    if hasattr(order, "parent_reference"):
        return order.parent_reference
    return order.parent.reference


def _parameters(order):
    """Return ``order``'s parameters in OrderParameter's order, without the joins it takes.

    That ordering (order, line, id) sorts by the order's and each line's order's date
    and id, all the same here: what is left is the line, then the id, with the order's own
    parameters (no line) where the database puts a missing value in a descending sort.
    """
    if connection.features.nulls_order_largest:
        by_line = F("line_id").asc(nulls_first=True)
    else:
        by_line = F("line_id").asc(nulls_last=True)
    return order.parameters.order_by(by_line, "pk")


def _money_or_none(amount) -> str | None:
    return None if amount is None else str(amount)

"""Orders: list rows, full orders, their product lines and priced details."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..mapping import datetime_or_none, decimal_or_none, period_from_api
from .common import Money, ParameterValue, _items, _str


@dataclass(frozen=True)
class OrderLine:
    """A product line of an order. On a stored change order ``quantity`` is the signed delta."""

    mpn: str
    vendor: str = ""
    product_id: str = ""
    name: str = ""
    quantity: Decimal | None = None
    subscription_period: str | None = None
    billing_period: str | None = None
    subscription_id: str = ""
    extended_price: Money | None = None
    parameters: tuple[ParameterValue, ...] = ()
    type: str = ""
    #: A partial upgrade's new subscription (the seats that moved).
    target_subscription_id: str = ""

    @classmethod
    def from_api(cls, data: dict) -> OrderLine:
        return cls(
            mpn=_str(data.get("mpn")),
            vendor=_str(data.get("vendor")),
            product_id=_str(data.get("id")),
            name=_str(data.get("name")),
            quantity=decimal_or_none(data.get("quantity")),
            subscription_period=period_from_api(data.get("subscriptionPeriod")),
            billing_period=period_from_api(data.get("billingPeriod")),
            subscription_id=_str(data.get("subscriptionId")),
            extended_price=Money.from_api(data.get("extendedPrice")),
            parameters=tuple(ParameterValue.from_api(p) for p in _items(data.get("parameters"))),
            type=_str(data.get("type")),
            target_subscription_id=_str(data.get("targetSubscriptionId")),
        )


@dataclass(frozen=True)
class OrderDetail:
    """A priced line of an order: recurring charge, refund, cancellation…"""

    type: str
    mpn: str = ""
    product_id: str = ""
    description: str = ""
    quantity: Decimal | None = None
    unit_price: Money | None = None
    extended_price: Money | None = None

    @classmethod
    def from_api(cls, data: dict) -> OrderDetail:
        return cls(
            type=_str(data.get("type")),
            mpn=_str(data.get("mpn")),
            product_id=_str(data.get("productId")),
            description=_str(data.get("description")),
            quantity=decimal_or_none(data.get("quantity")),
            unit_price=Money.from_api(data.get("unitPrice")),
            extended_price=Money.from_api(data.get("extendedPrice")),
        )


@dataclass(frozen=True)
class OrderSummary:
    """A row of GET /orders. Rows carry no poNumber, products or details: open the order."""

    id: str
    order_number: str
    type: str
    customer_id: str
    status: str
    status_code: str = ""
    creation_date: datetime | None = None
    provisioning_date: datetime | None = None
    total: Money | None = None

    @classmethod
    def from_api(cls, data: dict) -> OrderSummary:
        return cls(**_order_fields(data))


def _order_fields(data: dict) -> dict:
    return {
        "id": _str(data.get("id")),
        "order_number": _str(data.get("orderNumber")),
        "type": _str(data.get("type")),
        "customer_id": _str(data.get("customerId")),
        "status": _str(data.get("status")),
        "status_code": _str(data.get("statusCode")),
        "creation_date": datetime_or_none(data.get("creationDate")),
        "provisioning_date": datetime_or_none(data.get("provisioningDate")),
        "total": Money.from_api(data.get("total")),
    }


@dataclass(frozen=True)
class Order:
    """An order in full (GET /orders/{id}, POST /orders, POST /orders/estimate)."""

    id: str
    order_number: str
    type: str
    customer_id: str
    status: str
    status_code: str = ""
    creation_date: datetime | None = None
    provisioning_date: datetime | None = None
    total: Money | None = None
    po_number: str = ""
    subscription_id: str = ""
    lines: tuple[OrderLine, ...] = ()
    details: tuple[OrderDetail, ...] = ()
    attributes: dict = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict) -> Order:
        return cls(
            **_order_fields(data),
            po_number=_str(data.get("poNumber")),
            subscription_id=_str(data.get("subscriptionId")),
            lines=tuple(OrderLine.from_api(p) for p in _items(data.get("products"))),
            details=tuple(OrderDetail.from_api(d) for d in _items(data.get("details"))),
            attributes=dict(data.get("attributes") or {}),
        )

    @property
    def is_final(self) -> bool:
        return self.status in ("completed", "error", "cancelled")

    @property
    def subscription_ids(self) -> tuple[str, ...]:
        """The subscriptions the order created or acted on, in line order."""
        ids = [line.subscription_id for line in self.lines if line.subscription_id]
        if not ids and self.subscription_id:
            ids = [self.subscription_id]
        return tuple(dict.fromkeys(ids))

"""Subscriptions: what completed orders created, with seats and fulfilment parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..mapping import date_or_none, int_or_none, period_from_api
from .common import Money, ParameterValue, _items, _str, find_parameter


@dataclass(frozen=True)
class SubscriptionProduct:
    mpn: str
    vendor: str = ""
    product_id: str = ""
    name: str = ""
    quantity: int | None = None
    unit_price: Money | None = None
    extended_price: Money | None = None
    vendor_subscription_id: str = ""
    unit_cost: Money | None = None

    @classmethod
    def from_api(cls, data: dict) -> SubscriptionProduct:
        return cls(
            mpn=_str(data.get("mpn")),
            vendor=_str(data.get("vendor")),
            product_id=_str(data.get("id")),
            name=_str(data.get("name")),
            quantity=int_or_none(data.get("quantity")),
            unit_price=Money.from_api(data.get("unitPrice")),
            extended_price=Money.from_api(data.get("extendedPrice")),
            vendor_subscription_id=_str(data.get("vendorSubscriptionId")),
            unit_cost=Money.from_api(data.get("unitCost")),
        )


@dataclass(frozen=True)
class Subscription:
    """A subscription. Seats, products and parameters only come with the detail."""

    id: str
    name: str
    customer_id: str
    status: str
    renewal_status: bool | None = None
    creation_date: date | None = None
    renewal_date: date | None = None
    expiration_date: date | None = None
    last_modified_date: date | None = None
    subscription_period: str | None = None
    billing_period: str | None = None
    total_price: Money | None = None
    products: tuple[SubscriptionProduct, ...] = ()
    order_parameters: tuple[ParameterValue, ...] = ()
    fulfillment_parameters: tuple[ParameterValue, ...] = ()
    #: The service plan (detail only), whose ``planSwitches`` say what it may change to.
    plan_id: str = ""

    @classmethod
    def from_api(cls, data: dict) -> Subscription:
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")),
            customer_id=_str(data.get("customerId")),
            status=_str(data.get("status")),
            renewal_status=data.get("renewalStatus"),
            creation_date=date_or_none(data.get("creationDate")),
            renewal_date=date_or_none(data.get("renewalDate")),
            expiration_date=date_or_none(data.get("expirationDate")),
            last_modified_date=date_or_none(data.get("lastModifiedDate")),
            subscription_period=period_from_api(data.get("subscriptionPeriod")),
            billing_period=period_from_api(data.get("billingPeriod")),
            total_price=Money.from_api(data.get("totalPrice")),
            products=tuple(SubscriptionProduct.from_api(p) for p in _items(data.get("products"))),
            order_parameters=tuple(
                ParameterValue.from_api(p) for p in _items(data.get("orderParameters"))
            ),
            fulfillment_parameters=tuple(
                ParameterValue.from_api(p) for p in _items(data.get("fulfillmentParameters"))
            ),
            plan_id=_str(data.get("planId")),
        )

    @property
    def quantity(self) -> int | None:
        """Seats on the subscription (None on a list row, which carries no products)."""
        counts = [p.quantity for p in self.products if p.quantity is not None]
        return sum(counts) if counts else None

    def unit_money(self, mpn: str) -> tuple[Money | None, Money | None]:
        """Return the (unit price, unit cost) the marketplace records for ``mpn``'s line."""
        for product in self.products:
            if product.mpn == mpn or not mpn:
                return product.unit_price, product.unit_cost
        return None, None

    def fulfillment_parameter(self, name: str):
        """Return the value of a fulfilment parameter (tenant domain, tenant id…), or None."""
        parameter = find_parameter(self.fulfillment_parameters, name)
        if parameter is None:
            return None
        return parameter.value if parameter.value is not None else parameter.structured_value

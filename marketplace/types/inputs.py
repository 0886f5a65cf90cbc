"""What the product sends: a new customer, and an order (or its validation)."""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import MICROSOFT
from ..mapping import period_to_api, po_number_for
from .common import Money, ParameterValue
from .customers import Address, ContactPerson


@dataclass(frozen=True)
class CustomerInput:
    name: str
    address: Address
    contact_persons: tuple[ContactPerson, ...]
    language: str = "en_US"
    external_id: str = ""
    tax_reg_id: str = ""

    def to_api(self) -> dict:
        data = {
            "name": self.name,
            "address": self.address.to_api(),
            "contactPersons": [c.to_api() for c in self.contact_persons],
            "language": self.language,
        }
        if self.external_id:
            data["externalId"] = self.external_id
        if self.tax_reg_id:
            data["taxRegId"] = self.tax_reg_id
        return data


@dataclass(frozen=True)
class OrderLineInput:
    """One product line. On a change order ``quantity`` is the new total, not the delta."""

    mpn: str
    quantity: int
    subscription_period: str | None = None  # "P1M", "P1Y", "P3Y"
    billing_period: str | None = None
    vendor: str = MICROSOFT
    parameters: tuple[ParameterValue, ...] = ()
    subscription_id: str = ""
    #: ``UPGRADE`` or ``CHANGE_PLAN_PERIOD`` on a switch (``quantity``: the seats that move).
    type: str = ""
    new_mpn: str = ""
    #: The reseller's selling price of one seat (spec ``OrderSpecialPrice``), when it sets one.
    special_price: Money | None = None

    def to_api(self) -> dict:
        data: dict = {"mpn": self.mpn}
        if self.type:
            data["type"] = self.type
        if self.new_mpn:
            data["newMPN"] = self.new_mpn
        if self.vendor:  # leaving it out lets the upstream match on the MPN alone
            data["vendor"] = self.vendor
        data["quantity"] = self.quantity
        if self.subscription_period:
            data["subscriptionPeriod"] = period_to_api(self.subscription_period)
        if self.billing_period:
            data["billingPeriod"] = period_to_api(self.billing_period)
        if self.subscription_id:
            data["subscriptionId"] = self.subscription_id
        if self.special_price is not None:
            data["specialPrice"] = {
                "amount": str(self.special_price.amount),
                "currency": self.special_price.currency,
            }
        data["parameters"] = [p.to_api() for p in self.parameters]
        return data


@dataclass(frozen=True)
class OrderInput:
    """An order to place or estimate.

    ``reference`` is the product's own order number. It goes first in the
    upstream poNumber (before the reseller's ``po_number``, if any), which is
    how ``find_order_by_reference`` recognises the order after a lost response.
    """

    customer_id: str
    reference: str
    lines: tuple[OrderLineInput, ...]
    type: str = "sales"  # "sales", "change" or "cancellation"
    po_number: str = ""
    #: The subscription a change or cancellation acts on.
    subscription_id: str = ""
    #: A switch's target service plan, and when it applies (``"renewal"``: at the next one).
    plan_id: str = ""
    scheduled_on: str = ""
    upgrade_start_type: str = ""

    @property
    def upstream_po_number(self) -> str:
        return po_number_for(self.reference, self.po_number)

    def to_api(self) -> dict:
        data: dict = {
            "type": self.type,
            "customerId": self.customer_id,
            "poNumber": self.upstream_po_number,
            "products": [line.to_api() for line in self.lines],
        }
        terms = {line.subscription_period for line in self.lines}
        if self.type == "sales" and len(terms) == 1 and None not in terms:
            # Seed 004: a sales order names its commitment at the top level too.
            data["subscriptionPeriod"] = period_to_api(terms.pop())
        if self.subscription_id:
            data["subscriptionId"] = self.subscription_id
        if self.plan_id:
            data["planId"] = self.plan_id
        if self.scheduled_on:
            data["scheduledOn"] = self.scheduled_on
        if self.upgrade_start_type:
            data["upgradeStartType"] = self.upgrade_start_type
        return data

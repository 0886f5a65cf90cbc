"""Typed results and inputs of the Marketplace API: frozen dataclasses.

Results parse the API's JSON tolerantly: a field the upstream leaves out
becomes None, an empty tuple or an empty string, never a crash. Periods are
ISO 8601 strings (``P1M``, ``P1Y``, ``P3Y``) and money is ``Decimal``.
"""

from .catalog import Product
from .common import Money, Page, ParameterValue, Price, find_parameter
from .customers import Address, ContactPerson, Customer
from .inputs import CustomerInput, OrderInput, OrderLineInput
from .orders import Order, OrderDetail, OrderLine, OrderSummary
from .plans import Plan, PlanSwitch
from .reports import Report
from .subscriptions import Subscription, SubscriptionProduct
from .validation import (
    Choice,
    DomainCheck,
    Parameter,
    PartnerCheck,
    TenantCheck,
    ValidationResult,
)

__all__ = [
    "Address",
    "Choice",
    "ContactPerson",
    "Customer",
    "CustomerInput",
    "DomainCheck",
    "Money",
    "Order",
    "OrderDetail",
    "OrderInput",
    "OrderLine",
    "OrderLineInput",
    "OrderSummary",
    "Page",
    "Report",
    "Parameter",
    "Plan",
    "PlanSwitch",
    "ParameterValue",
    "PartnerCheck",
    "Price",
    "Product",
    "Subscription",
    "SubscriptionProduct",
    "TenantCheck",
    "ValidationResult",
    "find_parameter",
]

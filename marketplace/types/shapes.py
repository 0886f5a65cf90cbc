"""The shapes of the upstream's answers, as the API documents them (pydantic TypedDicts).

Strict about kinds, lenient about absence: a field left out is fine, a list
where an object belongs is not. The shapes accept what the mapping tolerates:
text fields take any scalar, numbers take JSON numbers or numeric strings
(finite, of sane size), periods and money are objects, lists are lists of
objects, ``attributes`` is an object. ``boundary.parse_body`` checks them.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NotRequired

from pydantic import AfterValidator, TypeAdapter
from typing_extensions import TypedDict

from .catalog import Product
from .common import Money, ParameterValue, Price
from .customers import Address, ContactPerson, Customer
from .orders import Order, OrderDetail, OrderLine, OrderSummary
from .plans import Plan, PlanSwitch
from .reports import Report
from .subscriptions import Subscription, SubscriptionProduct
from .validation import Choice, Parameter, ValidationResult

#: Numbers beyond this (quantities, money, counts) are not something the upstream sends.
NUMBER_LIMIT = Decimal(10) ** 15

# --- Scalars ------------------------------------------------------------------------------


def _text(value):
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise ValueError("expected text or a plain value")


def _number(value):
    if value is None or value == "":
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("expected a number")
    try:
        parsed = Decimal(value.strip() if isinstance(value, str) else repr(value))
    except (InvalidOperation, ValueError):
        raise ValueError("expected a number") from None
    if not parsed.is_finite() or abs(parsed) >= NUMBER_LIMIT:
        raise ValueError("expected a finite number of sensible size")
    return value


def _count(value):
    """A non-negative whole number, as a JSON number or a string of ASCII digits."""
    if value is None:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < NUMBER_LIMIT:
        return value
    raise ValueError("expected a whole number of 0 or more")


def _flag(value):
    if value is None or isinstance(value, bool):
        return value
    raise ValueError("expected true or false")


def _object(value):
    if value is None or isinstance(value, dict):
        return value
    raise ValueError("expected an object")


def _positive_seconds(value):
    if value is None:
        return value
    _number(value)
    if value == "" or Decimal(str(value).strip()) <= 0:
        raise ValueError("expected a number of seconds above 0")
    return value


Text = Annotated[Any, AfterValidator(_text)]
Number = Annotated[Any, AfterValidator(_number)]
Count = Annotated[Any, AfterValidator(_count)]
Flag = Annotated[Any, AfterValidator(_flag)]
AnyObject = Annotated[Any, AfterValidator(_object)]
Seconds = Annotated[Any, AfterValidator(_positive_seconds)]
#: A parameter's value: any JSON at all (the upstream echoes what it was sent).
AnyValue = Any

# --- Shapes -------------------------------------------------------------------------------


class PeriodShape(TypedDict, total=False):
    type: Text
    duration: Number


class MoneyShape(TypedDict, total=False):
    amount: Number
    currency: Text


class PriceShape(MoneyShape, total=False):
    type: Text


class ParameterValueShape(TypedDict, total=False):
    name: Text
    value: AnyValue
    structured_value: AnyObject


class DependencyShape(TypedDict, total=False):
    mpn: Text


class CotermingShape(TypedDict, total=False):
    required: Text
    type: Text


class ProductShape(TypedDict, total=False):
    id: Text
    mpn: Text
    vendor: Text
    name: Text
    serviceName: Text
    subscriptionPeriod: PeriodShape | None
    billingPeriod: PeriodShape | None
    billingModel: Text
    minimumQuantity: Number
    maximumQuantity: Number
    prices: list[PriceShape] | None
    costs: list[PriceShape] | None
    dependsOn: list[DependencyShape] | None
    attributes: AnyObject
    coterming: CotermingShape | None


class AddressShape(TypedDict, total=False):
    streetAddress: Text
    city: Text
    postalCode: Text
    countryCode: Text
    state: Text
    addressExtension: Text


class ContactPersonShape(TypedDict, total=False):
    type: Text
    firstName: Text
    lastName: Text
    email: Text
    phoneNumber: Text


class CustomerShape(TypedDict, total=False):
    id: Text
    name: Text
    status: Text
    address: AddressShape | None
    contactPersons: list[ContactPersonShape] | None
    language: Text
    externalId: Text
    taxRegId: Text
    resellerId: Text
    attributes: AnyObject


class OrderLineShape(TypedDict, total=False):
    mpn: Text
    vendor: Text
    id: Text
    name: Text
    quantity: Number
    subscriptionPeriod: PeriodShape | None
    billingPeriod: PeriodShape | None
    subscriptionId: Text
    extendedPrice: MoneyShape | None
    parameters: list[ParameterValueShape] | None
    type: Text
    targetSubscriptionId: Text


class OrderDetailShape(TypedDict, total=False):
    type: Text
    mpn: Text
    productId: Text
    description: Text
    quantity: Number
    unitPrice: MoneyShape | None
    extendedPrice: MoneyShape | None


class OrderSummaryShape(TypedDict, total=False):
    id: Text
    orderNumber: Text
    type: Text
    customerId: Text
    status: Text
    statusCode: Text
    creationDate: Text
    provisioningDate: Text
    total: MoneyShape | None


class OrderShape(OrderSummaryShape, total=False):
    poNumber: Text
    subscriptionId: Text
    products: list[OrderLineShape] | None
    details: list[OrderDetailShape] | None
    attributes: AnyObject


class SubscriptionProductShape(TypedDict, total=False):
    mpn: Text
    vendor: Text
    id: Text
    name: Text
    quantity: Number
    unitPrice: MoneyShape | None
    extendedPrice: MoneyShape | None
    vendorSubscriptionId: Text


class SubscriptionShape(TypedDict, total=False):
    id: Text
    name: Text
    customerId: Text
    status: Text
    renewalStatus: Flag
    creationDate: Text
    renewalDate: Text
    expirationDate: Text
    lastModifiedDate: Text
    subscriptionPeriod: PeriodShape | None
    billingPeriod: PeriodShape | None
    totalPrice: MoneyShape | None
    products: list[SubscriptionProductShape] | None
    orderParameters: list[ParameterValueShape] | None
    fulfillmentParameters: list[ParameterValueShape] | None
    planId: Text


class PlanSwitchShape(TypedDict, total=False):
    planId: Text
    subscriptionPeriod: PeriodShape | None
    billingPolicy: Text
    whenEffective: Text
    sourceSubscriptionPeriod: PeriodShape | None


class PlanShape(TypedDict, total=False):
    id: Text
    name: Text
    billingPeriod: PeriodShape | None
    subscriptionPeriods: list[PeriodShape] | None
    planSwitches: list[PlanSwitchShape] | None


class ChoiceShape(TypedDict, total=False):
    label: Text
    value: Text
    default: Flag


class ParameterShape(TypedDict, total=False):
    name: Text
    result: Text
    message: Text
    value: AnyValue
    valueError: Text
    valueChoices: list[ChoiceShape] | None
    structured_value: AnyObject


class ValidationResultShape(TypedDict, total=False):
    mpn: Text
    vendor: Text
    id: Text
    subscriptionPeriod: PeriodShape | None
    billingPeriod: PeriodShape | None
    parameters: list[ParameterShape] | None


class ValidationAnswerShape(TypedDict):
    data: list[ValidationResultShape]


class PaginationShape(TypedDict, total=False):
    offset: Count
    limit: Count
    total: Count


class PageShape(TypedDict):
    data: list[dict]
    pagination: NotRequired[PaginationShape | None]


class TokenShape(TypedDict):
    token: Annotated[str, AfterValidator(lambda value: _nonblank(value))]
    expiresInSeconds: NotRequired[Seconds]


class ReportShape(TypedDict, total=False):
    id: Text
    name: Text
    customizationName: Text
    status: Text
    type: Text
    format: Text
    creationDate: Text
    startDate: Text
    endDate: Text
    downloadUrl: Text


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("expected a token")
    return value


#: The shape of each type's ``from_api`` input.
SHAPES: dict[type, type] = {
    Product: ProductShape,
    Customer: CustomerShape,
    Address: AddressShape,
    ContactPerson: ContactPersonShape,
    Order: OrderShape,
    OrderSummary: OrderSummaryShape,
    OrderLine: OrderLineShape,
    OrderDetail: OrderDetailShape,
    Subscription: SubscriptionShape,
    Plan: PlanShape,
    PlanSwitch: PlanSwitchShape,
    SubscriptionProduct: SubscriptionProductShape,
    ValidationResult: ValidationResultShape,
    Parameter: ParameterShape,
    Choice: ChoiceShape,
    ParameterValue: ParameterValueShape,
    Money: MoneyShape,
    Price: PriceShape,
    Report: ReportShape,
}
_ADAPTERS: dict[Any, TypeAdapter] = {}


def adapter(shape) -> TypeAdapter:
    if shape not in _ADAPTERS:
        _ADAPTERS[shape] = TypeAdapter(shape)
    return _ADAPTERS[shape]

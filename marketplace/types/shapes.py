"""The one boundary between the upstream's JSON and the typed results: shapes, then mapping.

Every success body the client reads goes through ``parse_body``: the body is
first checked against the shape the API documents (pydantic, strict about
kinds, lenient about absence: a field left out is fine, a list where an object
belongs is not), and only then mapped by the type's ``from_api``. Whatever
is malformed becomes a ``MalformedResponseError`` naming the endpoint, the
correlation id and each field at fault; nothing else escapes.

The shapes accept what the mapping tolerates: text fields take any scalar,
numbers take JSON numbers or numeric strings (finite, of sane size), periods
and money are objects, lists are lists of objects, ``attributes`` is an object.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NotRequired

from pydantic import AfterValidator, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from ..exceptions import MalformedResponseError
from .catalog import Product
from .common import Money, ParameterValue, Price
from .customers import Address, ContactPerson, Customer
from .orders import Order, OrderDetail, OrderLine, OrderSummary
from .subscriptions import Subscription, SubscriptionProduct
from .validation import Choice, Parameter, ValidationResult

logger = logging.getLogger("marketplace")

#: Numbers beyond this (quantities, money, counts) are not something the upstream sends.
NUMBER_LIMIT = Decimal(10) ** 15
#: How many field problems the error's message names (``problems`` keeps them all).
PROBLEMS_IN_MESSAGE = 3

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
    subscriptionPeriod: PeriodShape | None
    billingPeriod: PeriodShape | None
    totalPrice: MoneyShape | None
    products: list[SubscriptionProductShape] | None
    orderParameters: list[ParameterValueShape] | None
    fulfillmentParameters: list[ParameterValueShape] | None


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
    SubscriptionProduct: SubscriptionProductShape,
    ValidationResult: ValidationResultShape,
    Parameter: ParameterShape,
    Choice: ChoiceShape,
    ParameterValue: ParameterValueShape,
    Money: MoneyShape,
    Price: PriceShape,
}
_ADAPTERS: dict[Any, TypeAdapter] = {}


def adapter(shape) -> TypeAdapter:
    if shape not in _ADAPTERS:
        _ADAPTERS[shape] = TypeAdapter(shape)
    return _ADAPTERS[shape]


# --- The boundary -------------------------------------------------------------------------


class ShapeError(ValueError):
    """A body that is not the expected shape; ``problems`` names each field at fault."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def check_shape(body, shape, *, where: str = "") -> None:
    """Raise ShapeError unless ``body`` is a JSON object of ``shape``."""
    if not isinstance(body, dict):
        raise ShapeError([f"{where or 'body'}: expected an object, got {_kind(body)}"])
    try:
        adapter(shape).validate_python(body)
    except ValidationError as exc:
        raise ShapeError([_problem(error, where) for error in exc.errors()]) from None


def parse_body(
    body,
    parse: Callable | type,
    *,
    endpoint: str,
    correlation_id: str | None = None,
    status_code: int | None = None,
):
    """Check ``body`` for the shape ``parse`` expects, then map it.

    Raises only MalformedResponseError, whatever the body.

    ``parse`` is a type with ``from_api`` (or that bound method), or a parser
    made by ``page_parser``/``validation_parser``/``token_parser``.
    """
    shape, build = _resolve(parse)
    where = {"correlation_id": correlation_id, "status_code": status_code, "body": body}
    try:
        check_shape(body, shape)
    except ShapeError as exc:
        raise malformed_response(exc.problems, endpoint, **where) from None
    try:
        return build(body)
    except ShapeError as exc:  # a nested shape (a page's rows) checked while building
        raise malformed_response(exc.problems, endpoint, **where) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # The shapes let through something the mapping cannot take: a gap in SHAPES.
        logger.error("Mapping %s failed on a body of the right shape: %r", endpoint, exc)
        problem = f"body: could not be read ({type(exc).__name__})"
        raise malformed_response([problem], endpoint, **where) from None


class Parser:
    """A shape and the function that maps a body of that shape."""

    def __init__(self, shape, build: Callable):
        self.shape = shape
        self.build = build


def page_parser(row: Callable | type, *, offset: int, limit: int) -> Parser:
    """The parser of one page of a list whose rows ``row`` maps."""
    from ..pagination import page_from_api

    row_shape, row_build = _resolve(row)

    def build(body):
        for index, item in enumerate(body["data"]):
            check_shape(item, row_shape, where=f"data.{index}")
        return page_from_api(body, row_build, offset=offset, limit=limit)

    return Parser(PageShape, build)


def _build_validation(body) -> list[ValidationResult]:
    return [ValidationResult.from_api(row) for row in body["data"]]


#: POST /validation/parameters: ``{"data": [result, ...]}``.
VALIDATION_RESULTS = Parser(ValidationAnswerShape, _build_validation)


def token_parser(build: Callable) -> Parser:
    """POST /token: ``{"token": ..., "expiresInSeconds": ...}``."""
    return Parser(TokenShape, build)


def _resolve(parse):
    if isinstance(parse, Parser):
        return parse.shape, parse.build
    target = parse if isinstance(parse, type) else getattr(parse, "__self__", None)
    if target not in SHAPES:
        raise TypeError(f"No shape is known for {parse!r}")
    return SHAPES[target], target.from_api


def malformed_response(
    problems, endpoint, correlation_id=None, status_code=None, body=None
) -> MalformedResponseError:
    """Return the error for an answer to ``endpoint`` with these field ``problems``.

    ``body`` is kept as text (at most 2,000 characters) for the support timeline:
    a decoded body may hold NaN, which no JSON column stores.
    """
    named = "; ".join(problems[:PROBLEMS_IN_MESSAGE])
    more = len(problems) - PROBLEMS_IN_MESSAGE
    if more > 0:
        named += f"; and {more} more"
    quote = f" quoting correlation id {correlation_id}" if correlation_id else ""
    return MalformedResponseError(
        f"The marketplace's answer to {endpoint} is not in the shape its API documents "
        f"({named}). Nothing was read from it. Try again in a few minutes; if it keeps "
        f"happening, contact the distributor's support{quote}.",
        endpoint=endpoint,
        problems=problems,
        status_code=status_code,
        correlation_id=correlation_id,
        body=_as_text(body),
    )


def _as_text(body) -> str | None:
    if body is None:
        return None
    try:
        return json.dumps(body, default=str)[:2000]
    except (ValueError, RecursionError):
        return repr(body)[:2000]


def _problem(error: dict, where: str) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if not _is_union_tag(part))
    location = ".".join(part for part in (where, location) if part) or "body"
    message = error.get("msg", "is not valid")
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{location}: {message}"


def _is_union_tag(part) -> bool:
    # pydantic names union branches in loc ("list[...]", "PeriodShape"); they say nothing useful.
    return isinstance(part, str) and (part.endswith("]") or part.endswith("Shape"))


def _kind(value) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "text", bool: "true/false", dict: "an object"}.get(
        type(value), "a number"
    )

"""Property-based tests of every upstream parser and pagination helper (Hypothesis).

Bodies are arbitrary JSON (NaN, infinities, huge and unicode numbers, lists
where objects belong) and well-formed sample answers with one part replaced
by such a value. Whatever comes in, a parser returns its typed result or
raises MalformedResponseError, found by the shape check, never by the
mapping's safety net; the helpers never raise at all. Profiles: tests/hypothesis_profiles.py.
"""

import json
import math
from datetime import date, datetime
from decimal import Decimal

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from marketplace import mapping
from marketplace.auth import MAX_TOKEN_LIFETIME_SECONDS, TOKEN, token_ttl
from marketplace.constants import MAX_PAGE_LIMIT
from marketplace.exceptions import (
    APIStatusError,
    MalformedResponseError,
    error_from_response,
    retry_after_seconds,
)
from marketplace.pagination import clamp_limit, iterate_pages, page_from_api
from marketplace.types import (
    Address,
    Choice,
    ContactPerson,
    Customer,
    Money,
    Order,
    OrderDetail,
    OrderLine,
    OrderSummary,
    Page,
    Parameter,
    ParameterValue,
    Plan,
    PlanSwitch,
    Price,
    Product,
    Report,
    Subscription,
    SubscriptionProduct,
    ValidationResult,
)
from marketplace.types.boundary import VALIDATION_RESULTS, page_parser, parse_body
from marketplace.types.shapes import SHAPES

ENDPOINT = "GET /fuzz"

PERIOD = {"type": "month", "duration": 12}
MONEY = {"amount": "12.50", "currency": "USD"}
PARAMETER = {"name": "microsoft_domain", "value": "contoso.onmicrosoft.com"}
SAMPLES = {
    Money: MONEY,
    Price: {**MONEY, "type": "recurring"},
    ParameterValue: {"name": "x", "structured_value": {"attestation_accepted": True}},
    Address: {"streetAddress": "1 Main St", "city": "Seattle", "countryCode": "US"},
    ContactPerson: {"type": "admin", "firstName": "Ava", "email": "ava@example.com"},
    Choice: {"label": "a", "value": "a.onmicrosoft.com", "default": True},
    Parameter: {
        "name": "microsoft_domain",
        "result": "error",
        "valueError": "taken",
        "valueChoices": [{"label": "b", "value": "b.onmicrosoft.com"}],
    },
    Product: {
        "id": "1",
        "mpn": "CFQ7TTC0LH18:0001",
        "vendor": "Microsoft",
        "name": "Microsoft 365 Business Basic",
        "subscriptionPeriod": PERIOD,
        "billingPeriod": {"type": "month", "duration": 1},
        "minimumQuantity": 1,
        "maximumQuantity": "300",
        "prices": [{**MONEY, "type": "recurring"}],
        "costs": [MONEY],
        "dependsOn": [{"mpn": "CFQ7TTC0LDPB:0001"}],
        "attributes": {"offerAttestationRequired": "true", "segment": "commercial"},
    },
    Customer: {
        "id": "1000101",
        "name": "Woodgrove Bank",
        "status": "active",
        "address": {"streetAddress": "1 Main St", "city": "Seattle", "countryCode": "US"},
        "contactPersons": [{"type": "admin", "firstName": "Ava", "email": "ava@example.com"}],
        "attributes": {},
    },
    OrderLine: {
        "mpn": "CFQ7TTC0LH18:0001",
        "quantity": 5,
        "subscriptionPeriod": PERIOD,
        "extendedPrice": MONEY,
        "parameters": [PARAMETER],
        "subscriptionId": "5000001",
    },
    OrderDetail: {"type": "recurring", "quantity": "5", "unitPrice": MONEY},
    OrderSummary: {
        "id": "1",
        "orderNumber": "SO0001",
        "status": "processing",
        "creationDate": "2026-03-02T09:00:00Z",
        "total": MONEY,
    },
    Order: {
        "id": "1",
        "orderNumber": "SO0001",
        "type": "sales",
        "customerId": "1000101",
        "status": "completed",
        "statusCode": "CP",
        "creationDate": "2026-03-02T09:00:00Z",
        "poNumber": "NCE-1 / PO-7",
        "products": [
            {"mpn": "CFQ7TTC0LH18:0001", "quantity": 5, "parameters": [PARAMETER]},
        ],
        "details": [{"type": "recurring", "quantity": "5", "unitPrice": MONEY}],
        "total": MONEY,
        "attributes": {"a": 1},
    },
    SubscriptionProduct: {"mpn": "CFQ7TTC0LH18:0001", "quantity": 5, "unitPrice": MONEY},
    Subscription: {
        "id": "5000001",
        "name": "Basic",
        "status": "active",
        "renewalStatus": True,
        "creationDate": "2026-03-02",
        "subscriptionPeriod": PERIOD,
        "totalPrice": MONEY,
        "products": [{"mpn": "CFQ7TTC0LH18:0001", "quantity": 5}],
        "fulfillmentParameters": [PARAMETER],
    },
    ValidationResult: {
        "mpn": "CFQ7TTC0LH18:0001",
        "subscriptionPeriod": PERIOD,
        "parameters": [{"name": "tier1_mpn", "result": "success"}],
    },
    PlanSwitch: {
        "planId": "P-2",
        "subscriptionPeriod": {"type": "year", "duration": 1},
        "billingPolicy": "prorate_keeping_exp_date",
        "whenEffective": "immediately",
        "sourceSubscriptionPeriod": PERIOD,
    },
    Plan: {
        "id": "P-1",
        "name": "Microsoft 365 Business Basic",
        "billingPeriod": {"type": "month", "duration": 1},
        "subscriptionPeriods": [PERIOD, {"type": "year", "duration": 1}],
        "planSwitches": [
            {
                "planId": "P-2",
                "subscriptionPeriod": PERIOD,
                "billingPolicy": "period_change",
                "whenEffective": "next_subscription_period",
            }
        ],
    },
    Report: {
        "id": "R-1",
        "name": "Rated data March",
        "status": "completed",
        "type": "onetime",
        "customizationName": "rated-data",
        "format": "csv",
        "creationDate": "2026-03-02T09:00:00Z",
        "startDate": "2026-03-01T00:00:00Z",
        "endDate": "2026-03-31T23:59:59Z",
        "downloadUrl": "https://files.example.com/reports/R-1.csv",
    },
}


def _field_names(value, names):
    if isinstance(value, dict):
        for key, item in value.items():
            names.add(key)
            _field_names(item, names)
    elif isinstance(value, list):
        for item in value:
            _field_names(item, names)
    return names


FIELD_NAMES = sorted(
    _field_names(list(SAMPLES.values()), set()) | {"data", "pagination", "offset", "limit"}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["²", "NaN", "Infinity", "-inf", "1e999", "12", "0", "-1", " 7 ", "", "١٢"]),
    st.sampled_from(["2026-03-02", "2026-13-45", "9999-12-31T23:59:59+23:59", "P1Y", "month"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=20,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


@st.composite
def mutated(draw, sample):
    """``sample`` with one part (or the whole) replaced by arbitrary JSON."""
    path = draw(st.sampled_from(list(_paths(sample))))
    return _replace(sample, path, draw(json_values))


def bodies(sample):
    return st.one_of(json_values, mutated(sample), st.just(sample))


def assert_typed_or_result(parse, body, expected_type):
    try:
        result = parse_body(body, parse, endpoint=ENDPOINT, correlation_id="a8n-test")
    except MalformedResponseError as error:
        assert error.endpoint == ENDPOINT and error.correlation_id == "a8n-test"
        assert error.problems
        # Found by the shape check: the mapping's last-resort net never had to catch it.
        assert not any("could not be read" in problem for problem in error.problems), error
        return None
    assert isinstance(result, expected_type)
    return result


# --- Every type's from_api, behind the boundary --------------------------------------------


@pytest.mark.parametrize("target", list(SHAPES), ids=lambda t: t.__name__)
@given(data=st.data())
def test_every_parser_gives_its_type_or_the_typed_error(target, data):
    body = data.draw(bodies(SAMPLES[target]))
    # Money and prices are optional values: an object without an amount reads as None.
    expected = (target, type(None)) if target in (Money, Price) else target
    assert_typed_or_result(target, body, expected)


@pytest.mark.parametrize("target", list(SHAPES), ids=lambda t: t.__name__)
def test_every_sample_is_read(target):
    assert parse_body(SAMPLES[target], target, endpoint=ENDPOINT) is not None


@pytest.mark.parametrize("row", [Product, Customer, OrderSummary, Subscription], ids=str)
@given(data=st.data())
def test_every_page_parser(row, data):
    sample = {"data": [SAMPLES[row]], "pagination": {"offset": 0, "limit": 1, "total": 3}}
    body = data.draw(bodies(sample))
    page = assert_typed_or_result(page_parser(row, offset=0, limit=1), body, Page)
    if page is not None:
        assert all(isinstance(item, row) for item in page.items)
        assert page.offset >= 0 and page.limit >= 1
        assert page.total is None or page.total >= 0


@given(body=bodies({"data": [SAMPLES[ValidationResult]]}))
def test_validation_answers(body):
    results = assert_typed_or_result(VALIDATION_RESULTS, body, list)
    if results is not None:
        assert all(isinstance(result, ValidationResult) for result in results)


@given(body=bodies({"token": "eyJ0eXAi", "expiresInSeconds": 1500}))
def test_token_answers(body):
    answer = assert_typed_or_result(TOKEN, body, tuple)
    if answer is not None:
        token, lifetime = answer
        assert isinstance(token, str) and token.strip()
        assert 0 < token_ttl(lifetime) <= MAX_TOKEN_LIFETIME_SECONDS


# --- Helpers that never raise ----------------------------------------------------------------


@given(value=json_values)
def test_mapping_helpers_are_total(value):
    assert mapping.period_from_api(value) in (None,) or mapping.period_from_api(value)[0] == "P"
    number = mapping.decimal_or_none(value)
    assert number is None or (isinstance(number, Decimal) and number.is_finite())
    assert mapping.int_or_none(value) is None or isinstance(mapping.int_or_none(value), int)
    assert mapping.datetime_or_none(value) is None or isinstance(
        mapping.datetime_or_none(value), datetime
    )
    assert mapping.date_or_none(value) is None or isinstance(mapping.date_or_none(value), date)


@given(period=st.fixed_dictionaries({"type": json_values, "duration": json_values}))
def test_periods_are_iso_or_none(period):
    result = mapping.period_from_api(period)
    assert result is None or (result[0] == "P" and result[-1] in "DMY" and result[1:-1].isdigit())


@given(lifetime=json_values, margin=st.floats(allow_nan=True, allow_infinity=True))
def test_a_token_lifetime_is_always_a_finite_cache_lifetime(lifetime, margin):
    ttl = token_ttl(lifetime, margin)
    assert math.isfinite(ttl) and 0 < ttl <= MAX_TOKEN_LIFETIME_SECONDS


@given(header=st.one_of(st.text(max_size=40), st.sampled_from(["nan", "inf", "1e999", "-5"])))
def test_retry_after_is_a_finite_wait_or_none(header):
    assume("\n" not in header and "\r" not in header)
    try:
        response = httpx.Response(429, headers={"Retry-After": header})
    except (ValueError, UnicodeEncodeError):
        return  # not a header httpx can carry
    seconds = retry_after_seconds(response)
    assert seconds is None or (math.isfinite(seconds) and seconds >= 0)


@given(body=json_values, status=st.integers(min_value=400, max_value=599))
def test_an_error_body_of_any_shape_gives_a_status_error(body, status):
    content = json.dumps(body, allow_nan=True).encode()
    response = httpx.Response(status, content=content, headers={"X-Correlation-ID": "a8n-x"})
    error = error_from_response(response)
    assert isinstance(error, APIStatusError)
    assert isinstance(error.message, str) and str(error)
    assert error.status_code == status


@given(body=json_values)
def test_page_from_api_alone_never_raises(body):
    page = page_from_api(body, lambda row: row, offset=7, limit=50)
    assert page.offset >= 0 and page.limit >= 1
    assert page.total is None or page.total >= 0


@given(limit=st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=5), st.none()))
def test_clamp_limit_is_always_a_page_size_the_upstream_takes(limit):
    assert 1 <= clamp_limit(limit) <= MAX_PAGE_LIMIT


@given(
    total=st.integers(min_value=0, max_value=1200),
    limit=st.integers(min_value=-5, max_value=700),
    reports_total=st.booleans(),
)
def test_iterate_pages_yields_every_item_once_in_order(total, limit, reports_total):
    items = list(range(total))
    calls = []

    def fetch(offset, size):
        calls.append((offset, size))
        rows = tuple(items[offset : offset + size])
        return Page(items=rows, offset=offset, limit=size, total=total if reports_total else None)

    assert list(iterate_pages(fetch, limit=limit)) == items
    size = clamp_limit(limit)
    assert all(asked == size for _, asked in calls)
    assert len(calls) <= total // size + 1

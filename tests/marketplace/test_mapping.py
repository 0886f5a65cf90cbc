"""Periods, PO numbers and tolerant parsing of the API's JSON."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from marketplace.constants import PO_NUMBER_MAX_LENGTH
from marketplace.mapping import (
    period_from_api,
    period_to_api,
    po_number_for,
    po_number_has_reference,
)
from marketplace.types import (
    Customer,
    Order,
    OrderInput,
    OrderLineInput,
    OrderSummary,
    ParameterValue,
    Product,
    Subscription,
    ValidationResult,
)


@pytest.mark.parametrize(
    ("iso", "api"),
    [
        ("P1M", {"type": "month", "duration": 1}),
        ("P1Y", {"type": "year", "duration": 1}),
        ("P3Y", {"type": "year", "duration": 3}),
    ],
)
def test_periods_translate_both_ways(iso, api):
    assert period_to_api(iso) == api
    assert period_from_api(api) == iso


def test_twelve_months_read_as_a_year():
    assert period_from_api({"type": "month", "duration": 12}) == "P1Y"
    assert period_from_api({"type": "month", "duration": 36}) == "P3Y"


@pytest.mark.parametrize("bad", [None, {}, {"type": "unknown", "duration": 1}, {"type": "month"}])
def test_missing_or_unknown_period_is_none(bad):
    assert period_from_api(bad) is None


@pytest.mark.parametrize("bad", ["", "1Y", "PXY", "P1W"])
def test_malformed_iso_period_is_refused(bad):
    with pytest.raises(ValueError):
        period_to_api(bad)


def test_po_number_is_the_reference_alone_or_before_the_resellers_po():
    assert po_number_for("NCE-0000042") == "NCE-0000042"
    assert po_number_for("NCE-0000042", "  PO  778 ") == "NCE-0000042 / PO 778"


def test_long_reseller_po_is_cut_but_the_reference_survives():
    po = po_number_for("NCE-0000042", "X" * 200)
    assert len(po) == PO_NUMBER_MAX_LENGTH
    assert po_number_has_reference(po, "NCE-0000042")


def test_reference_matches_only_its_own_po_number():
    assert po_number_has_reference("NCE-0000042 / PO 778", "NCE-0000042")
    assert not po_number_has_reference("NCE-00000421", "NCE-0000042")
    assert not po_number_has_reference("PO NCE-0000042", "NCE-0000042")
    assert not po_number_has_reference(None, "NCE-0000042")


def test_order_input_becomes_the_documented_body():
    order = OrderInput(
        customer_id="1000101",
        reference="NCE-0000042",
        po_number="PO-1",
        lines=(
            OrderLineInput(
                mpn="CFQ7TTC0LH18:0001",
                quantity=5,
                subscription_period="P1Y",
                billing_period="P1M",
                parameters=(
                    ParameterValue("tenant_preference", "new"),
                    ParameterValue(
                        "partner_on_record_attestation_accepted",
                        structured_value={"attestation_accepted": True},
                    ),
                ),
            ),
        ),
    )
    assert order.to_api() == {
        "type": "sales",
        "customerId": "1000101",
        "poNumber": "NCE-0000042 / PO-1",
        # Seed 004: the order's commitment at the top level as well.
        "subscriptionPeriod": {"type": "year", "duration": 1},
        "products": [
            {
                "mpn": "CFQ7TTC0LH18:0001",
                "vendor": "Microsoft",
                "quantity": 5,
                "subscriptionPeriod": {"type": "year", "duration": 1},
                "billingPeriod": {"type": "month", "duration": 1},
                "parameters": [
                    {"name": "tenant_preference", "value": "new"},
                    {
                        "name": "partner_on_record_attestation_accepted",
                        "structured_value": {"attestation_accepted": True},
                    },
                ],
            }
        ],
    }


def test_product_parses_prices_periods_and_string_quantities():
    product = Product.from_api(
        {
            "id": "PRD1",
            "mpn": "CFQ7TTC0LH18:0001",
            "vendor": "Microsoft",
            "name": "Microsoft 365 Business Basic (NCE COM ANN)",
            "minimumQuantity": "1",
            "maximumQuantity": "300",
            "prices": [{"type": "recurring", "amount": "72.00", "currency": "USD"}],
            "costs": [{"type": "recurring", "amount": "61.20", "currency": "USD"}],
            "billingPeriod": {"type": "year", "duration": 1},
            "subscriptionPeriod": {"type": "year", "duration": 1},
            "attributes": {"offerAttestationRequired": "true", "offerAttestationText": "I attest"},
        }
    )
    assert product.price.amount == Decimal("72.00")
    assert product.cost.amount == Decimal("61.20")
    assert (product.subscription_period, product.billing_period) == ("P1Y", "P1Y")
    assert (product.minimum_quantity, product.maximum_quantity) == (1, 300)
    assert product.offer_attestation_required
    assert product.offer_attestation_text == "I attest"


def test_parsing_tolerates_missing_optional_fields():
    assert Product.from_api({"mpn": "X"}).price is None
    customer = Customer.from_api({"id": "1", "name": "Contoso"})
    assert customer.address.city == "" and customer.contact_persons == ()
    order = Order.from_api({"id": "1005000", "status": "submitted"})
    assert order.lines == () and order.total is None and order.po_number == ""
    subscription = Subscription.from_api({"id": "1008000"})
    assert subscription.quantity is None
    assert ValidationResult.from_api({}).ok


def test_order_parses_dates_totals_lines_and_subscriptions():
    order = Order.from_api(
        {
            "id": "1005000",
            "orderNumber": "SO000012",
            "type": "sales",
            "customerId": "1000101",
            "poNumber": "NCE-1",
            "status": "completed",
            "statusCode": "CP",
            "creationDate": "2026-01-05T10:00:00Z",
            "total": {"amount": "72.00", "currency": "USD"},
            "products": [
                {"mpn": "A", "quantity": 3, "subscriptionId": "1008000"},
                {"mpn": "B", "quantity": -2, "subscriptionId": "1008001"},
            ],
            "details": [{"type": "recurringRefund", "extendedPrice": {"amount": "-5.10"}}],
        }
    )
    assert order.creation_date == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert order.total.amount == Decimal("72.00")
    assert order.lines[1].quantity == Decimal("-2")
    assert order.subscription_ids == ("1008000", "1008001")
    assert order.details[0].extended_price.amount == Decimal("-5.10")
    assert order.is_final
    assert OrderSummary.from_api({"id": "1", "status": "processing"}).status == "processing"


def test_times_without_an_offset_are_utc():
    summary = OrderSummary.from_api({"id": "1", "creationDate": "2026-01-05T10:00:00"})
    assert summary.creation_date == datetime(2026, 1, 5, 10, tzinfo=UTC)


def test_subscription_seats_and_fulfilment_parameters():
    subscription = Subscription.from_api(
        {
            "id": "1008000",
            "status": "active",
            "creationDate": "2026-01-05",
            "products": [{"mpn": "A", "quantity": 7}],
            "fulfillmentParameters": [
                {"name": "microsoft_domain", "value": "contoso1.onmicrosoft.com"}
            ],
        }
    )
    assert subscription.quantity == 7
    assert subscription.fulfillment_parameter("microsoft_domain") == "contoso1.onmicrosoft.com"
    assert subscription.fulfillment_parameter("absent") is None

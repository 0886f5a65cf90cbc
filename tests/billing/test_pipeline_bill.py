"""The bill checked end to end: orders placed and completed through the product's pipeline
against the simulator, its rated-data report asked for, awaited, streamed and reconciled."""

from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import BillCheck, Mismatch
from billing.services import bill_check_poll, bill_check_start
from orders.services.changes import order_cancel, seat_change
from tests.factories import CustomerFactory
from tests.orders.helpers import complete_through_simulator, place_for
from tests.orders.simulated import plain_products

pytestmark = pytest.mark.django_db(transaction=False)


def check_today(reseller, simulator):
    today = timezone.now().date()
    check = BillCheck.objects.create(reseller=reseller, period_start=today, period_end=today)
    check = bill_check_start(check=check)
    assert check.status == BillCheck.Status.GENERATING and check.report_id
    assert bill_check_poll(check=check).status == BillCheck.Status.GENERATING  # not ready yet
    simulator.advance(30)
    return bill_check_poll(check=check)


@pytest.fixture
def month(upstream_reseller, simulator, django_capture_on_commit_callbacks):
    """Three purchases; seats added to the first, removed from the second; the third cancelled."""
    product = plain_products(1)[0]
    customers = [
        CustomerFactory(reseller=upstream_reseller, upstream_customer_id=upstream_id)
        for upstream_id in ("1000101", "1000102", "1000103")
    ]
    complete = lambda order: complete_through_simulator(  # noqa: E731
        order, simulator, django_capture_on_commit_callbacks
    )
    orders = [complete(place_for(customer, [product])) for customer in customers]
    first, second, third = (order.subscriptions.get() for order in orders)
    buyer = None
    complete(seat_change(subscription=first, new_total=first.seats + 2, user=buyer))
    complete(seat_change(subscription=second, new_total=second.seats - 1, user=buyer))
    (cancellation,) = order_cancel(order=orders[2], user=buyer)
    complete(cancellation)
    return first, second, third


def test_a_month_as_ordered_reconciles_with_nothing_to_explain(month, upstream_reseller, simulator):
    check = check_today(upstream_reseller, simulator)
    assert check.status == BillCheck.Status.RECONCILED, check.failure_message
    assert [(m.kind, m.billed, m.expected) for m in check.mismatches.all()] == []
    # three purchases, one addition, one reduction, one refund
    assert (check.lines_read, check.lines_matched) == (6, 6)
    assert check.billed_total == check.expected_total != Decimal(0)


def test_a_dropped_refund_and_a_changed_price_are_found_with_both_sides(
    month, upstream_reseller, simulator
):
    first, _, third = month
    for fault in (
        {"kind": "drop_refund", "subscriptionId": third.upstream_id},
        {
            "kind": "price",
            "subscriptionId": first.upstream_id,
            "chargeType": "purchase",
            "unitCost": "1.00",
        },
    ):
        assert simulator.control.post("/_simulator/report-faults", json=fault).status_code == 201
    check = check_today(upstream_reseller, simulator)
    found = {(m.kind, m.subscription_upstream_id): m for m in check.mismatches.all()}
    assert set(found) == {
        (Mismatch.Kind.REFUND_MISSING, third.upstream_id),
        (Mismatch.Kind.PRICE, first.upstream_id),
    }
    price = found[(Mismatch.Kind.PRICE, first.upstream_id)]
    assert price.billed["unit_cost"] == "1.00"
    assert Decimal(price.expected["unit_cost"]) == first.unit_cost
    refund = found[(Mismatch.Kind.REFUND_MISSING, third.upstream_id)]
    assert refund.billed is None and Decimal(refund.expected["amount"]) < 0
    assert refund.subscription == third and refund.customer == third.customer

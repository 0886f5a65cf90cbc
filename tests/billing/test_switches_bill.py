"""The bill after plan switches, a co-termed purchase and an adopted estate: each is placed and
completed through the product's own services and pipeline against the simulator, the days
pass (time_machine moves the product's clock and the in-process simulator's with it), and the
marketplace's rated data is reconciled line for line."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from billing.ledger import expected_charges
from billing.models import BillCheck, Mismatch
from billing.services import bill_check_poll, bill_check_start
from catalog.models import Product
from customers.upstream import client_for
from orders.coterming import coterm_quote
from orders.models import Subscription
from orders.services import order_place
from orders.services.switching import plan_switch, plan_switch_options
from pricing.models import Method, PriceBook, Rounding
from renewals.services import customer_subscriptions_sync
from tests.estate.conftest import run_to_end
from tests.factories import CustomerFactory
from tests.orders.helpers import complete_through_simulator, order_request, place_for

pytestmark = pytest.mark.django_db(transaction=False)
STANDARD = "Microsoft 365 Business Standard"


def days_later(days):
    """Move the product's clock (and the in-process simulator's) ``days`` on from now."""
    return time_machine.travel(datetime.now(UTC) + timedelta(days=days, hours=1))


def product(name, term="P1Y", billing="P1M"):
    return Product.objects.get(
        name__startswith=name, segment="commercial", term=term, billing_period=billing
    )


@pytest.fixture
def customer(upstream_reseller):
    return CustomerFactory(reseller=upstream_reseller, upstream_customer_id="1000101")


@pytest.fixture
def complete(simulator, django_capture_on_commit_callbacks):
    return lambda order: complete_through_simulator(
        order, simulator, django_capture_on_commit_callbacks
    )


@pytest.fixture
def basic(customer, complete):
    """Three seats of Business Basic, a year billed monthly, bought today."""
    order = complete(place_for(customer, [product("Microsoft 365 Business Basic")]))
    return order.subscriptions.get()


def switched(subscription, complete, *, pick, seats):
    with client_for(subscription.customer.reseller) as client:
        options = plan_switch_options(subscription=subscription, client=client)
        option = next(o for o in options if pick(o))
        change = plan_switch(
            subscription=subscription, plan_id=option.plan_id, seats=seats, user=None, client=client
        )
    return complete(change)


def checked(reseller, simulator, start):
    """Check the bill from ``start`` to today: ask for the report, wait, reconcile."""
    today = timezone.now().date()
    check = BillCheck.objects.create(reseller=reseller, period_start=start, period_end=today)
    check = bill_check_start(check=check)
    simulator.advance(30)
    check = bill_check_poll(check=check)
    assert check.status == BillCheck.Status.RECONCILED, check.failure_message
    return check


def mismatches(check):
    return [(m.kind, m.charge_type, m.billed, m.expected) for m in check.mismatches.all()]


def to_standard(option):
    return option.is_upgrade and option.product.name.startswith(STANDARD)


def test_an_upgrade_of_every_seat_reconciles_line_for_line(
    basic, complete, upstream_reseller, simulator
):
    bought_on = timezone.now().date()
    with days_later(10):
        switched(basic, complete, pick=to_standard, seats=basic.seats)
    with days_later(40):
        check = checked(upstream_reseller, simulator, bought_on)
    assert mismatches(check) == []
    # purchase; the old plan's 20 days refunded, the new plan's charged; a period at Standard
    assert (check.lines_read, check.lines_matched) == (4, 4)
    assert check.billed_total == check.expected_total


def test_an_upgrade_at_the_books_price_still_reconciles_at_the_cost(
    customer, complete, upstream_reseller, simulator
):
    """The reseller sells both plans above the list price (sent as specialPrice); the
    marketplace bills its cost all the same, and so the check expects."""
    PriceBook.objects.create(
        reseller=upstream_reseller, method=Method.MARKUP, rate=20, rounding=Rounding.CENT
    )
    bought = complete(place_for(customer, [product("Microsoft 365 Business Basic")]))
    subscription = bought.subscriptions.get()
    bought_on = timezone.now().date()
    with days_later(10):
        change = switched(subscription, complete, pick=to_standard, seats=subscription.seats)
    line = change.lines.select_related("product").get()
    assert line.unit_price != line.product.price and line.unit_cost == line.product.cost
    with days_later(40):
        check = checked(upstream_reseller, simulator, bought_on)
    assert mismatches(check) == []
    assert (check.lines_read, check.lines_matched) == (4, 4)
    assert check.billed_total == check.expected_total


def test_a_partial_upgrade_reconciles_on_both_subscriptions(
    basic, complete, upstream_reseller, simulator
):
    bought_on = timezone.now().date()
    with days_later(10):
        change = switched(basic, complete, pick=to_standard, seats=1)
    moved = Subscription.objects.get(order=change)
    assert moved.seats == 1 and moved.product.name.startswith(STANDARD)
    with days_later(40):
        check = checked(upstream_reseller, simulator, bought_on)
    assert mismatches(check) == []
    # the parent: purchase, 1 seat refunded, a period of 2; the new one: 1 charged, a period
    assert (check.lines_read, check.lines_matched) == (5, 5)


def test_a_longer_term_reconciles_from_the_new_term_on(
    customer, complete, upstream_reseller, simulator
):
    monthly = complete(
        place_for(customer, [product("Microsoft 365 Business Basic", term="P1M")])
    ).subscriptions.get()
    bought_on = timezone.now().date()
    with days_later(12):
        switched(
            monthly,
            complete,
            pick=lambda o: not o.is_upgrade and o.product.term == "P1Y",
            seats=monthly.seats,
        )
    with days_later(45):
        check = checked(upstream_reseller, simulator, bought_on)
    assert mismatches(check) == []
    # purchase; 18 days refunded and a new period charged on day 12; the next one on day 42
    assert (check.lines_read, check.lines_matched) == (4, 4)


def test_a_fault_after_an_upgrade_is_found_with_its_kind(
    basic, complete, upstream_reseller, simulator
):
    bought_on = timezone.now().date()
    with days_later(10):
        switched(basic, complete, pick=to_standard, seats=basic.seats)
    faults = [
        {"kind": "price", "subscriptionId": basic.upstream_id, "chargeType": "switchCharge"},
        {"kind": "duplicate", "subscriptionId": basic.upstream_id, "chargeType": "switchRefund"},
    ]
    faults[0]["unitCost"] = "1.00"
    for fault in faults:
        assert simulator.control.post("/_simulator/report-faults", json=fault).status_code == 201
    with days_later(40):
        check = checked(upstream_reseller, simulator, bought_on)
    found = sorted((m.kind, m.charge_type) for m in check.mismatches.all())
    assert found == [
        (Mismatch.Kind.NOT_ORDERED, "switchRefund"),
        (Mismatch.Kind.PRICE, "switchCharge"),
    ]
    price = check.mismatches.get(kind=Mismatch.Kind.PRICE)
    assert price.billed["unit_cost"] == "1.00"
    assert Decimal(price.expected["unit_cost"]) == product(STANDARD).cost


def test_a_co_termed_purchase_is_charged_what_the_review_showed_and_reconciles(
    basic, customer, complete, upstream_reseller, simulator
):
    bought_on = timezone.now().date()
    with client_for(upstream_reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    basic.refresh_from_db()
    standard = product(STANDARD)
    # The add-on sells at the reseller's own price: sent as its specialPrice, prorated there.
    PriceBook.objects.create(
        reseller=upstream_reseller, method=Method.MARKUP, rate=40, rounding=Rounding.CHARM
    )
    with days_later(10):
        request = order_request(
            customer,
            [standard],
            tenant_preference="existing",
            microsoft_domain=basic.tenant_domain,
            agreement=None,
            coterm_subscription_id=basic.pk,
        )
        review = coterm_quote(
            request=request,
            products={standard.pk: standard},
            target=basic,
            today=timezone.now().date(),
        )
        order = order_place(
            request=request,
            reseller=upstream_reseller,
            placed_by=None,
            idempotency_key=uuid.uuid4(),
            ip_address=None,
            channel="api",
        )
        order = complete(order)
        with client_for(upstream_reseller) as client:
            upstream = client.get_order(order_id=order.upstream_order_id)
        check = checked(upstream_reseller, simulator, bought_on)
    assert order.coterm_with == basic
    assert upstream.total.amount == review.first_charge
    (line,) = review.lines
    assert 0 < line.share < 1  # prorated to the first billing date before the shared end
    assert order.lines.get().unit_price != standard.price
    assert mismatches(check) == []
    assert (check.lines_read, check.lines_matched) == (2, 2)  # the two purchases


def test_an_adopted_estate_reconciles_with_nothing_billed_that_is_unknown(
    upstream_reseller, simulator
):
    simulator.post("estate", {"resellerId": "1000001", "customers": 3, "subscriptions": 12})
    run = run_to_end(upstream_reseller)
    assert Subscription.objects.filter(origin=Subscription.Origin.ADOPTED).count() == 12, run
    today = timezone.now().date()
    check = checked(upstream_reseller, simulator, today - timedelta(days=400))
    assert mismatches(check) == []
    assert check.lines_read > 12  # each one's billing periods, a purchase for the newest
    assert check.lines_matched == check.lines_read


def test_a_shorter_term_at_the_renewal_bills_the_new_plan_from_the_renewal_on(
    basic, customer, complete, upstream_reseller, simulator
):
    def sync():
        with client_for(upstream_reseller) as client:
            customer_subscriptions_sync(customer=customer, client=client)

    sync()
    basic.refresh_from_db()
    renews = basic.renewal_date
    change = switched(
        basic, complete, pick=lambda o: not o.is_upgrade and o.product.term == "P1M", seats=3
    )
    assert change.at_renewal
    days_to_renewal = (renews - timezone.now().date()).days
    with days_later(days_to_renewal + 1):
        sync()
    change.refresh_from_db()
    assert change.applied_at.date() == renews
    with days_later(days_to_renewal + 40):
        start = renews - timedelta(days=40)
        check = checked(upstream_reseller, simulator, start)
        expected, _ = expected_charges(
            reseller=upstream_reseller, start=start, end=timezone.now().date()
        )
    assert mismatches(check) == []
    assert check.lines_read == check.lines_matched == len(expected) >= 2
    # the periods before the renewal at the yearly term's cost, after it at the monthly one
    costs = {(c.day >= renews, c.unit_cost) for c in expected.values()}
    yearly, monthly = product("Microsoft 365 Business Basic"), change.lines.get().product
    assert costs == {(False, yearly.cost), (True, monthly.cost)} and monthly.cost > yearly.cost

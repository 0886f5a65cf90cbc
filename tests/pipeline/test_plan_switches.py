"""Upgrades, term changes and changes at renewal through the pipeline: real worker, Redis,
PostgreSQL, the simulator over HTTP.

Each switch is placed by the product's own service (the builder the subscription page uses)
and sent by the worker; the worker is SIGKILLed right after the marketplace has served the
POST, and a second worker finishes the order: upstream it exists once.
"""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from catalog.models import Product
from catalog.price_words import price_per_period
from customers.upstream import client_for
from marketplace.types import OrderInput, OrderLineInput
from orders.models import Order, Subscription
from orders.services import order_place
from orders.services.changes import ChangeRefused
from orders.services.renewal_changes import renewal_change_schedule
from orders.services.switching import plan_switch, plan_switch_options
from renewals.services import customer_subscriptions_sync
from tests.orders.helpers import order_request
from webhooks.models import Endpoint, Event, Message

from .conftest import place_order, wait_for, wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]
DAY = 86400


@pytest.fixture
def bought(upstream, start_worker):
    """A completed Business Basic (one month, monthly) subscription of 3 seats, and its worker."""
    worker = start_worker(name="first")
    Endpoint.objects.create(
        reseller=upstream[0],
        url="https://hooks.example/in",
        events=[
            Event.SUBSCRIPTION_CHANGED,
            Event.SUBSCRIPTION_RENEWED,
            Event.SUBSCRIPTION_SCHEDULED_CHANGE_APPLIED,
        ],
    )
    order = wait_for_status(place_order(upstream), "completed", workers=[worker])
    return Subscription.objects.get(order=order), worker


def prices_of(subscription):
    return (subscription.unit_price, subscription.unit_cost, subscription.currency)


def switch(upstream, subscription, pick, seats):
    reseller, _, buyer = upstream
    with client_for(reseller) as client:
        options = plan_switch_options(subscription=subscription, client=client)
        option = next(o for o in options if pick(o))
        change = plan_switch(
            subscription=subscription,
            plan_id=option.plan_id,
            seats=seats,
            user=buyer,
            client=client,
        )
    return change, option


def killed_after_the_post(simulator, start_worker, worker, change):
    """SIGKILL the worker once the marketplace has created the order; return a new worker."""
    wait_for(
        lambda: simulator.orders_with(change.reference) == 1,
        what="the marketplace to create the change order",
    )
    worker.kill()
    return start_worker(name="survivor")


@pytest.mark.parametrize(
    "kind, pick, seats",
    [
        ("upgrade", lambda o: o.is_upgrade and "Standard" in o.product.name, 3),
        ("partial upgrade", lambda o: o.is_upgrade and "Standard" in o.product.name, 1),
        ("period change", lambda o: not o.is_upgrade and o.product.term == "P1Y", 3),
    ],
)
def test_a_switch_completes_upstream_once_though_the_worker_dies_after_the_post(
    upstream, simulator, start_worker, bought, client, kind, pick, seats
):
    subscription, worker = bought
    old_plan = prices_of(subscription)
    simulator.fail(kind="delay", seconds=4, method="POST", path="/orders", count=1)
    change, option = switch(upstream, subscription, pick, seats)
    survivor = killed_after_the_post(simulator, start_worker, worker, change)
    change = wait_for_status(change, "completed", timeout=90, workers=[survivor])
    assert change.upstream_order_number.startswith("CH")
    assert simulator.orders_with(change.reference) == 1
    subscription.refresh_from_db()
    # The new plan's selling price and cost are the switch's line's (what the bill reads).
    line = change.lines.get()
    new_plan = (line.unit_price, line.unit_cost, line.currency)
    assert new_plan != old_plan
    if kind == "partial upgrade":
        assert subscription.seats == 2 and subscription.product != option.product
        assert prices_of(subscription) == old_plan  # the seats left keep their plan
        moved = wait_for(
            lambda: Subscription.objects.filter(order=change).first(),
            what="the partial upgrade's new subscription",
        )
        assert moved.seats == 1 and moved.product == option.product
        assert moved.renewal_date == subscription.renewal_date
        assert prices_of(moved) == new_plan
    else:
        assert subscription.seats == 3 and subscription.product == option.product
        assert prices_of(subscription) == new_plan
        assert subscription.unit_margin == line.unit_margin
        # What the marketplace stated was for the old plan: not shown as if for the new one.
        assert subscription.marketplace_unit_price is None
    (changed,) = subscription.history.filter(kind="changed")
    assert changed.details["order"] == change.reference
    assert changed.details["before"]["unit_price"] == str(old_plan[0])
    assert changed.details["after"]["unit_price"] == str(prices_of(subscription)[0])
    # The page of the subscription on the new plan says its price, cost and margin.
    on_new_plan = moved if kind == "partial upgrade" else subscription
    client.force_login(upstream[2])
    page = client.get(reverse("subscriptions:detail", args=[on_new_plan.pk])).content.decode()
    for amount in (line.unit_price, line.unit_cost, line.unit_margin):
        assert price_per_period(amount, line.currency, line.billing_period) in page
    (message,) = Message.objects.filter(event_type="subscription.changed")
    assert message.payload["data"]["after"] == changed.details["after"]
    actions = list(change.events.values_list("action", flat=True))
    assert actions[0] == "place" and actions[-1] in {"complete", "details_recorded"}


def test_a_switch_the_plan_does_not_offer_is_refused_before_anything_is_sent(
    upstream, simulator, bought
):
    subscription, _ = bought
    reseller, _, buyer = upstream
    before = simulator.stats()["requests"]
    with client_for(reseller) as client, pytest.raises(ChangeRefused) as refused:
        plan_switch(subscription=subscription, plan_id="99999", seats=3, user=buyer, client=client)
    assert "does not offer that switch" in refused.value.message
    after = simulator.stats()["requests"]
    sent = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    assert not sent.get("POST /orders") and not sent.get("POST /orders/estimate")
    assert not Order.objects.filter(subscription=subscription).exists()


def test_a_second_change_while_one_is_in_progress_gets_the_marketplace_refusal_in_words(
    upstream, simulator, bought
):
    subscription, _ = bought
    simulator.control("POST", "timings", {"submitted": 30, "assigning": 30, "provisioning": 300})
    reseller, _, buyer = upstream
    product = subscription.product
    seats_elsewhere = OrderInput(
        customer_id=subscription.customer.upstream_customer_id,
        reference="PORTAL-1",
        type="change",
        subscription_id=subscription.upstream_id,
        lines=(
            OrderLineInput(
                mpn=product.mpn,
                quantity=4,
                subscription_period=product.term,
                billing_period=product.billing_period,
                subscription_id=subscription.upstream_id,
            ),
        ),
    )
    with client_for(reseller) as client:
        # Placed elsewhere (the distributor's portal): the product does not know of it.
        elsewhere = client.create_order(order=seats_elsewhere)
        with pytest.raises(ChangeRefused) as refused:
            switch(upstream, subscription, lambda o: o.is_upgrade, 3)
    message = refused.value.message
    assert f"already an Upgrade/Downgrade Order #{elsewhere.order_number}" in message
    assert "Wait until the earlier change completes" in message
    assert not Order.objects.filter(subscription=subscription).exists()


def test_a_reduction_scheduled_for_the_renewal_is_applied_there_with_its_charge(
    upstream, simulator, bought
):
    subscription, worker = bought
    reseller, customer, buyer = upstream
    with client_for(reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    subscription.refresh_from_db()
    simulator.control("POST", "clock", {"advanceSeconds": 8 * DAY})  # the window has closed
    change = renewal_change_schedule(subscription=subscription, new_total=2, user=buyer)
    change = wait_for_status(change, "completed", workers=[worker])
    assert simulator.orders_with(change.reference) == 1
    subscription.refresh_from_db()
    assert subscription.seats == 3  # nothing changes before the renewal

    simulator.control("POST", "clock", {"advanceSeconds": 31 * DAY})  # past the renewal date
    with client_for(reseller) as client:
        assert customer_subscriptions_sync(customer=customer, client=client).renewed == 1
        renewal = next(
            o
            for o in client.list_orders(subscription_id=subscription.upstream_id)
            if o.type == "renewal"
        )
    subscription.refresh_from_db()
    assert subscription.seats == 2
    assert renewal.total.amount == subscription.product.price * 2
    kinds = list(subscription.history.values_list("kind", flat=True))
    assert kinds[-2:] == ["scheduled_change_applied", "renewed"]
    change.refresh_from_db()
    assert change.applied_at is not None
    sent = {m.event_type: m.payload["data"] for m in Message.objects.all()}
    assert sent["subscription.scheduled_change_applied"]["after"]["seats"] == 2
    assert sent["subscription.renewed"]["subscription"]["seats"] == 2


def test_a_co_termed_add_on_completes_upstream_once_though_the_worker_dies_after_the_post(
    upstream, simulator, start_worker, bought
):
    subscription, worker = bought
    reseller, customer, buyer = upstream
    with client_for(reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    subscription.refresh_from_db()
    copilot = Product.objects.filter(
        name__contains="Copilot", term="P1Y", billing_period="P1M", active=True
    ).first()
    assert copilot.coterming_required == "MANDATORY"
    request = order_request(
        customer,
        [copilot],
        tenant_preference="existing",
        microsoft_domain=subscription.tenant_domain,
        coterm_subscription_id=subscription.pk,
    )
    simulator.fail(kind="delay", seconds=4, method="POST", path="/orders", count=1)
    add_on = order_place(
        request=request,
        reseller=reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address="198.51.100.4",
        channel="wizard",
    )
    survivor = killed_after_the_post(simulator, start_worker, worker, add_on)
    add_on = wait_for_status(add_on, "completed", timeout=90, workers=[survivor])
    assert simulator.orders_with(add_on.reference) == 1
    with client_for(reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    (aligned,) = Subscription.objects.filter(order=add_on)
    assert aligned.product == copilot
    assert aligned.renewal_date == subscription.renewal_date
    assert aligned.renewal_date < date.fromordinal(aligned.created_at.date().toordinal() + 365)

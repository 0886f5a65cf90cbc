"""Orders of one customer completing in the same poll pass are recorded together: from the
rows of one list of the customer's orders, then their details in one batch.

Real parts: the simulator over HTTP, PostgreSQL, Redis and a Celery worker with its beat.
The orders are placed and sent from the test process with nothing handed to the broker,
so the worker's first look at them is the beat's poll pass, which finds them all due.
"""

import re
import uuid
from collections import Counter

import pytest
from django.utils import timezone

from orders.models import Order, SeatBatch, Subscription
from orders.pipeline import submission
from orders.services import order_place
from tests.orders.helpers import order_request
from tests.orders.simulated import plain_products

from .conftest import wait_for, wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

WOODGROVE = ("woodgrovebank.onmicrosoft.com", "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6")
#: POLL_LIST_THRESHOLD's default: this many due orders of a customer get a list poll.
ORDERS = 20
NEW_TENANT_ORDERS = 4


def place_and_send(upstream, products, *, new_tenant: bool) -> Order:
    reseller, customer, buyer = upstream
    if new_tenant:
        overrides = {"microsoft_domain": f"bt{uuid.uuid4().hex[:10]}.onmicrosoft.com"}
    else:
        overrides = {"tenant_preference": "existing", "microsoft_domain": WOODGROVE[0]}
    order = order_place(
        request=order_request(customer, products, **overrides),
        reseller=reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel="api",
    )
    submission.order_submit(order.pk)
    return Order.objects.get(pk=order.pk)


def requests_by_kind(stats) -> Counter:
    kinds = Counter()
    for key, count in stats["requests"].items():
        kinds[re.sub(r"/\d+$", "/{id}", key)] += count
    return kinds


@pytest.mark.parametrize("instances", [1, 2], ids=["one worker", "two workers racing"])
def test_orders_completing_together_are_recorded_from_one_subscription_list(
    instances, upstream, simulator, start_worker, monkeypatch
):
    _, customer, _ = upstream
    products = plain_products(2)
    # Setup only: the test process hands nothing to the broker.
    monkeypatch.setattr("orders.dispatch._publish", lambda *args: None)
    # New-tenant orders first, while the customer has no tenant; then its existing tenant is
    # known here (as an earlier order would have recorded it) and the rest buy into it.
    orders = [place_and_send(upstream, products, new_tenant=True) for _ in range(NEW_TENANT_ORDERS)]
    customer.tenant_domain, customer.tenant_id = WOODGROVE
    customer.save()
    orders += [
        place_and_send(upstream, products, new_tenant=False)
        for _ in range(ORDERS - NEW_TENANT_ORDERS)
    ]
    monkeypatch.undo()
    assert all(o.status == "submitted" and o.upstream_order_id for o in orders)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(next_poll_at=timezone.now())
    # All of them finished upstream before the first look, so that one list poll finds them
    # all (orders finishing between two list polls are recorded in two batches).
    simulator.control("POST", "clock", {"advanceSeconds": 3600})
    before = requests_by_kind(simulator.stats())

    # Two instances each run a beat, so both claim from the same schedule.
    workers = [start_worker(name=f"w{n}") for n in range(instances)]
    for order in orders:
        wait_for_status(order, "completed", timeout=60, workers=workers)
    # Completed from the list of the customer's orders; their details (the subscriptions) next.
    wait_for(
        lambda: (
            not Order.objects.filter(pk__in=[o.pk for o in orders], details_pending=True).exists()
        ),
        timeout=60,
        what="every order's detail recorded",
    )

    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        subscriptions = list(Subscription.objects.filter(order=order))
        assert len(subscriptions) == 2
        for subscription in subscriptions:
            line = order.lines.get(subscription=subscription)
            assert subscription.seats == line.quantity == 3
            assert subscription.status == "active"
            assert subscription.tenant_id
            batch = SeatBatch.objects.get(subscription=subscription, order=order)
            assert batch.seats == 3
        if order.parameters.filter(name="tenant_preference", value="existing").exists():
            assert {s.tenant_id for s in subscriptions} == {WOODGROVE[1]}
        completions = order.events.filter(action="complete")
        assert completions.count() == 1
        assert completions.get().actor == "upstream"
        assert order.events.filter(action="details_recorded").count() == 1
        assert order.exchanges.filter(operation="list_subscriptions").count() == 1

    after = requests_by_kind(simulator.stats())
    made = {kind: after[kind] - before[kind] for kind in after if after[kind] != before[kind]}
    # One list for the customer's 40 subscriptions (one per batch: two beats may each hand
    # out a share of the orders); a detail only for each new-tenant order (its tenant id and
    # admin), where one poll per order read every subscription (40); each order read once.
    assert 1 <= made.get("GET /subscriptions", 0) <= instances, made
    assert made.get("GET /subscriptions/{id}") == NEW_TENANT_ORDERS, made
    assert made.get("GET /orders/{id}") == ORDERS, made
    assert sum(simulator.stats()["ordersByPoNumber"].values()) == ORDERS

    # The e-mails went out as their own tasks, one per order, after the completions committed.
    def log_text():
        return "".join(worker.log_path.read_text(errors="replace") for worker in workers)

    def notices():
        received = re.findall(r"Task orders\.notify_completion\[([^\]]+)\] succeeded", log_text())
        return len(set(received)) == ORDERS

    wait_for(notices, timeout=30, what="a completion e-mail task per order")

"""Chaos at CI size: kills during the POST, a broker restart, a 429 storm on several workers.

Real Celery workers, a Redis of the test's own, PostgreSQL, the simulator over HTTP. What the
simulator counted (orders by poNumber, the timed request log) is the evidence, not the product.
"""

import threading
import time

import pytest

from orders.models import Order
from simulator.driving import inside_retry_after, read_request_log, seed_foreign_orders

from .conftest import SEEDED_CUSTOMER_ID, RedisServer, celery_broker, place_order, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

FOREIGN_ORDERS = 120
#: Placed through the customer's other channel while the run goes on (newer than ours).
TRICKLE_ORDERS = 60
CHAOS_ORDERS = 60
KILLS = 4
EXISTING_TENANT = "woodgrovebank.onmicrosoft.com"  # the seeded customer's tenant
SETTLED = {Order.Status.SUBMITTED, Order.Status.PROCESSING, Order.Status.COMPLETED}


def statuses(orders) -> dict[str, int]:
    found = {}
    for status in Order.objects.filter(pk__in=[o.pk for o in orders]).values_list(
        "status", flat=True
    ):
        found[status] = found.get(status, 0) + 1
    return found


def ours_created(simulator) -> int:
    """How many orders upstream carry one of our references (the others are PORTAL-/SHOP-)."""
    return sum(n for po, n in simulator.stats()["ordersByPoNumber"].items() if "NCE-" in po)


def chaos_order(upstream, index):
    """Half for the customer's existing tenant (a second POST would create a second order
    upstream), half for a new tenant (a second POST would be refused: the domain is taken)."""
    if index % 2:
        return place_order(upstream)
    return place_order(upstream, tenant_preference="existing", microsoft_domain=EXISTING_TENANT)


def test_kills_during_late_posts_and_a_broker_restart_create_every_order_exactly_once(
    upstream, simulator, start_worker, tmp_path
):
    # The customer already has 120 orders upstream (placed elsewhere): more than a page of them.
    seed_foreign_orders(f"{simulator.url}/marketplace/eu", SEEDED_CUSTOMER_ID, FOREIGN_ORDERS)
    # Each of our POST /orders is served, then answered a second late: a kill lands mid-POST.
    simulator.fail(
        kind="delay", seconds=1.0, method="POST", path="/orders", poNumberContains="NCE-"
    )
    redis = RedisServer(tmp_path)
    workers = []
    trickle = threading.Thread(
        target=seed_foreign_orders,
        args=(f"{simulator.url}/marketplace/eu", SEEDED_CUSTOMER_ID, TRICKLE_ORDERS),
        kwargs={"tag": "SHOP", "interval": 0.25},
        daemon=True,
    )
    try:
        with celery_broker(redis.url):
            orders = [chaos_order(upstream, index) for index in range(CHAOS_ORDERS)]
        workers.append(start_worker(name="w0", redis_url=redis.url, concurrency=4))
        trickle.start()
        for kill in range(KILLS):
            created = ours_created(simulator)
            # One of ours served upstream, its answer still a second away: now the worker dies.
            wait_for(
                lambda created=created: ours_created(simulator) > created,
                interval=0.02,
                what="a POST /orders to be served",
            )
            workers[-1].kill()
            if kill == 1:
                # The broker goes too, and every task queued in it with it.
                redis.kill()
                redis = RedisServer(tmp_path, port=redis.port)
            workers.append(start_worker(name=f"w{kill + 1}", redis_url=redis.url, concurrency=4))
            # Let the new worker make some progress before the next kill.
            wait_for(
                lambda created=created: ours_created(simulator) > created + 6,
                timeout=60,
                what="the new worker to send orders",
            )

        def all_settled():
            # Settled, or failed: anything but still on its way (placed, submitting, unknown).
            return (
                Order.objects.filter(
                    pk__in=[o.pk for o in orders], status__in=SETTLED | {Order.Status.FAILED}
                ).count()
                == CHAOS_ORDERS
            )

        try:
            wait_for(all_settled, timeout=120, interval=0.5, what="every order to settle")
        except AssertionError:
            raise AssertionError(f"Not settled: {statuses(orders)}\n{workers[-1].log()}") from None

        trickle.join(30)
        by_po = simulator.stats()["ordersByPoNumber"]
        counts = {
            o.reference: sum(n for po, n in by_po.items() if o.reference in po) for o in orders
        }
        duplicated = {ref: n for ref, n in counts.items() if n > 1}
        missing = [ref for ref, n in counts.items() if n == 0]
        assert not duplicated, f"created more than once upstream: {duplicated}"
        assert not missing, f"settled but never created upstream: {missing}"
        # A second POST for a new tenant is refused upstream (domain taken): the order shows
        # failed although the marketplace holds it.
        assert statuses(orders).get(Order.Status.FAILED, 0) == 0, statuses(orders)
        ours = sum(n for po, n in by_po.items() if not po.startswith(("PORTAL-", "SHOP-")))
        assert ours == CHAOS_ORDERS
        assert sum(by_po.values()) == FOREIGN_ORDERS + TRICKLE_ORDERS + CHAOS_ORDERS
        # The kills did land mid-POST: orders were found again by a search, not re-sent.
        adopted = Order.objects.filter(
            pk__in=[o.pk for o in orders], events__action="lose_track"
        ).distinct()
        assert adopted.count() >= 1
    finally:
        redis.stop()


def test_a_429_storm_on_several_workers_sends_nothing_inside_a_retry_after(
    upstream, simulator, start_worker
):
    # A budget of 4 requests per 2 s on the key; over it: 429 with Retry-After (1-2 s).
    simulator.control("POST", "rate-limit", {"limit": 4, "windowSeconds": 2, "retryAfter": True})
    cursor = read_request_log(simulator.url)[1]
    workers = [
        start_worker(name="a", concurrency=2),
        start_worker(name="b", concurrency=2, beat=False),
        start_worker(name="c", concurrency=2, beat=False),
    ]
    orders = [place_order(upstream) for _ in range(10)]
    try:
        wait_for(
            lambda: (
                Order.objects.filter(
                    pk__in=[o.pk for o in orders], status=Order.Status.COMPLETED
                ).count()
                == len(orders)
            ),
            timeout=120,
            interval=0.5,
            what="every order to complete",
        )
    except AssertionError:
        raise AssertionError(f"Not completed: {statuses(orders)}\n{workers[0].log()}") from None
    time.sleep(0.5)
    entries, _, dropped = read_request_log(simulator.url, cursor)
    assert dropped == 0
    limited = [e for e in entries if e["status"] == 429]
    assert len(limited) >= 3, "the storm did not happen"
    assert all(e["retryAfter"] for e in limited)
    inside = inside_retry_after(entries)
    assert not inside, "started inside a Retry-After window: " + ", ".join(
        f"{e['method']} {e['path']} at {e['startedMonotonic']:.3f}" for e in inside[:10]
    )
    for order in orders:
        assert simulator.orders_with(order.reference) == 1

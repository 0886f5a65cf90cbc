"""Work a dead worker held, and an attempt a gateway swallowed, are taken up again in seconds.

Real Celery workers (killed with SIGKILL: no ``finally`` runs), PostgreSQL, Redis and the
simulator over HTTP.
"""

import pytest
from django.core.cache import cache

from orders.pipeline.poll_claims import claim_key

from .conftest import place_order, wait_for, wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

EXISTING_TENANT = "woodgrovebank.onmicrosoft.com"  # the seeded customer's tenant
#: A due poll waits up to its lease (ORDERS_POLL_LEASE_SECONDS: 60 s by default, 8 s here) for
#: the beat after its worker died, and up to the dead worker's claim (15 s); then it takes seconds.
SHORT_LEASE = {"ORDERS_POLL_LEASE_SECONDS": "8"}
RECOVERY_SECONDS = 60


def test_a_killed_pollers_claim_lapses_with_it(upstream, simulator, start_worker):
    # The order's detail read hangs: its poller is in the middle of it when it is killed.
    simulator.fail(kind="delay", seconds=30, method="GET", path="/orders/*")
    first = start_worker(name="c1", concurrency=1, pipeline_env=SHORT_LEASE)
    order = place_order(upstream, tenant_preference="existing", microsoft_domain=EXISTING_TENANT)
    wait_for(lambda: cache.get(claim_key(order.pk)), what="a worker to be polling the order")
    first.kill()
    simulator.control("DELETE", "failures")
    second = start_worker(name="c2", concurrency=1, pipeline_env=SHORT_LEASE)
    # Before: the dead worker's claim held the order for 300 s.
    wait_for_status(order, "completed", timeout=RECOVERY_SECONDS, workers=[second])
    assert simulator.orders_with(order.reference) == 1


def test_a_resubmission_through_a_504_reaches_the_marketplace(upstream, simulator, start_worker):
    from orders.services.changes import order_resubmit

    reseller, customer, buyer = upstream
    worker = start_worker(name="pf", concurrency=2)
    # The first attempt is created upstream, then fails there (provisioning failed, PF).
    simulator.fail(kind="order_outcome", outcome="error", count=1)
    order = place_order(upstream, tenant_preference="existing", microsoft_domain=EXISTING_TENANT)
    order = wait_for_status(order, "failed", workers=[worker])
    # Resubmitted; the gateway answers its POST with a 504 and nothing is created.
    simulator.fail(kind="status", status=504, method="POST", path="/orders", count=1)
    order_resubmit(order=order, user=buyer)
    order = wait_for_status(order, "completed", timeout=60, workers=[worker])
    # Both attempts are upstream under the reference: the failed one and the one that completed.
    assert simulator.orders_with(order.reference) == 2
    actions = list(order.events.values_list("action", flat=True))
    assert actions.count("lose_track") == 1 and actions.count("release") == 1

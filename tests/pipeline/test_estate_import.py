"""Adopting the estate with a real Celery worker, against the simulator over HTTP.

500 subscriptions across 60 customers bought elsewhere; the page of the list at row 200 fails
on the way (scripted 503s of the simulator, more than the client retries): the run resumes at
that page, and a second run afterwards doubles nothing.
"""

import pytest

from customers.models import Customer
from estate.models import ImportRun
from estate.services import import_run_start
from orders.models import Subscription, SubscriptionEvent

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {"ESTATE_RETRY_BASE_SECONDS": "0.5", "ORDERS_POLL_REQUESTS_PER_MINUTE": "20000"}


def _finished(run):
    def done():
        run.refresh_from_db()
        return not run.is_open

    return done


def test_500_subscriptions_adopted_once_with_a_page_failing_halfway(
    upstream, simulator, start_worker
):
    reseller, customer, buyer = upstream
    seeded = simulator.control(
        "POST", "estate", {"resellerId": "1000001", "customers": 60, "subscriptions": 500}
    )
    simulator.fail(
        kind="status", status=503, path="/subscriptions", query={"offset": "200"}, count=4
    )  # the client's own retries (3) are spent too: the page fails for the run
    start_worker(pipeline_env=FAST)

    run = import_run_start(reseller=reseller, user=buyer)
    wait_for(_finished(run), timeout=120, what="the import to finish")

    assert run.status == ImportRun.Status.DONE, run.last_error
    assert run.pages_failed == 1 and "row 200" in run.last_error
    adopted = Subscription.objects.filter(customer__reseller=reseller, origin="adopted")
    assert adopted.count() == 500 == run.subscriptions_adopted
    assert set(adopted.values_list("upstream_id", flat=True)) == set(seeded["subscriptionIds"])
    assert adopted.filter(order__isnull=True, seats__gt=0).count() == 500
    # 60 new customers and the simulator's two other seeded ones; Woodgrove was known already.
    assert run.customers_created == 62
    assert Customer.objects.filter(reseller=reseller).count() == 63
    assert SubscriptionEvent.objects.filter(kind="adopted").count() == 500
    assert run.requests / 500 <= 1.2

    again = import_run_start(reseller=reseller, user=buyer)
    assert again.pk != run.pk
    wait_for(_finished(again), timeout=60, what="the second import to finish")
    assert again.status == ImportRun.Status.DONE
    assert again.subscriptions_adopted == 0 and again.customers_created == 0
    assert adopted.count() == 500 and Customer.objects.filter(reseller=reseller).count() == 63
    assert SubscriptionEvent.objects.count() == 500
    assert again.requests < 20  # the pages only: nothing changed, so no detail is read

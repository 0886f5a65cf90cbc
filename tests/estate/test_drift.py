"""The scheduled sync records what changed outside this product, never overwriting it silently.

The estate is bought elsewhere in the simulator (over its HTTP interface, in-process), adopted,
then changed behind the product's back through the simulator's control routes.
"""

import pytest

from customers.models import Customer
from estate.models import ImportRun
from orders.models import Subscription
from tests.factories import OrderFactory, SubscriptionFactory

from .conftest import run_to_end

pytestmark = pytest.mark.django_db


def _outside(marketplace, subscription_id, **change):
    marketplace.post(f"subscriptions/{subscription_id}/outside", change)


def test_changes_made_elsewhere_are_recorded_with_before_and_after(marketplace, estate_reseller):
    seeded = marketplace.post(
        "estate", {"resellerId": "1000001", "customers": 2, "subscriptions": 4}
    )
    first = run_to_end(estate_reseller)
    assert first.status == ImportRun.Status.DONE and first.subscriptions_adopted == 4
    more, fewer, gone, kept = (
        Subscription.objects.get(upstream_id=i) for i in seeded["subscriptionIds"]
    )

    _outside(marketplace, more.upstream_id, quantity=more.seats + 3)
    _outside(marketplace, fewer.upstream_id, renewalStatus=False)
    _outside(marketplace, gone.upstream_id, status="terminated")
    added = marketplace.post(
        f"customers/{seeded['customerIds'][0]}/subscriptions/outside", {"quantity": 2}
    )["id"]
    sync = run_to_end(estate_reseller, kind=ImportRun.Kind.SYNC)

    assert sync.status == ImportRun.Status.DONE
    assert sync.subscriptions_changed == 3 and sync.subscriptions_adopted == 1
    changed = more.history.get(kind="changed_outside")
    assert changed.details == {"before": {"seats": more.seats}, "after": {"seats": more.seats + 3}}
    assert "seats from" in changed.cause and changed.actor == "upstream"
    assert fewer.history.get(kind="changed_outside").details["after"] == {"auto_renew": False}
    assert gone.history.get(kind="cancelled_outside").details["after"] == {"status": "terminated"}
    assert Subscription.objects.get(upstream_id=added).history.get().kind == "added_outside"
    assert not kept.history.exclude(kind="adopted").exists()
    more.refresh_from_db()
    assert more.seats == more.history.get(kind="changed_outside").details["after"]["seats"]

    quiet = run_to_end(estate_reseller, kind=ImportRun.Kind.SYNC)
    assert quiet.subscriptions_changed == 0 and quiet.subscriptions_adopted == 0


def test_a_subscription_ordered_here_and_changed_elsewhere_is_recorded_too(
    marketplace, estate_reseller
):
    seeded = marketplace.post(
        "estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 1}
    )
    run_to_end(estate_reseller)
    adopted = Subscription.objects.get()
    # The same marketplace subscription, as if this product had ordered it.
    Subscription.objects.filter(pk=adopted.pk).update(origin="ordered")
    ordered = SubscriptionFactory(
        customer=adopted.customer, upstream_id="not-upstream", order__customer=adopted.customer
    )
    _outside(marketplace, seeded["subscriptionIds"][0], quantity=adopted.seats + 1)
    run_to_end(estate_reseller, kind=ImportRun.Kind.SYNC)
    assert adopted.history.filter(kind="changed_outside").count() == 1
    assert not ordered.history.exists()


def test_a_subscription_of_a_customer_with_a_purchase_still_being_recorded_waits(
    marketplace, estate_reseller
):
    """It may be that purchase's own: the pipeline records it with its order, not the import."""
    seeded = marketplace.post(
        "estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 2}
    )
    customer = Customer.objects.create(
        reseller=estate_reseller,
        company_name="Buying now",
        street_address="1 Main Street",
        city="Denver",
        postal_code="80202",
        country="US",
        upstream_customer_id=seeded["customerIds"][0],
    )
    purchase = OrderFactory(customer=customer, status="submitted")
    run = run_to_end(estate_reseller)
    assert run.subscriptions_deferred == 2 and run.subscriptions_adopted == 0
    purchase.status = "failed"
    purchase.save()
    sync = run_to_end(estate_reseller, kind=ImportRun.Kind.SYNC)
    assert sync.subscriptions_adopted == 2
    kinds = set(Subscription.objects.values_list("history__kind", flat=True))
    assert kinds == {"added_outside"}

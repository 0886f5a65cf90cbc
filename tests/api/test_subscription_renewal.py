"""Auto-renew and a change scheduled for the renewal, over the API: the same services as the
renewals pages, against the in-process simulator.
"""

import pytest

from orders.models import Order
from renewals.services import customer_subscriptions_sync
from tests.orders.helpers import complete_through_simulator, completed_order
from tests.orders.simulated import plain_products

pytestmark = pytest.mark.django_db
DAY = 86400


@pytest.fixture
def subscription(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    with simulator.client() as client:
        customer_subscriptions_sync(customer=upstream_customer, client=client)
    return order.subscriptions.get()


def auto_renew(api, subscription, enabled):
    return api.client.put(
        f"/api/v1/subscriptions/{subscription.pk}/auto-renew",
        {"enabled": enabled},
        content_type="application/json",
        **api.auth,
    )


def test_auto_renew_is_turned_off_at_the_marketplace_and_here(
    upstream_api, simulator, subscription
):
    response = auto_renew(upstream_api, subscription, False)
    assert response.status_code == 200, response.content
    assert response.json()["auto_renew"] is False
    with simulator.client() as client:
        upstream = client.get_subscription(subscription_id=subscription.upstream_id)
    assert upstream.renewal_status is False
    assert auto_renew(upstream_api, subscription, True).json()["auto_renew"] is True


def test_another_resellers_subscription_is_not_found(api, subscription):
    assert auto_renew(api, subscription, False).status_code == 404


def test_a_change_scheduled_for_the_renewal_is_cancelled_once(
    upstream_api, simulator, subscription, django_capture_on_commit_callbacks
):
    simulator.advance(8 * DAY)  # the 7-day window has closed: seats go down only at renewal
    placed = upstream_api.post(
        f"/api/v1/subscriptions/{subscription.pk}/changes", {"type": "renewal_seats", "seats": 1}
    )
    assert placed.status_code == 202, placed.content
    change = complete_through_simulator(
        Order.objects.get(reference=placed.json()["reference"]),
        simulator,
        django_capture_on_commit_callbacks,
    )
    cancel = f"/api/v1/subscriptions/{subscription.pk}/scheduled-changes/{change.reference}/cancel"

    response = upstream_api.post(cancel)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    with simulator.client() as client:
        assert client.get_order(order_id=change.upstream_order_id).status == "cancelled"

    again = upstream_api.post(cancel)
    assert again.status_code == 409
    assert "already cancelled" in again.json()["detail"]
    missing = f"/api/v1/subscriptions/{subscription.pk}/scheduled-changes/NCE-NOPE/cancel"
    assert upstream_api.post(missing).status_code == 404

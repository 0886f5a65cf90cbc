"""Orders a customer's list poll finds finished are recorded from their rows; details follow.

The simulator runs in-process; the pipeline functions are the product's own, called as the
workers would (tests/pipeline/ runs them in a real Celery worker over HTTP).
"""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from api.tokens import api_token_create
from orders.models import Order, Subscription
from orders.pipeline import finishing, polling, submission
from orders.services.changes import DETAILS_PENDING, ChangeRefused, order_cancel
from tests.factories import ContactFactory, UserFactory

from .helpers import finished_from_the_list, place_for
from .simulated import plain_products

pytestmark = [
    pytest.mark.django_db,
    # The customer's orders get a list poll however few they are.
    pytest.mark.usefixtures("list_polled"),
]


@pytest.fixture
def buyer(upstream_reseller):
    return UserFactory(reseller=upstream_reseller, email="buyer@northwind.example")


def _requests(simulator, kind: str) -> int:
    """How many requests of ``kind`` ("GET /orders/{id}") the simulator has served."""
    served = simulator.stats()["requests"].items()
    return sum(count for key, count in served if re.sub(r"/\d+$", "/{id}", key) == kind)


def test_a_completed_order_is_completed_from_its_list_row_and_its_subscriptions_follow(
    upstream_reseller,
    upstream_customer,
    buyer,
    simulator,
    enqueued,
    client,
    django_capture_on_commit_callbacks,
):
    ContactFactory(customer=upstream_customer, email="it@litware.example")
    details_before = _requests(simulator, "GET /orders/{id}")

    order = finished_from_the_list(
        upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
    )

    assert order.status == Order.Status.COMPLETED and order.completed_at
    assert order.details_pending
    assert _requests(simulator, "GET /orders/{id}") == details_before
    complete = order.events.get(action="complete")
    assert complete.actor == "upstream" and "detail is read next" in complete.cause
    # No e-mail yet: it says where the licences are and how to sign in, which the detail tells.
    assert [name for name, _, _ in enqueued] == []
    with pytest.raises(ChangeRefused) as refused:
        order_cancel(order=order, user=buyer)
    assert refused.value.message == DETAILS_PENDING
    client.force_login(buyer)
    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    assert page.status_code == 200
    assert "Subscriptions on their way" in page.text
    assert "can be cancelled once they do" in page.text
    assert "Cancel this order" not in page.text
    # The end customer sees the same news; cancelling is not theirs (their reseller does not
    # let them), so the page does not promise it.
    client.force_login(UserFactory(end_customer=True, customer=upstream_customer))
    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    assert page.status_code == 200 and "Subscriptions on their way" in page.text
    assert "cancelled" not in page.text
    client.force_login(buyer)
    issued = api_token_create(reseller=upstream_reseller, name="ERP", created_by=buyer)
    answer = client.get(
        f"/api/v1/orders/{order.reference}", HTTP_AUTHORIZATION=f"Bearer {issued.secret}"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "completed" and answer.json()["details_pending"] is True

    # The beat hands the detail out; one detail read and, for the new tenant, its
    # subscription's detail: no subscription list for a one-line order.
    subscription_lists_before = _requests(simulator, "GET /subscriptions")
    assert polling.due_orders_claim().detail_batches == [[order.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        finishing.order_details_read([order.pk])

    order.refresh_from_db()
    assert not order.details_pending and order.next_poll_at is None
    assert _requests(simulator, "GET /orders/{id}") == details_before + 1
    assert _requests(simulator, "GET /subscriptions") == subscription_lists_before
    subscription = Subscription.objects.get(order=order)
    assert subscription.tenant_id and subscription.seats == 3
    assert order.events.get(action="details_recorded").cause.endswith("1 subscription recorded.")
    assert [name for name, _, _ in enqueued] == ["orders.notify_completion"]
    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    assert "Subscriptions on their way" not in page.text
    assert subscription.upstream_id in page.text
    assert "Cancel this order" in page.text


def test_an_order_failed_upstream_is_failed_from_its_list_row(
    upstream_reseller,
    upstream_customer,
    buyer,
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(kind="order_outcome", outcome="error", count=1)
    details_before = _requests(simulator, "GET /orders/{id}")

    order = finished_from_the_list(
        upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
    )

    assert order.status == Order.Status.FAILED and not order.details_pending
    assert order.upstream_status == "error" and order.failure_guidance
    assert _requests(simulator, "GET /orders/{id}") == details_before
    assert [name for name, _, _ in enqueued] == ["orders.notify_failure"]
    assert polling.due_orders_claim().detail_batches == []


def test_a_details_batch_the_budget_cannot_pay_waits_without_reading_anything(
    upstream_reseller,
    upstream_customer,
    buyer,
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    order = finished_from_the_list(
        upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
    )
    before = sum(simulator.stats()["requests"].values())

    # The detail was paid for; the new tenant's subscription detail cannot be this minute.
    with override_settings(
        ORDERS_PIPELINE={"POLL_LIST_THRESHOLD": 1, "POLL_REQUESTS_PER_MINUTE": 0}
    ):
        finishing.order_details_read([order.pk])

    order.refresh_from_db()
    assert sum(simulator.stats()["requests"].values()) == before
    assert order.details_pending and order.next_poll_at > order.completed_at
    finishing.order_details_read([order.pk])
    order.refresh_from_db()
    assert not order.details_pending
    assert Subscription.objects.filter(order=order).count() == 1


def test_an_order_polled_on_its_own_is_recorded_whole_at_once(
    upstream_reseller, upstream_customer, buyer, simulator, enqueued
):
    order = place_for(upstream_customer, plain_products(1), placed_by=buyer, domain_prefix="fo")
    submission.order_submit(order.pk)
    simulator.advance(3600)

    polling.order_poll(order.pk)

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and not order.details_pending
    assert Subscription.objects.filter(order=order).count() == 1
    assert not order.events.filter(action="details_recorded").exists()

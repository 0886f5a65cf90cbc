"""An adopted subscription is first-class: it takes a seat change through the same follow-up
order and pipeline as an ordered one, and shows on the customer, renewals and subscription pages.

The estate is seeded in the simulator (in-process, over its HTTP interface); the change goes
to it through the product's own submission and polling.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, Subscription
from orders.pipeline import polling, submission
from tests.factories import UserFactory

from .conftest import run_to_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(marketplace, estate_reseller):
    marketplace.post("estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 1})
    run_to_end(estate_reseller)
    return Subscription.objects.select_related("customer").get()


def test_an_adopted_subscription_takes_a_seat_change_that_completes_upstream(
    adopted, marketplace, client, django_capture_on_commit_callbacks
):
    user = UserFactory(reseller=adopted.customer.reseller)
    client.force_login(user)
    url = reverse("subscriptions:seats", kwargs={"pk": adopted.pk})
    target = adopted.seats + 2
    confirm = client.post(url, {"seats": target})
    assert f"from <strong>{adopted.seats}</strong> to" in confirm.content.decode()
    assert not Order.objects.exists()  # nothing placed before the reseller confirms

    placed = client.post(url, {"seats": target, "confirm": "yes"})
    change = Order.objects.get()
    assert placed.url == reverse("orders:detail", kwargs={"reference": change.reference})
    assert change.kind == "change" and change.subscription == adopted and change.parent is None
    change = _through_the_pipeline(change, marketplace, django_capture_on_commit_callbacks)
    assert change.status == "completed", change.failure_message
    adopted.refresh_from_db()
    assert adopted.seats == target
    assert adopted.batches.get().seats == 2  # returnable within 7 days, like any addition
    page = client.get(reverse("subscriptions:detail", kwargs={"pk": adopted.pk})).content
    assert b"adopted from the marketplace" in page and b"Adopted from the marketplace" in page


def test_an_adopted_subscription_shows_on_the_customer_renewals_and_subscription_pages(
    adopted, client
):
    client.force_login(UserFactory(reseller=adopted.customer.reseller))
    listing = client.get(reverse("subscriptions:list")).content.decode()
    assert adopted.product.name in listing and "adopted" in listing
    customer_page = client.get(reverse("customers:detail", kwargs={"pk": adopted.customer.pk}))
    assert adopted.product.name in customer_page.content.decode()
    Subscription.objects.filter(pk=adopted.pk).update(renewal_date=timezone.now().date())
    renewals = client.get(reverse("renewals:upcoming")).content.decode()
    assert f"Adopted {adopted.upstream_id}" in renewals
    detail = client.get(reverse("subscriptions:detail", kwargs={"pk": adopted.pk}))
    assert detail.status_code == 200 and "Place seat change" in detail.content.decode()


def _through_the_pipeline(order, marketplace, capture):
    with capture(execute=True):
        submission.order_submit(order.pk)
    for _ in range(10):
        marketplace.advance(60)
        with capture(execute=True):
            polling.order_poll(order.pk)
        order.refresh_from_db()
        if order.status in ("completed", "failed"):
            break
    return order


def test_an_adopted_subscription_bought_days_ago_is_cancelled_inside_its_window(
    marketplace, estate_reseller, client, django_capture_on_commit_callbacks
):
    seeded = marketplace.post(
        "estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 0}
    )
    marketplace.post(f"customers/{seeded['customerIds'][0]}/subscriptions/outside", {"quantity": 4})
    run_to_end(estate_reseller)
    adopted = Subscription.objects.get()
    client.force_login(UserFactory(reseller=estate_reseller))
    detail = client.get(reverse("subscriptions:detail", kwargs={"pk": adopted.pk}))
    url = reverse("subscriptions:cancel_adopted", kwargs={"pk": adopted.pk})
    assert url in detail.content.decode()
    confirm = client.get(url).content.decode()
    assert "Estimated refund" in confirm and not Order.objects.exists()

    client.post(url)
    cancellation = Order.objects.get()
    assert cancellation.kind == "cancellation" and cancellation.parent is None
    cancellation = _through_the_pipeline(
        cancellation, marketplace, django_capture_on_commit_callbacks
    )
    assert cancellation.status == "completed", cancellation.failure_message
    adopted.refresh_from_db()
    assert adopted.status == "terminated"
    again = client.get(url, follow=True).content.decode()
    assert "Only an active subscription can be cancelled." in again

"""Order pages; cancellation and seat changes at both edges of the 168-hour window."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, SeatBatch
from tests.factories import (
    OrderFactory,
    ProductFactory,
    UserFactory,
    purchased_line,
)

pytestmark = pytest.mark.django_db

PURCHASED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def staff_client(client, reseller_user):
    client.force_login(reseller_user)
    return client


@pytest.fixture
def completed(reseller):
    product = ProductFactory(price=Decimal("36.50"), billing_period="P1M", minimum_quantity=1)
    order = OrderFactory(customer__reseller=reseller, status=Order.Status.COMPLETED)
    purchased_line(order, product, seats=10, purchased_at=PURCHASED)
    return order


def detail_url(order):
    return reverse("orders:detail", kwargs={"reference": order.reference})


def test_the_list_shows_only_the_resellers_orders_and_filters_them(staff_client, reseller):
    mine = OrderFactory(customer__reseller=reseller, po_number="PO-7781")
    failed = OrderFactory(customer__reseller=reseller, status="failed")
    theirs = OrderFactory()
    page = staff_client.get(reverse("orders:list")).content.decode()
    assert mine.reference in page and failed.reference in page
    assert theirs.reference not in page
    page = staff_client.get(reverse("orders:list"), {"status": "failed"}).content.decode()
    assert failed.reference in page and mine.reference not in page
    page = staff_client.get(reverse("orders:list"), {"q": "PO-7781"}).content.decode()
    assert mine.reference in page and failed.reference not in page
    bad_date = staff_client.get(reverse("orders:list"), {"placed_from": "not a date"})
    assert bad_date.status_code == 200


def test_another_resellers_order_is_not_found(staff_client):
    assert staff_client.get(detail_url(OrderFactory())).status_code == 404


def test_the_timeline_refreshes_only_while_the_order_can_change(staff_client, reseller):
    live = OrderFactory(customer__reseller=reseller, status="submitted")
    done = OrderFactory(customer__reseller=reseller, status="completed")
    timeline = reverse("orders:timeline", kwargs={"reference": live.reference})
    assert 'hx-trigger="every 3s"' in staff_client.get(timeline).content.decode()
    assert "hx-trigger" not in staff_client.get(detail_url(done)).content.decode()


def test_a_failed_order_shows_what_to_do_and_can_be_resubmitted(
    staff_client, reseller, enqueued, django_capture_on_commit_callbacks
):
    order = OrderFactory(
        customer__reseller=reseller,
        status="failed",
        failure_message="Code 13605: Either a partner confirmation ...",
        failure_guidance="Record who accepted the MCA, then resubmit.",
    )
    page = staff_client.get(detail_url(order)).content.decode()
    assert "Record who accepted the MCA" in page and "Resubmit this order" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("orders:resubmit", kwargs={"reference": order.reference})
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "placed" and order.failure_message == ""
    event = order.events.get(action="resubmit")
    assert event.actor == "reseller" and "13605" in event.cause
    assert enqueued == [("orders.submit_order", order.pk, None)]


@pytest.mark.parametrize("hours, allowed", [(167.99, True), (168, False)])
def test_cancellation_at_both_edges_of_the_window(
    staff_client, completed, enqueued, hours, allowed, django_capture_on_commit_callbacks
):
    with time_machine.travel(PURCHASED + timedelta(hours=hours), tick=False):
        page = staff_client.get(detail_url(completed)).content.decode()
        url = reverse("orders:cancel", kwargs={"reference": completed.reference})
        confirm = staff_client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            staff_client.post(url)
    completed.refresh_from_db()
    if allowed:
        assert "Cancel this order" in page
        assert "365.00" not in confirm  # a week of a month is used: about 7/30 kept
        assert "purchase. Cancelling now would end" in confirm
        assert completed.status == "cancel_requested"
        cancellation = completed.follow_ups.get()
        assert cancellation.kind == "cancellation" and cancellation.lines.get().quantity == 10
        assert enqueued == [("orders.submit_order", cancellation.pk, None)]
    else:
        assert "window has closed" in page and "Cancel this order" not in page
        assert "can no longer be cancelled" in confirm
        assert completed.status == "completed" and not completed.follow_ups.exists()


def test_the_refund_estimate_is_prorated_by_day(staff_client, completed):
    with time_machine.travel(PURCHASED + timedelta(hours=30), tick=False):
        confirm = staff_client.get(
            reverse("orders:cancel", kwargs={"reference": completed.reference})
        ).content.decode()
    # 10 seats × 36.50 for a month, 2 of 30 days used: 365.00 × 28/30.
    assert "340.67" in confirm


@pytest.mark.parametrize("hours, allowed", [(167.99, True), (168, False)])
def test_removing_seats_at_both_edges_of_the_window(
    staff_client, completed, enqueued, hours, allowed
):
    subscription = completed.subscriptions.get()
    url = reverse(
        "orders:seats",
        kwargs={"reference": completed.reference, "subscription_id": subscription.pk},
    )
    with time_machine.travel(PURCHASED + timedelta(hours=hours), tick=False):
        response = staff_client.post(url, {"seats": 7, "confirm": "yes"}, follow=True)
    changes = Order.objects.filter(kind="change", subscription=subscription)
    if allowed:
        assert changes.get().lines.get().quantity == 7
    else:
        assert not changes.exists()
        assert "Only seats added in the last 7 days can be removed" in response.content.decode()


def test_a_seat_change_shows_its_refund_or_charge_and_waits_for_confirmation(
    staff_client, completed, enqueued
):
    subscription = completed.subscriptions.get()
    url = reverse(
        "orders:seats",
        kwargs={"reference": completed.reference, "subscription_id": subscription.pk},
    )
    with time_machine.travel(PURCHASED + timedelta(hours=30), tick=False):
        reduction = staff_client.post(url, {"seats": 7})
        assert not Order.objects.filter(kind="change").exists()  # nothing placed yet
        page = reduction.content.decode()
        # 3 seats × 36.50 for a month, 2 of 30 days used: 109.50 × 28/30.
        assert "Remove 3 seats?" in page and "from <strong>10</strong> to" in page
        assert "Estimated refund: about <strong>102.20 USD</strong>" in page
        assert 'name="confirm" value="yes"' in page and 'name="seats" value="7"' in page

        addition = staff_client.post(url, {"seats": 12}).content.decode()
        assert "Add 2 seats?" in addition
        assert "Added charge: about <strong>73.00 USD per month</strong>" in addition
        assert not Order.objects.filter(kind="change").exists()

        staff_client.post(url, {"seats": 7, "confirm": "yes"})
    change = Order.objects.get(kind="change", subscription=subscription)
    assert change.lines.get().quantity == 7 and change.total == Decimal("-102.20")


def test_seats_can_be_added_after_the_window_one_change_at_a_time(
    staff_client, completed, enqueued
):
    subscription = completed.subscriptions.get()
    url = reverse(
        "orders:seats",
        kwargs={"reference": completed.reference, "subscription_id": subscription.pk},
    )
    with time_machine.travel(PURCHASED + timedelta(days=40), tick=False):
        staff_client.post(url, {"seats": 15, "confirm": "yes"})
        second = staff_client.post(url, {"seats": 20}, follow=True).content.decode()
    change = Order.objects.get(kind="change", subscription=subscription)
    assert change.lines.get().quantity == 15 and change.parent == completed
    assert "Another change to this subscription is still in progress" in second


def test_a_seat_batch_can_be_removed_only_inside_its_own_window(staff_client, completed, enqueued):
    subscription = completed.subscriptions.get()
    added = PURCHASED + timedelta(days=20)
    change = OrderFactory(
        customer=completed.customer,
        kind="change",
        status="completed",
        subscription=subscription,
        parent=completed,
    )
    batch = SeatBatch.objects.create(
        subscription=subscription,
        order=change,
        seats=5,
        added_at=added,
        window_ends_at=added + timedelta(hours=168),
    )
    subscription.seats = 15
    subscription.save()
    url = reverse(
        "orders:cancel_batch",
        kwargs={
            "reference": completed.reference,
            "subscription_id": subscription.pk,
            "batch_id": batch.pk,
        },
    )
    with time_machine.travel(added + timedelta(hours=168), tick=False):
        staff_client.post(url, {"confirm": "yes"})
    assert not Order.objects.filter(kind="change", status="placed").exists()
    with time_machine.travel(added + timedelta(hours=167), tick=False):
        asked = staff_client.post(url).content.decode()
        assert "Remove 5 seats?" in asked and "from <strong>15</strong> to" in asked
        assert not Order.objects.filter(kind="change").exclude(pk=change.pk).exists()
        staff_client.post(url, {"confirm": "yes"})
    assert Order.objects.get(kind="change", status="placed").lines.get().quantity == 10


def test_support_finds_any_order_and_sees_every_upstream_exchange(client, completed):
    support = UserFactory(support=True)
    client.force_login(support)
    completed.exchanges.create(
        operation="create_order",
        method="POST",
        path="orders",
        request_body={"poNumber": completed.reference},
        status_code=201,
        response_body={"orderNumber": "SO000099"},
        correlation_id="a8n-1234",
        started_at=timezone.now(),
    )
    results = client.get(reverse("support:search"), {"q": completed.customer.company_name})
    assert completed.reference in results.content.decode()
    page = client.get(reverse("support:order", kwargs={"reference": completed.reference}))
    assert "a8n-1234" in page.content.decode() and "SO000099" in page.content.decode()
    refused = client.post(reverse("orders:resubmit", kwargs={"reference": completed.reference}))
    assert refused.status_code == 403


def test_resellers_cannot_use_the_support_search(staff_client):
    assert staff_client.get(reverse("support:search")).status_code == 403


def test_the_order_page_says_term_and_billing_in_words(staff_client, completed):
    html = staff_client.get(detail_url(completed)).content.decode()

    assert "1 year, billed monthly" in html


def test_the_cancellation_order_shows_its_estimated_refund_not_zero(
    staff_client, completed, enqueued, django_capture_on_commit_callbacks
):
    with time_machine.travel(PURCHASED + timedelta(hours=30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            staff_client.post(reverse("orders:cancel", kwargs={"reference": completed.reference}))
    cancellation = completed.follow_ups.get()
    page = staff_client.get(detail_url(cancellation)).content.decode()
    # 10 seats × 36.50 for a month, 2 of 30 days used: 365.00 × 28/30.
    assert cancellation.total == Decimal("340.67")
    assert (
        "Estimated refund: <strong>340.67" in page
        and "0.00 " not in page.split("Estimated")[1][:40]
    )


def test_a_failed_order_names_the_correlation_id_and_whom_to_contact(
    staff_client, reseller, settings
):
    settings.MARKETPLACE_SUPPORT_CONTACT = "Cloud Marketplace support (+1 800 555 0100)"
    order = OrderFactory(
        customer__reseller=reseller, status="failed", failure_message="Code 13605: refused"
    )
    order.exchanges.create(
        operation="create_order",
        method="POST",
        path="orders",
        status_code=400,
        response_body={"code": 13605},
        error="MarketplaceValidationError: refused",
        correlation_id="a8n-5678",
        started_at=timezone.now(),
    )
    page = staff_client.get(detail_url(order)).content.decode()
    assert "correlation id <code>a8n-5678</code>" in page
    assert "contact Cloud Marketplace support (+1 800 555 0100)" in page
    # Only the id and whom to contact: the marketplace's raw answer is for support.
    assert '<details class="exchange"' not in page and "&quot;code&quot;" not in page

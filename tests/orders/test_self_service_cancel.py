"""Self-service Cancel: an end customer cancels its own order in the 7-day window, if allowed."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from orders.models import Order, OrderEvent
from orders.services.changes import ChangeRefused
from orders.services.self_service import order_cancel_by_customer
from tests.factories import (
    CustomerFactory,
    OrderFactory,
    ProductFactory,
    UserFactory,
    purchased_line,
)

pytestmark = pytest.mark.django_db

PURCHASED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IN_WINDOW = PURCHASED + timedelta(hours=30)


def allow(reseller, *, cancel=True):
    reseller.self_service_enabled = True
    reseller.self_service_cancel_allowed = cancel
    reseller.save()


@pytest.fixture
def completed(customer):
    product = ProductFactory(price=Decimal("36.50"), billing_period="P1M")
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    purchased_line(order, product, seats=10, purchased_at=PURCHASED, seat_batch=False)
    return order


@pytest.fixture
def customer_client(client, customer):
    client.force_login(UserFactory(end_customer=True, customer=customer))
    return client


@pytest.fixture
def staff(reseller):
    return UserFactory(reseller=reseller, email="nora@northwind.example")


def cancel_url(order):
    return reverse("orders:cancel", kwargs={"reference": order.reference})


def pages(client, order):
    subscription = order.subscriptions.get()
    order_page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    sub_page = client.get(reverse("subscriptions:detail", kwargs={"pk": subscription.pk}))
    return order_page.content.decode(), sub_page.content.decode()


def test_allowed_the_customer_cancels_as_the_reseller_would(
    customer_client, completed, reseller, staff, enqueued, django_capture_on_commit_callbacks
):
    allow(reseller)
    with time_machine.travel(IN_WINDOW, tick=False):
        order_page, sub_page = pages(customer_client, completed)
        assert cancel_url(completed) in order_page and cancel_url(completed) in sub_page
        confirm = customer_client.get(cancel_url(completed)).content.decode()
        assert "Estimated refund" in confirm
        with django_capture_on_commit_callbacks(execute=True):
            response = customer_client.post(cancel_url(completed))

    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.status == Order.Status.CANCEL_REQUESTED
    cancellation = completed.follow_ups.get()
    assert cancellation.kind == Order.Kind.CANCELLATION
    assert cancellation.channel == Order.Channel.SELF_SERVICE
    assert cancellation.total > 0
    customer_user = cancellation.placed_by
    assert customer_user.role == customer_user.Role.CUSTOMER_USER
    requested = completed.events.get(action="request_cancellation")
    assert (requested.actor, requested.actor_user) == (OrderEvent.Actor.CUSTOMER, customer_user)
    assert enqueued and enqueued[0][1] == cancellation.pk
    assert [m.to for m in mail.outbox] == [["nora@northwind.example"]]
    assert completed.customer.company_name in mail.outbox[0].subject
    assert cancellation.reference in mail.outbox[0].body
    with time_machine.travel(IN_WINDOW, tick=False):
        order_page, sub_page = pages(customer_client, completed)
    assert f"A cancellation of order {completed.reference} is in progress" in sub_page
    assert cancel_url(completed) not in sub_page


def test_the_resellers_staff_see_cancel_on_the_subscription_page(client, completed, staff):
    client.force_login(staff)
    with time_machine.travel(IN_WINDOW, tick=False):
        order_page, sub_page = pages(client, completed)
    with time_machine.travel(PURCHASED + timedelta(hours=169), tick=False):
        closed_order_page, closed_sub_page = pages(client, completed)

    assert cancel_url(completed) in sub_page and "Ask " not in sub_page
    assert cancel_url(completed) not in closed_sub_page
    assert "cancellation window has closed" in closed_sub_page


def test_not_allowed_there_is_no_button_and_a_post_is_refused(
    customer_client, completed, reseller, staff, enqueued
):
    allow(reseller, cancel=False)
    with time_machine.travel(IN_WINDOW, tick=False):
        order_page, sub_page = pages(customer_client, completed)
        shown = customer_client.get(cancel_url(completed))
        refused = customer_client.post(cancel_url(completed))

    assert cancel_url(completed) not in order_page and cancel_url(completed) not in sub_page
    assert f"Ask {reseller.name} to cancel it for you" in sub_page
    assert f"Ask {reseller.name} to cancel it for you" in order_page
    assert shown.status_code == 403 and refused.status_code == 403
    assert "has not turned on cancellation by customers" in refused.content.decode()
    completed.refresh_from_db()
    assert completed.status == Order.Status.COMPLETED
    assert not completed.follow_ups.exists() and not enqueued and not mail.outbox


def test_without_self_service_the_setting_alone_allows_nothing(
    customer_client, completed, reseller, enqueued
):
    reseller.self_service_cancel_allowed = True
    reseller.save()
    with time_machine.travel(IN_WINDOW, tick=False):
        refused = customer_client.post(cancel_url(completed))

    assert refused.status_code == 403
    assert not completed.follow_ups.exists()


def test_after_the_window_the_customer_is_told_and_nothing_is_placed(
    customer_client, completed, reseller, enqueued
):
    allow(reseller)
    with time_machine.travel(PURCHASED + timedelta(hours=169), tick=False):
        order_page, sub_page = pages(customer_client, completed)
        response = customer_client.post(cancel_url(completed), follow=True)

    assert cancel_url(completed) not in sub_page
    assert "window of this order has closed" in response.content.decode()
    assert not completed.follow_ups.exists()


def test_another_customers_order_is_not_found(client, completed, reseller, enqueued):
    allow(reseller)
    neighbour = UserFactory(end_customer=True, customer=CustomerFactory(reseller=reseller))
    client.force_login(neighbour)
    with time_machine.travel(IN_WINDOW, tick=False):
        assert client.post(cancel_url(completed)).status_code == 404
    assert not completed.follow_ups.exists()


def test_the_reseller_turns_it_on_from_the_partner_page(client, reseller, staff):
    client.force_login(staff)
    page = client.get(reverse("customers:partner")).content.decode()
    assert "Let end customers cancel" in page

    response = client.post(
        reverse("customers:preferences"),
        {"time_zone": "UTC", "self_service_cancel_allowed": "on"},
    )

    assert response.status_code == 302
    reseller.refresh_from_db()
    assert reseller.self_service_cancel_allowed is True


def test_the_admin_sets_it_on_the_reseller(admin_client, reseller):
    page = admin_client.get(reverse("admin:customers_reseller_change", args=[reseller.pk]))

    assert 'name="self_service_cancel_allowed"' in page.content.decode()


def test_a_second_click_on_a_stale_page_places_nothing_more(
    completed, reseller, enqueued, django_capture_on_commit_callbacks
):
    allow(reseller)
    customer_user = UserFactory(end_customer=True, customer=completed.customer)
    stale = Order.objects.get(pk=completed.pk)
    with time_machine.travel(IN_WINDOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel_by_customer(order=completed, user=customer_user)
        with pytest.raises(ChangeRefused, match="already cancellation requested"):
            order_cancel_by_customer(order=stale, user=customer_user)

    assert completed.follow_ups.count() == 1

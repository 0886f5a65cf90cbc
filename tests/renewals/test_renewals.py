"""Renewals against the in-process simulator, with time moved forward to the renewal date.

The simulator renews an active subscription with auto-renew on at its renewal
date (a completed RN order) and ends one with auto-renew off; the product reads
that back, opens the renewal's 7-day refund window, and changes auto-renew.
"""

import math
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from customers.upstream import client_for
from orders.models import SeatBatch
from orders.services.renewal_changes import renewal_change_schedule
from orders.services.switching import plan_switch, plan_switch_options
from reminders.services import cancellation_reminders_send
from renewals.services import customer_subscriptions_sync
from tests.factories import UserFactory
from tests.orders.helpers import complete_through_simulator, completed_order
from tests.orders.simulated import plain_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    subscription = order.subscriptions.get()
    sync(subscription)
    subscription.refresh_from_db()
    mail.outbox.clear()
    return subscription


def sync(subscription):
    customer = subscription.customer
    with client_for(customer.reseller) as client:
        return customer_subscriptions_sync(customer=customer, client=client)


def on(day, hour=1):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def test_the_first_sync_learns_the_renewal_date_and_auto_renew(subscription):
    assert subscription.auto_renew is True
    assert subscription.renewal_date > subscription.created_at.date()
    assert subscription.synced_at is not None
    assert not subscription.order.events.filter(action="subscription_renewed").exists()


def test_a_renewal_opens_a_new_refund_window_with_its_reminders(subscription):
    renews = subscription.renewal_date
    with time_machine.travel(on(renews, 2)):
        result = sync(subscription)
    assert (result.renewed, result.expired) == (1, 0)

    subscription.refresh_from_db()
    assert subscription.renewal_date > renews
    assert subscription.term_started_at == on(renews, 0)
    batch = SeatBatch.objects.filter(subscription=subscription).latest("added_at")
    assert (batch.seats, batch.added_at, batch.window_ends_at) == (
        subscription.seats,
        on(renews, 0),
        on(renews, 0) + timedelta(hours=168),
    )
    event = subscription.order.events.get(action="subscription_renewed")
    assert "renewed for another term" in event.cause

    with time_machine.travel(batch.window_ends_at - timedelta(hours=47)):
        assert cancellation_reminders_send() == 1
    assert subscription.product.name in mail.outbox[0].body

    with time_machine.travel(on(renews, 3)):
        assert sync(subscription).renewed == 0  # seen once, recorded once


def test_auto_renew_off_is_sent_upstream_and_the_subscription_then_ends(
    subscription, client, simulator
):
    with time_machine.travel(on(subscription.renewal_date - timedelta(days=10), 9)):
        client.force_login(subscription.order.placed_by)
        page = client.get(reverse("renewals:upcoming")).content.decode()
        assert subscription.product.name in page and "Turn off" in page
        client.post(reverse("renewals:auto_renew", args=[subscription.pk]))

    subscription.refresh_from_db()
    assert subscription.auto_renew is False
    upstream = simulator.client().get_subscription(subscription_id=subscription.upstream_id)
    assert upstream.renewal_status is False
    off = subscription.order.events.get(action="auto_renew_off")
    assert off.actor_user == subscription.order.placed_by

    with time_machine.travel(on(subscription.renewal_date, 2)):
        result = sync(subscription)
    subscription.refresh_from_db()
    assert (result.renewed, result.expired) == (0, 1)
    assert subscription.status == "terminated"
    assert subscription.order.events.filter(action="subscription_expired").exists()


def test_upcoming_lists_only_the_next_30_days_and_only_ones_own(subscription, client):
    with time_machine.travel(on(subscription.renewal_date - timedelta(days=45), 9)):
        client.force_login(subscription.order.placed_by)
        assert (
            subscription.product.name
            not in client.get(reverse("renewals:upcoming")).content.decode()
        )

    with time_machine.travel(on(subscription.renewal_date - timedelta(days=5), 9)):
        client.force_login(UserFactory())
        assert "No subscription renews" in client.get(reverse("renewals:upcoming")).content.decode()
        assert (
            client.post(reverse("renewals:auto_renew", args=[subscription.pk])).status_code == 404
        )
    subscription.refresh_from_db()
    assert subscription.auto_renew is True


def test_a_change_scheduled_for_the_renewal_shows_the_bill_change_in_the_readers_language(
    subscription, client
):
    buyer = subscription.order.placed_by
    price = subscription.product.price
    added = math.ceil(1000 / price)  # a change of 1,000 or more: its digits are grouped
    with time_machine.travel(on(subscription.renewal_date - timedelta(days=10), 9)):
        renewal_change_schedule(
            subscription=subscription, new_total=subscription.seats + added, user=buyer
        )
        client.force_login(buyer)
        english = client.get(reverse("renewals:upcoming")).content.decode()
        buyer.language = "de"
        buyer.save(update_fields=["language"])
        german = client.get(reverse("renewals:upcoming")).content.decode()

    more = price * added
    currency = subscription.product.currency
    assert f"Bill {more:,.2f} {currency} higher per billing period" in english
    in_german = f"{more:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert f"{in_german} {currency} mehr je Abrechnungszeitraum berechnen" in german


def test_a_term_change_applied_at_the_renewal_brings_its_plans_prices(
    upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    annual = Product.objects.get(
        mpn="CFQ7TTC0LH18:0001", term="P1Y", billing_period="P1M", active=True
    )  # Business Basic, one year billed monthly: a one-month term waits for the renewal
    order = completed_order(
        upstream_customer,
        [annual],
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    subscription = order.subscriptions.get()
    sync(subscription)
    subscription.refresh_from_db()
    before = (subscription.unit_price, subscription.unit_cost)
    with client_for(subscription.customer.reseller) as marketplace:
        options = plan_switch_options(subscription=subscription, client=marketplace)
        shorter = next(o for o in options if o.at_renewal)
        change = plan_switch(
            subscription=subscription,
            plan_id=shorter.plan_id,
            seats=subscription.seats,
            user=subscription.order.placed_by,
            client=marketplace,
        )
    complete_through_simulator(change, simulator, django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert (subscription.unit_price, subscription.unit_cost) == before  # until the renewal
    line = change.lines.get()
    assert (line.unit_price, line.unit_cost) != before

    with time_machine.travel(on(subscription.renewal_date, 2)):
        assert sync(subscription).renewed == 1
        upstream = simulator.client().get_subscription(subscription_id=subscription.upstream_id)
    subscription.refresh_from_db()
    assert subscription.product == shorter.product
    assert (subscription.unit_price, subscription.unit_cost, subscription.currency) == (
        line.unit_price,
        line.unit_cost,
        line.currency,
    )
    price, cost = upstream.unit_money(line.mpn)
    assert (subscription.marketplace_unit_price, subscription.marketplace_unit_cost) == (
        price.amount,
        cost.amount,
    )
    applied = subscription.history.get(kind="scheduled_change_applied")
    assert applied.details["before"]["unit_price"] == str(before[0])
    assert applied.details["after"]["unit_price"] == str(line.unit_price)

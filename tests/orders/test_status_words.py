"""The order tracker in the reader's words: codes for support, plain words for everyone else.

The stored history keeps the marketplace's codes; only what each reader is shown differs.
"""

import pytest
from django.urls import reverse

from orders.lifecycle import order_record
from orders.models import Order, OrderEvent
from orders.status_words import plain_cause
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db

CAUSES = [
    "The marketplace is provisioning the order (AS).",
    "Upstream status processing (LO).",
    "The marketplace completed the order (CP).",
]


@pytest.fixture
def order(customer):
    order = OrderFactory(
        customer=customer,
        status=Order.Status.COMPLETED,
        upstream_order_number="4000123",
        upstream_status="completed",
        upstream_status_code="CP",
    )
    for cause in CAUSES:
        order_record(order, "upstream_status", actor=OrderEvent.Actor.UPSTREAM, cause=cause)
    return order


def timeline(client, user, order):
    client.force_login(user)
    page = client.get(reverse("orders:timeline", kwargs={"reference": order.reference}))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("reader", ["reseller", "end customer"])
def test_resellers_and_customers_read_the_marketplace_status_in_words(
    client, reseller_user, customer, order, reader
):
    user = (
        reseller_user if reader == "reseller" else UserFactory(end_customer=True, customer=customer)
    )

    page = timeline(client, user, order)

    for code in ("(AS)", "(LO)", "(CP)", ", CP", "Upstream status"):
        assert code not in page
    assert 'Marketplace order <span class="mono">4000123</span> (Completed)' in page
    assert "The marketplace is provisioning the order (assigning)." in page
    assert "The marketplace&#x27;s status: Provisioning licences." in page
    assert "The marketplace completed the order." in page


def test_support_keeps_the_codes_it_quotes_to_the_distributor(client, support_user, order):
    page = timeline(client, support_user, order)

    assert "(completed, CP)" in page
    for cause in CAUSES:
        assert cause in page


def test_the_stored_history_keeps_the_codes(client, reseller_user, order):
    timeline(client, reseller_user, order)

    assert list(order.events.values_list("cause", flat=True)) == CAUSES


@pytest.mark.parametrize(
    "cause, shown",
    [
        ("Upstream status processing (-).", "The marketplace's status: In progress."),
        ("Upstream status processing (WZ).", "The marketplace's status: In progress."),
        ("Upstream status error (PF).", "The marketplace's status: Provisioning failed."),
        ("Order #CH1 in status Provisioning is in progress(LO).", None),
        ("Asked the marketplace again; nothing changed.", None),
    ],
)
def test_causes_in_words(cause, shown):
    assert plain_cause(cause) == (shown or cause)

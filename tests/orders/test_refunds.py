"""A cancellation or seat reduction shows the marketplace's own refund, estimated then confirmed.

Through the product's own paths (order_cancel, seat_change, the submit and poll
functions) against the simulator; the expected figure is read back from the
simulator's own order, never written here.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.tokens import api_token_create
from orders.models import Order
from orders.notifications import notify_completion
from orders.pipeline import polling, submission
from orders.services.changes import order_cancel, seat_change
from rules.subscription import PER_BILLING_PERIOD
from tests.factories import UserFactory

from .helpers import completed_order
from .simulated import plain_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    mail.outbox.clear()
    return order


def upstream_refund(simulator, order) -> tuple[Decimal, str]:
    """Return the refund the simulator's own order states (its recurringRefund detail)."""
    with simulator.client() as client:
        upstream = client.get_order(order_id=order.upstream_order_id)
    (detail,) = [d for d in upstream.details if d.type == "recurringRefund"]
    return -detail.extended_price.amount, detail.extended_price.currency


def send_and_poll(order, simulator, capture, *, until="completed", rounds=10):
    with capture(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    yield order  # as the marketplace accepted it
    for _ in range(rounds):
        simulator.advance(60)
        with capture(execute=True):
            polling.order_poll(order.pk)
        order.refresh_from_db()
        if order.status == until:
            if until == "completed":
                # Its e-mails are a task of their own: run it as the worker would.
                notify_completion(order.pk)
            yield order
            return
    raise AssertionError(f"{order.reference} stayed {order.status}")


def german_money(amount: Decimal, currency: str) -> str:
    """An amount under 1,000 as German writes it: a decimal comma, the ISO code after."""
    assert abs(amount) < 1000
    return f"{amount:.2f} {currency}".replace(".", ",")


def page(client, user, order) -> str:
    client.force_login(user)
    return client.get(
        reverse("orders:detail", kwargs={"reference": order.reference})
    ).content.decode()


def test_a_cancellation_shows_the_marketplace_refund_estimated_then_confirmed(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=3)):
        (cancellation,) = order_cancel(order=completed, user=buyer)
        ours = cancellation.total
        assert ours > 0
        assert "Estimated refund: <strong>" in page(client, buyer, cancellation)

        steps = send_and_poll(cancellation, simulator, django_capture_on_commit_callbacks)
        accepted = next(steps)
        stated, currency = upstream_refund(simulator, accepted)
        assert accepted.status == Order.Status.SUBMITTED
        assert (accepted.marketplace_refund, accepted.marketplace_refund_basis) == (
            stated,
            "estimated",
        )
        html = page(client, buyer, accepted)
        assert f"Refund estimated by the marketplace: <strong>{stated} {currency}" in html

        done = next(steps)
        assert (done.marketplace_refund, done.marketplace_refund_basis) == (stated, "confirmed")
        assert done.total == ours  # our estimate is kept beside it
        html = page(client, buyer, done)
        assert f"Refund confirmed by the marketplace: <strong>{stated} {currency}" in html
        # Two days used upstream (whole days), three by our rounding up: both are shown.
        assert stated != ours
        assert f"Our estimate when it was placed: {ours} {currency}" in html
        assert "0.00 " not in html.split("confirmed by the marketplace")[1][:30]

    # The history is stored in English, its money too; it is read in the reader's language.
    causes = list(done.events.filter(action="refund_stated").values_list("cause", flat=True))
    assert causes == [
        f"Refund estimated by the marketplace: {stated} {currency} "
        f"(our estimate was {ours} {done.currency}).",
        f"Refund confirmed by the marketplace: {stated} {currency} "
        f"(our estimate was {ours} {done.currency}).",
    ]
    buyer.language = "de"
    buyer.save(update_fields=["language"])
    german = page(client, buyer, done)
    assert (
        f"Vom Marketplace bestätigte Erstattung: {german_money(stated, currency)} "
        f"(unsere Schätzung war {german_money(ours, done.currency)})."
    ) in german
    buyer.language = ""
    buyer.save(update_fields=["language"])
    (message,) = [m for m in mail.outbox if done.reference in m.subject]
    assert f"Refund confirmed by the marketplace: {stated} {currency}" in message.body

    staff = api_token_create(reseller=done.reseller, name="ERP", created_by=buyer)
    answer = client.get(
        f"/api/v1/orders/{done.reference}", HTTP_AUTHORIZATION=f"Bearer {staff.secret}"
    ).json()
    assert answer["refund"] == {
        "amount": str(stated),
        "currency": currency,
        "basis": "confirmed",
        "our_estimate": str(ours),
    }

    client.force_login(UserFactory(support=True))
    support = client.get(reverse("support:order", kwargs={"reference": done.reference}))
    assert f'data-basis="confirmed">{stated} {currency}' in support.content.decode()


def test_a_seat_reduction_shows_the_marketplace_refund_not_zero(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by
    subscription = completed.subscriptions.get()
    with time_machine.travel(timezone.now() + timedelta(hours=30)):
        change = seat_change(
            subscription=subscription, new_total=subscription.seats - 2, user=buyer
        )
        assert change.total < 0  # our estimate: two seats' unused days, given back
        html = page(client, buyer, change)
        assert f"Estimated refund: <strong>{-change.total} " in html

        steps = send_and_poll(change, simulator, django_capture_on_commit_callbacks)
        accepted = next(steps)
        stated, currency = upstream_refund(simulator, accepted)
        assert stated > 0
        assert (accepted.marketplace_refund, accepted.marketplace_refund_basis) == (
            stated,
            "estimated",
        )
        done = next(steps)

    assert (done.marketplace_refund, done.marketplace_refund_basis) == (stated, "confirmed")
    html = page(client, buyer, done)
    assert f"Refund confirmed by the marketplace: <strong>{stated} {currency}" in html
    assert "Total per" not in html


def test_a_seat_addition_shows_a_charge_and_no_refund(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by
    subscription = completed.subscriptions.get()
    change = seat_change(subscription=subscription, new_total=subscription.seats + 2, user=buyer)
    assert change.total == subscription.product.price * 2

    steps = send_and_poll(change, simulator, django_capture_on_commit_callbacks)
    next(steps)
    done = next(steps)

    assert done.marketplace_refund is None
    html = page(client, buyer, done)
    per = PER_BILLING_PERIOD[subscription.product.billing_period]
    assert f"Total {per}: <strong>{change.total} " in html
    assert "refund" not in html.split('id="lines-title"')[1].split("</section>")[0].lower()


def test_the_purchase_and_the_order_list_show_the_cancellations_refund_not_its_estimate(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=3)):
        (cancellation,) = order_cancel(order=completed, user=buyer)
        ours = cancellation.total
        *_, done = send_and_poll(cancellation, simulator, django_capture_on_commit_callbacks)
        stated, currency = upstream_refund(simulator, done)
        assert stated != ours

        purchase = page(client, buyer, completed)
        listed = client.get(reverse("orders:list")).content.decode()

    assert "Cancellation requested for 1 subscription." in purchase
    # The cancelled subscription's seats are not offered as removable any more.
    assert "removable for" not in purchase
    assert "the subscription is terminated" in purchase
    for html in (purchase, listed):
        row = html.split(done.reference)[-1].split("</tr>")[0]
        assert "Refund confirmed by the marketplace" in row  # labelled as on the order page
        assert f"{stated} {currency}" in row
        assert f"{ours} {currency}" not in row


def test_the_order_list_labels_our_estimate_until_the_marketplace_states_its_own(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=3)):
        client.force_login(buyer)
        (cancellation,) = order_cancel(order=completed, user=buyer)
        listed = client.get(reverse("orders:list")).content.decode()
        row = listed.split(cancellation.reference)[-1].split("</tr>")[0]
        assert 'data-refund-basis="estimated_here"' in row and "Estimated refund" in row
        assert f"{cancellation.total} {cancellation.currency}" in row

        accepted = next(send_and_poll(cancellation, simulator, django_capture_on_commit_callbacks))
        assert accepted.status == Order.Status.SUBMITTED
        stated, currency = upstream_refund(simulator, accepted)
        listed = client.get(reverse("orders:list")).content.decode()
        row = listed.split(cancellation.reference)[-1].split("</tr>")[0]
        assert 'data-refund-basis="estimated"' in row
        assert "Refund estimated by the marketplace" in row and f"{stated} {currency}" in row
        assert f"{cancellation.total} {currency}" not in row


def test_the_order_list_reads_refunds_without_a_query_per_row(
    completed, simulator, client, django_capture_on_commit_callbacks
):
    buyer = completed.placed_by

    def queries() -> int:
        client.force_login(buyer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("orders:list")).status_code == 200
        return len(captured)

    before = queries()
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=3)):
        (cancellation,) = order_cancel(order=completed, user=buyer)
        *_, done = send_and_poll(cancellation, simulator, django_capture_on_commit_callbacks)
        assert done.marketplace_refund is not None
        after = queries()

    assert after == before

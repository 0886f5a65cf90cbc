"""The relationship tracker, against the in-process simulator with time frozen.

An order for a tenant without the reseller relationship is refused upstream
(Partner Center 20002); the tracker watches the tenant, within the polling
budget, and resubmits the order by itself once the tenant's Global Admin accepts.
"""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from orders.models import Order
from orders.pipeline import submission
from orders.services import order_place
from relationships.models import RelationshipWatch
from relationships.services import relationship_checks_due
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import order_request
from tests.orders.simulated import SEEDED_CUSTOMER_ID, plain_products

pytestmark = pytest.mark.django_db

#: The simulator's seeded tenant that has not accepted the reseller relationship (seed.py).
LITWARE = "litware.onmicrosoft.com"


@pytest.fixture
def refused(upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks):
    """An order for Litware's existing tenant, sent and refused for the missing relationship."""
    customer = CustomerFactory(
        reseller=upstream_reseller,
        company_name="Litware",
        upstream_customer_id=SEEDED_CUSTOMER_ID,
        tenant_domain=LITWARE,
    )
    buyer = UserFactory(reseller=upstream_reseller, email="nora@northwind.example")
    order = order_place(
        request=order_request(
            customer, plain_products(1), tenant_preference="existing", microsoft_domain=LITWARE
        ),
        reseller=upstream_reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=Order.Channel.WIZARD,
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    assert (
        order.status == Order.Status.FAILED and "no commerce relationship" in order.failure_message
    )
    order.failure_mails = list(mail.outbox)
    mail.outbox.clear()
    return order


def check_at(moment, callbacks):
    with time_machine.travel(moment), callbacks(execute=True):
        return relationship_checks_due()


def test_a_refusal_for_the_relationship_starts_watching_and_shows_the_link(refused, client):
    watch = RelationshipWatch.objects.get(order=refused)
    assert (watch.state, watch.tenant, watch.checks) == ("watching", LITWARE, 0)
    assert refused.customer.__class__.objects.get(pk=refused.customer_id).relationship == (
        Customer.Relationship.REQUESTED
    )
    assert refused.events.filter(action="relationship_watch").exists()

    client.force_login(refused.placed_by)
    page = client.get(reverse("orders:detail", args=[refused.reference])).content.decode()
    assert "Waiting for Litware to accept the reseller relationship" in page
    assert "invType=ResellerRelationship" in page


def test_while_it_waits_the_page_and_the_mail_tell_one_story(refused, client):
    client.force_login(refused.placed_by)
    page = client.get(reverse("orders:detail", args=[refused.reference])).content.decode()

    # The tracker's box alone: no failure box asking for a resubmission it does by itself.
    assert "we check the tenant by ourselves and resubmit this order" in page
    assert "Resubmit this order" not in page
    assert "The marketplace did not complete this order" not in page
    # When it looks next is a time, never "in 0 minutes".
    assert "0 minutes" not in page and "next check at " in page
    (failure_mail,) = refused.failure_mails
    assert "We check the tenant by ourselves and resubmit the order" in failure_mail.body
    assert "invType=ResellerRelationship" in failure_mail.body
    assert "When a Global Admin of the tenant has accepted it, resubmit" not in failure_mail.body


def test_checks_back_off_and_resume_the_order_once_accepted(
    refused, simulator, enqueued, django_capture_on_commit_callbacks
):
    watch = RelationshipWatch.objects.get(order=refused)
    start = watch.next_check_at

    assert check_at(start - timedelta(seconds=1), django_capture_on_commit_callbacks) == 0
    assert check_at(start, django_capture_on_commit_callbacks) == 1
    watch.refresh_from_db()
    first_gap = watch.next_check_at - start
    assert check_at(watch.next_check_at, django_capture_on_commit_callbacks) == 1
    watch.refresh_from_db()
    second_gap = watch.next_check_at - watch.last_checked_at
    assert second_gap == 2 * first_gap  # doubling
    assert (watch.state, watch.checks) == ("watching", 2)

    simulator.post(f"tenants/{LITWARE}/relationship", {"accepted": True})
    assert check_at(watch.next_check_at, django_capture_on_commit_callbacks) == 1

    watch.refresh_from_db()
    refused.refresh_from_db()
    assert watch.state == "accepted"
    assert refused.status == Order.Status.PLACED
    assert refused.customer.relationship == Customer.Relationship.ACCEPTED
    assert ("orders.submit_order", refused.pk, None) in enqueued
    resubmit = refused.events.get(action="resubmit")
    assert "accepted the reseller relationship" in resubmit.cause
    assert "resubmitted" in mail.outbox[0].subject

    submission.order_submit(refused.pk)
    refused.refresh_from_db()
    assert refused.status == Order.Status.SUBMITTED
    assert simulator.orders_with(refused.reference) == 1


def test_no_check_goes_out_beyond_the_connections_budget(
    refused, settings, django_capture_on_commit_callbacks
):
    settings.ORDERS_PIPELINE = {**settings.ORDERS_PIPELINE, "POLL_REQUESTS_PER_MINUTE": 0}
    watch = RelationshipWatch.objects.get(order=refused)
    assert check_at(watch.next_check_at, django_capture_on_commit_callbacks) == 0
    watch.refresh_from_db()
    assert watch.checks == 0 and watch.last_checked_at is None


def test_stops_at_the_limit_with_a_clear_state(refused, django_capture_on_commit_callbacks):
    watch = RelationshipWatch.objects.get(order=refused)
    later = timezone.now() + timedelta(days=15)
    RelationshipWatch.objects.filter(pk=watch.pk).update(next_check_at=later)

    assert check_at(later, django_capture_on_commit_callbacks) == 1
    watch.refresh_from_db()
    refused.refresh_from_db()
    assert watch.state == "gave_up" and watch.next_check_at is None
    assert refused.status == Order.Status.FAILED
    assert "Stopped waiting" in refused.events.get(action="relationship_watch_ended").cause
    assert "stopped waiting" in mail.outbox[0].subject
    assert check_at(later + timedelta(days=1), django_capture_on_commit_callbacks) == 0


def test_a_hand_resubmitted_order_is_no_longer_watched(refused, django_capture_on_commit_callbacks):
    from orders.services.changes import order_resubmit

    order_resubmit(order=refused, user=refused.placed_by)
    watch = RelationshipWatch.objects.get(order=refused)
    assert check_at(watch.next_check_at, django_capture_on_commit_callbacks) == 1
    watch.refresh_from_db()
    assert watch.state == "resubmitted"
    assert not mail.outbox

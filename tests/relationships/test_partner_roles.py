"""The "Approved Partner Roles" check, against the simulator's seed-faithful tenant validation.

The order is completed through the simulator (a new tenant, which the distributor
manages from the start); the tenant's Global Admin revoking or accepting the
relationship is played through the simulator's control endpoint, and an outage
through a scripted failure. Every check is recorded with who, when and the answer.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from customers.relationship_links import partner_invitation_url, reseller_relationship_url
from relationships.checks import distributor_partner_id_check
from relationships.models import PartnerRolesCheck
from relationships.partner_roles import CHECK_INTERVAL_SECONDS, throttle_key
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import completed_order
from tests.orders.simulated import SEEDED_CUSTOMER_ID, plain_products

pytestmark = pytest.mark.django_db

PARTNER_ID = "5d3a1f0e-7c2b-4e8a-9f61-0b2c4d6e8f10"
Outcome = PartnerRolesCheck.Outcome


@pytest.fixture
def subscription(upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks):
    customer = CustomerFactory(
        reseller=upstream_reseller, company_name="Litware", upstream_customer_id=SEEDED_CUSTOMER_ID
    )
    order = completed_order(
        customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    return order.subscriptions.get()


@pytest.fixture
def customer_user(subscription):
    return UserFactory(end_customer=True, customer=subscription.customer, first_name="Lee")


def check(client, subscription):
    url = reverse("subscriptions:partner_roles", kwargs={"pk": subscription.pk})
    return client.post(url, follow=True)


def wait_out_the_interval(subscription):
    """Play CHECK_INTERVAL_SECONDS passing: the customer's turn in the cache expires."""
    cache.delete(throttle_key(subscription.customer_id))


def validations(simulator) -> int:
    return simulator.stats()["requests"].get("POST /validation/parameters", 0)


def set_relationship(simulator, tenant, accepted):
    simulator.post(f"tenants/{tenant}/relationship", {"accepted": accepted})


def test_nothing_pending_when_the_relationship_is_in_place(client, customer_user, subscription):
    client.force_login(customer_user)

    page = check(client, subscription).content.decode()

    assert "No partner roles are waiting for your approval." in page
    assert "Nothing is waiting for approval." in page
    assert "partner-invitation" not in page
    recorded = PartnerRolesCheck.objects.get()
    assert (recorded.outcome, recorded.checked_by, recorded.tenant) == (
        Outcome.NOTHING_PENDING,
        customer_user,
        subscription.tenant_domain,
    )
    assert recorded.subscription == subscription and recorded.checked_at is not None


@override_settings(DISTRIBUTOR_PARTNER_ID=PARTNER_ID)
def test_pending_links_to_the_admin_portal_until_the_admin_approves(
    client, customer_user, subscription, simulator
):
    set_relationship(simulator, subscription.tenant_domain, False)
    client.force_login(customer_user)

    page = check(client, subscription).content.decode()

    assert "Your approval is needed" in page
    assert "no commerce relationship" in page
    link = (
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship"
        f"&amp;partnerId={PARTNER_ID}&amp;msppId=0&amp;DAP=true#/BillingAccounts/partner-invitation"
    )
    assert link in page
    assert PartnerRolesCheck.objects.get().outcome == Outcome.PENDING

    set_relationship(simulator, subscription.tenant_domain, True)
    wait_out_the_interval(subscription)
    page = check(client, subscription).content.decode()

    assert "Nothing is waiting for approval." in page and "partner-invitation" not in page
    assert "Earlier checks" in page and "Approval needed" in page  # the history, for support
    assert list(PartnerRolesCheck.objects.values_list("outcome", flat=True)) == [
        Outcome.NOTHING_PENDING,
        Outcome.PENDING,
    ]


def test_an_outage_is_a_clear_message_and_is_recorded(
    client, customer_user, subscription, simulator, backoff_waits
):
    simulator.fail(kind="status", status=503, method="POST", path="/validation/parameters")
    client.force_login(customer_user)

    response = check(client, subscription)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The marketplace could not be reached just now" in page
    assert "partner-invitation" not in page
    recorded = PartnerRolesCheck.objects.get()
    assert recorded.outcome == Outcome.UNREACHABLE and recorded.checked_by == customer_user
    assert backoff_waits  # the client's own retries ran before giving up


def test_a_rate_limit_says_busy_and_when_to_try_again_not_an_outage(
    client, customer_user, subscription, simulator
):
    simulator.fail(
        kind="status", status=429, retryAfter=120, method="POST", path="/validation/parameters"
    )
    client.force_login(customer_user)

    page = check(client, subscription).content.decode()

    assert "The marketplace is busy just now" in page and "Try again in 2 minutes" in page
    assert "could not be reached" not in page
    recorded = PartnerRolesCheck.objects.get()
    assert recorded.outcome == Outcome.UNREACHABLE and "busy" in recorded.message


def test_a_second_press_within_the_interval_shows_the_last_result_without_asking(
    client, customer_user, subscription, simulator
):
    client.force_login(customer_user)
    check(client, subscription)
    asked = validations(simulator)
    staff = UserFactory(reseller=subscription.customer.reseller)

    for user in (customer_user, staff):  # per customer, whoever presses
        client.force_login(user)
        page = check(client, subscription).content.decode()
        assert f"checked less than {CHECK_INTERVAL_SECONDS} seconds ago" in page
        assert "Check again in" in page
        assert "Last result (" in page and "No partner roles are waiting" in page

    assert validations(simulator) == asked  # the marketplace was not asked again
    assert PartnerRolesCheck.objects.count() == 1

    wait_out_the_interval(subscription)
    page = check(client, subscription).content.decode()
    assert "checked less than" not in page
    assert validations(simulator) > asked and PartnerRolesCheck.objects.count() == 2


def test_the_resellers_staff_may_check_for_their_customer(client, subscription):
    staff = UserFactory(reseller=subscription.customer.reseller)
    client.force_login(staff)

    page = check(client, subscription).content.decode()

    assert "No partner roles are waiting for your approval." in page
    assert PartnerRolesCheck.objects.get().checked_by == staff


def test_support_finds_each_check_in_the_admin(client, customer_user, subscription, admin_client):
    client.force_login(customer_user)
    check(client, subscription)

    listing = admin_client.get(
        reverse("admin:relationships_partnerrolescheck_changelist"), {"q": "Litware"}
    ).content.decode()

    assert subscription.tenant_domain in listing and "Nothing pending" in listing


@override_settings(DISTRIBUTOR_PARTNER_ID="not-a-guid")
def test_a_partner_id_that_is_not_a_guid_fails_the_system_check():
    errors = distributor_partner_id_check(None)

    assert [e.id for e in errors] == ["relationships.E001"]
    assert "DISTRIBUTOR_PARTNER_ID" in errors[0].hint


@override_settings(DISTRIBUTOR_PARTNER_ID=PARTNER_ID)
def test_both_relationship_links_carry_the_configured_partner_id():
    assert partner_invitation_url() == (
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship"
        f"&partnerId={PARTNER_ID}&msppId=0&DAP=true#/BillingAccounts/partner-invitation"
    )
    assert reseller_relationship_url() == (
        "https://partnercenter.microsoft.com/pcv/valueaddedresellers/relationshiprequest/"
        + PARTNER_ID
    )

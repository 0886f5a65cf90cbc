"""Approved Partner Roles against the simulator as its own process, over a real socket.

The simulator's seeded tenants answer as seed 001 and Partner Center do:
Woodgrove Bank has the relationship, Litware has not (20002) until its Global
Admin accepts it (played on the control endpoint). An outage is a scripted 503.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from orders.models import Order
from relationships.models import PartnerRolesCheck
from relationships.partner_roles import throttle_key
from tests.factories import (
    CustomerFactory,
    MarketplaceConnectionFactory,
    OrderFactory,
    ResellerFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.pipeline.conftest import SimulatorProcess

pytestmark = pytest.mark.django_db

WOODGROVE = "woodgrovebank.onmicrosoft.com"
LITWARE = "litware.onmicrosoft.com"
SEEDED_CUSTOMER_ID = "1000101"
PARTNER_ID = "0f1e2d3c-4b5a-4697-8877-665544332211"
Outcome = PartnerRolesCheck.Outcome


@pytest.fixture(scope="module")
def simulator_process(tmp_path_factory):
    process = SimulatorProcess(tmp_path_factory.mktemp("simulator"))
    yield process
    process.stop()


@pytest.fixture
def simulator(simulator_process):
    simulator_process.control("POST", "reset")
    return simulator_process


@pytest.fixture
def reseller(simulator):
    return ResellerFactory(
        connection=MarketplaceConnectionFactory(base_url=f"{simulator.url}/marketplace/eu"),
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
    )


def signed_in_customer(client, reseller, tenant):
    """Sign in an end customer whose subscription's licences are on ``tenant``; return it."""
    customer = CustomerFactory(
        reseller=reseller, upstream_customer_id=SEEDED_CUSTOMER_ID, tenant_domain=tenant
    )
    subscription = SubscriptionFactory(
        order=OrderFactory(customer=customer, status=Order.Status.COMPLETED),
        tenant_domain=tenant,
    )
    user = UserFactory(end_customer=True, customer=customer)
    client.force_login(user)
    return subscription, user


def check(client, subscription):
    url = reverse("subscriptions:partner_roles", kwargs={"pk": subscription.pk})
    return client.post(url, follow=True)


def test_a_tenant_with_the_relationship_has_nothing_pending(client, reseller):
    subscription, user = signed_in_customer(client, reseller, WOODGROVE)

    page = check(client, subscription).content.decode()

    assert "Nothing is waiting for approval." in page
    recorded = PartnerRolesCheck.objects.get()
    assert (recorded.outcome, recorded.checked_by, recorded.tenant) == (
        Outcome.NOTHING_PENDING,
        user,
        WOODGROVE,
    )


@override_settings(DISTRIBUTOR_PARTNER_ID=PARTNER_ID)
def test_a_tenant_without_it_is_sent_to_the_admin_portal_until_accepted(
    client, reseller, simulator
):
    subscription, _ = signed_in_customer(client, reseller, LITWARE)

    page = check(client, subscription).content.decode()

    assert "Your approval is needed" in page and "no commerce relationship" in page
    assert f"partnerId={PARTNER_ID}&amp;msppId=0&amp;DAP=true" in page

    simulator.control("POST", f"tenants/{LITWARE}/relationship", {"accepted": True})
    cache.delete(throttle_key(subscription.customer_id))  # the check interval has passed
    page = check(client, subscription).content.decode()

    assert "Nothing is waiting for approval." in page and "partner-invitation" not in page
    assert list(PartnerRolesCheck.objects.values_list("outcome", flat=True)) == [
        Outcome.NOTHING_PENDING,
        Outcome.PENDING,
    ]


def test_an_outage_is_a_message_not_an_error_page(client, reseller, simulator, backoff_waits):
    subscription, _ = signed_in_customer(client, reseller, WOODGROVE)
    simulator.fail(kind="status", status=503, method="POST", path="/validation/parameters")

    response = check(client, subscription)

    assert response.status_code == 200
    assert "The marketplace could not be reached just now" in response.content.decode()
    assert PartnerRolesCheck.objects.get().outcome == Outcome.UNREACHABLE

"""The partner profile page: the reseller's MPN ID and tenant, checked by the marketplace."""

import pytest
from django.test import override_settings
from django.urls import reverse

from customers.models import Reseller
from tests.factories import MarketplaceConnectionFactory, ResellerFactory, UserFactory
from tests.simulated import BASE_URL

pytestmark = pytest.mark.django_db

URL = reverse("customers:partner")


@pytest.fixture
def northwind(simulator):
    connection = MarketplaceConnectionFactory(base_url=BASE_URL)
    return ResellerFactory(
        name="Northwind IT",
        connection=connection,
        upstream_reseller_id="1000001",
        mpn_id="",
        indirect_reseller_domain="",
    )


@pytest.fixture
def staff(client, northwind):
    user = UserFactory(reseller=northwind)
    client.force_login(user)
    return user


def test_a_valid_profile_is_saved_and_confirmed_ready(client, staff, northwind):
    response = client.post(
        URL,
        {"mpn_id": "1234567", "indirect_reseller_domain": "northwindit.onmicrosoft.com"},
        follow=True,
    )

    northwind.refresh_from_db()
    assert northwind.tier_status == Reseller.TierStatus.READY
    assert northwind.tier_checked_at is not None
    assert "READY" in response.content.decode()


def test_an_unknown_mpn_id_is_inquiring_with_the_marketplaces_reason(client, staff, northwind):
    response = client.post(
        URL,
        {"mpn_id": "9999999", "indirect_reseller_domain": "northwindit.onmicrosoft.com"},
        follow=True,
    )

    northwind.refresh_from_db()
    assert northwind.tier_status == Reseller.TierStatus.INQUIRING
    assert northwind.tier_reason
    assert northwind.tier_reason in response.content.decode()


def test_a_malformed_mpn_id_is_refused_at_its_field(client, staff, northwind, simulator):
    response = client.post(
        URL, {"mpn_id": "12ab", "indirect_reseller_domain": "northwindit.onmicrosoft.com"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "digits only" in str(response.context["form"].errors["mpn_id"])
    assert 'aria-invalid="true"' in html
    assert 'value="northwindit.onmicrosoft.com"' in html  # what was typed stays
    assert simulator.stats()["requests"] == {}


def test_a_marketplace_outage_keeps_the_details_and_says_to_try_again(
    client, staff, northwind, backoff_waits
):
    northwind.connection.base_url = "http://127.0.0.1:9/marketplace/eu"
    northwind.connection.save()

    with override_settings(MARKETPLACE_TRANSPORT=None):
        response = client.post(
            URL,
            {"mpn_id": "1234567", "indirect_reseller_domain": "northwindit.onmicrosoft.com"},
            follow=True,
        )

    northwind.refresh_from_db()
    assert northwind.mpn_id == "1234567"
    assert northwind.tier_status == Reseller.TierStatus.UNCHECKED
    assert "could not check them" in response.content.decode()
    assert backoff_waits  # the refused connection was retried (without sleeping) before giving up


def test_only_reseller_staff_use_the_page(client, support_user):
    customer_user = UserFactory(end_customer=True)
    for user in (support_user, customer_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403


@pytest.mark.parametrize(("enabled", "heading"), [(True, "Self-service is on"), (False, "off")])
def test_the_reseller_reads_what_microsoft_supports_of_self_service(
    client, staff, northwind, enabled, heading
):
    # Seed 003: Microsoft offers no API for customer self-service and does not support it;
    # the reseller, not only the admin who switches it on, must be told.
    northwind.self_service_enabled = enabled
    northwind.save()

    page = client.get(URL).content.decode()

    assert heading in page
    assert "Microsoft offers no API for customer self-service" in page
    assert "does not recognise or support this way of ordering" in page
    bookmarked = client.get(reverse("customers:preferences"))
    assert bookmarked.status_code == 302 and bookmarked["Location"] == URL

"""The live relationship check answers only about a tenant the user may order for.

An end customer of one reseller used to learn "Accepted: you can sell to
woodgrovebank.onmicrosoft.com", another reseller's customer's tenant (issue 21).
The check now answers for the tenant of a customer the user may order for (its
recorded tenant, or, while it has none, the tenant being entered for it), at most
WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE times a minute per user.
"""

import pytest

from tests.factories import CustomerFactory, ResellerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/order/live/relationship/"
REFUSED = "Only the tenant of the customer you are ordering for"


def check(client, tenant, customer=None):
    data = {"tenant-existing_tenant": tenant}
    if customer is not None:
        data["customer"] = customer.pk
    return client.post(URL, data, HTTP_HX_REQUEST="true")


def test_an_end_customer_cannot_probe_another_customers_tenant(client, northwind, woodgrove):
    northwind.self_service_enabled = True
    northwind.save(update_fields=["self_service_enabled"])
    own = CustomerFactory(reseller=northwind, tenant_domain="fourthcoffee.onmicrosoft.com")
    client.force_login(UserFactory(end_customer=True, customer=own))

    for customer in (None, woodgrove, own):
        body = check(client, woodgrove.tenant_domain, customer).content.decode()
        assert REFUSED in body, body
        assert "Accepted" not in body and "Not accepted" not in body


def test_a_reseller_cannot_probe_another_customers_tenant(client, buyer, woodgrove):
    other = CustomerFactory(reseller=ResellerFactory(), tenant_domain="contoso.onmicrosoft.com")
    tenanted = CustomerFactory(reseller=woodgrove.reseller, tenant_domain="adatum.onmicrosoft.com")
    for customer in (None, other, tenanted):
        body = check(client, woodgrove.tenant_domain, customer).content.decode()
        assert REFUSED in body and "Accepted" not in body


def test_the_customers_own_tenant_is_answered(client, buyer, woodgrove):
    assert "Accepted" in check(client, woodgrove.tenant_domain.upper(), woodgrove).content.decode()


def test_a_tenant_being_entered_for_a_customer_without_one_is_answered(client, buyer, woodgrove):
    new = CustomerFactory(reseller=woodgrove.reseller, tenant_domain="", upstream_customer_id="")
    body = check(client, "litware.onmicrosoft.com", new).content.decode()
    assert "Not accepted yet" in body


def test_checks_are_limited_per_user(client, buyer, woodgrove, settings):
    settings.WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE = 3
    answers = [check(client, woodgrove.tenant_domain, woodgrove) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "checked 3 times this minute" in answers[-1].content.decode()
    # Another user has their own allowance.
    client.force_login(UserFactory(reseller=woodgrove.reseller))
    assert check(client, woodgrove.tenant_domain, woodgrove).status_code == 200

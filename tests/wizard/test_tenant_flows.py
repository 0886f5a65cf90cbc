"""The tenant step's branches: who may create a tenant, taken names, missing relationships."""

import pytest

from catalog.models import Segment
from customers.models import Customer

from .conftest import product
from .journey import agree, attest, buy, choose_tenant, params, qualify, until_tenant
from .simulated import LITWARE, post_step

pytestmark = pytest.mark.django_db


def test_nonprofit_cannot_create_a_new_tenant(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product(Segment.NONPROFIT))
    tenant = until_tenant(client)

    body = tenant.content.decode()
    assert "signup.nonprofit.microsoft.com" in body
    assert [
        value for value, _ in tenant.context["wizard"]["form"].fields["tenant_preference"].choices
    ] == ["existing"]
    refused = post_step(client, "tenant", {"tenant_preference": "new", "tenant_prefix": "charity1"})
    assert refused.status_code == 200
    assert "tenant_preference" in refused.context["wizard"]["form"].errors


def test_government_takes_the_commercial_path_with_a_new_tenant(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product(Segment.GOVERNMENT))
    until_tenant(client)

    refused = post_step(
        client,
        "tenant",
        {
            "tenant_preference": "existing",
            "existing_tenant": "woodgrovebank.onmicrosoft.com",
        },
    )
    assert refused.status_code == 200
    choose_tenant(client, tenant_preference="new", tenant_prefix="cityofredmond")
    attest(client, "agreement")
    agree(client, "qualification")
    qualify(client)
    order = buy(client)

    assert params(order)["tenant_preference"] == "new"
    assert params(order)["microsoft_domain"] == "cityofredmond.onmicrosoft.com"


def test_a_taken_tenant_name_suggests_free_ones(client, buyer, add_to_cart):
    add_to_cart(product())
    until_tenant(client)

    refused = post_step(client, "tenant", {"tenant_preference": "new", "tenant_prefix": "contoso"})
    bad_characters = post_step(
        client, "tenant", {"tenant_preference": "new", "tenant_prefix": "my shop!"}
    )

    message = " ".join(refused.context["wizard"]["form"].errors["tenant_prefix"])
    assert "Free names:" in message
    assert "Latin letters and digits" in " ".join(
        bad_characters.context["wizard"]["form"].errors["tenant_prefix"]
    )


def test_a_tenant_without_relationship_gets_the_acceptance_link(
    client, buyer, add_to_cart, northwind
):
    litware = Customer.objects.create(
        reseller=northwind,
        company_name="Litware Inc.",
        street_address="9 Capitol Way",
        city="Boise",
        state="ID",
        postal_code="83702",
        country="US",
        upstream_customer_id=LITWARE["id"],
    )
    add_to_cart(product())
    until_tenant(client, litware)

    refused = post_step(
        client,
        "tenant",
        {
            "tenant_preference": "existing",
            "existing_tenant": LITWARE["tenant"],
        },
    )

    assert refused.status_code == 200
    body = refused.content.decode()
    assert "invType=ResellerRelationship" in body and "global admin" in body
    litware.refresh_from_db()
    # The check asked; it recorded nothing on the customer.
    assert litware.relationship == Customer.Relationship.UNKNOWN

"""Prepare the people of the load test on the demo data; print what they need as JSON.

Run by bench/load.py after `manage.py load_demo`, with the stack's environment.
Usage: load_fixture.py <how many of each>.

Each simulated reseller is a reseller of its own, as on a real distributor: the
simulator opens it an account (`POST /_simulator/resellers`: API credentials and
a subscription key, so a marketplace quota of its own, and a partner profile),
and it gets the demo's two ready customers again, each with a tenant of its own
(one with the Microsoft Customer Agreement accepted, one without), created
upstream by the product's own code. Its staff member, its end customer and its
API client order for it; support staff read across all of them. Everyone signs
in with a password and a code from an authenticator of their own.
"""

import dataclasses
import json
import os
import secrets
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from api.tokens import api_token_create  # noqa: E402
from catalog.models import Product  # noqa: E402
from customers import demo  # noqa: E402
from customers.devices import Authenticator  # noqa: E402
from customers.models import MarketplaceConnection, Reseller, User  # noqa: E402
from customers.services import reseller_check_partner  # noqa: E402
from customers.upstream import client_for, default_connection  # noqa: E402

#: The demo customers each simulated reseller gets again: Woodgrove's agreement is valid,
#: Tailspin's not yet (the wizard then asks for it). The end customer orders for Woodgrove.
WIZARD_CUSTOMERS = ("Woodgrove Bank", "Tailspin Toys")
FIRST_MPN_ID = 5100000


def simulator(path: str, body: dict) -> dict:
    response = httpx.post(f"{settings.SIMULATOR_URL}/_simulator{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def simulated_reseller(number: int, template: MarketplaceConnection) -> Reseller:
    """Open a reseller account upstream and record the reseller and its connection here."""
    name = f"Load Reseller {number}"
    account = simulator(
        "/resellers",
        {
            "name": name,
            "mpnId": str(FIRST_MPN_ID + number),
            "resellerDomain": f"loadreseller{number}.onmicrosoft.com",
        },
    )
    connection = MarketplaceConnection.objects.create(
        name=name,
        base_url=template.base_url,
        marketplace_code=template.marketplace_code,
        username=account["username"],
        password=account["password"],
        subscription_key=account["subscriptionKey"],
    )
    return Reseller.objects.create(
        name=name,
        connection=connection,
        upstream_reseller_id=account["resellerId"],
        mpn_id=account["mpnId"],
        indirect_reseller_domain=account["resellerDomain"],
        staff_email_domain=f"loadreseller{number}.example",
        self_service_enabled=True,
    )


def its_customers(reseller: Reseller, number: int, client) -> dict:
    """Give the reseller the demo's ready customers, each with a tenant of its own."""
    customers = {}
    for spec in demo.CUSTOMERS:
        if spec.company_name not in WIZARD_CUSTOMERS:
            continue
        domain = f"{spec.tenant_domain.split('.')[0]}load{number}.onmicrosoft.com"
        tenant = simulator(
            "/tenants",
            {
                "domain": domain,
                "relationship": True,
                "mcaAccepted": spec.mca_accepted_on is not None,
            },
        )
        contact = dataclasses.replace(spec.contact, login=f"{spec.contact.login}{number}")
        spec = dataclasses.replace(
            spec,
            upstream_customer_id="",
            tenant_domain=tenant["domain"],
            tenant_id=tenant["tenantId"],
            contact=contact,
        )
        customer = demo.demo_customer(reseller=reseller, spec=spec)
        demo.ensure_upstream_customer(customer=customer, client=client)
        customers[spec.company_name] = customer
    return customers


def person(username: str, password: str, **values) -> tuple[str, str]:
    """Create a login with a confirmed authenticator; return its username and key (hex)."""
    user, _ = User.objects.update_or_create(username=username, defaults=values)
    user.set_password(password)
    user.save()
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="authenticator", confirmed=True)
    return user.username, device.key


def main():
    how_many = int(sys.argv[1])
    password = os.environ.get("LOAD_PASSWORD") or secrets.token_urlsafe(16)
    template = default_connection()
    products = Product.objects.filter(
        active=True,
        segment="commercial",
        offer_attestation_required=False,
        minimum_quantity__lte=1,
        term="P1Y",
        billing_period="P1M",
    ).order_by("pk")[:5]
    keys, resellers, end_customers, api_clients = {}, [], [], []
    for number in range(how_many):
        reseller = simulated_reseller(number, template)
        client = client_for(reseller)
        customers = its_customers(reseller, number, client)
        reseller_check_partner(reseller=reseller, client=client)
        client.close()

        username, keys[username] = person(
            f"load-reseller-{number}", password, role="reseller", reseller=reseller
        )
        resellers.append(
            {
                "username": username,
                "partner": {
                    "mpn_id": reseller.mpn_id,
                    "indirect_reseller_domain": reseller.indirect_reseller_domain,
                },
                "customers": [{"pk": c.pk, "tenant": c.tenant_domain} for c in customers.values()],
            }
        )
        own_company = customers[demo.CUSTOMER_USER_COMPANY]
        username, keys[username] = person(
            f"load-customer-{number}", password, role="customer", customer=own_company
        )
        end_customers.append({"username": username})
        api_clients.append(
            {
                "token": api_token_create(reseller=reseller, name="load test").secret,
                "customer": {"id": own_company.pk, "tenant": own_company.tenant_domain},
            }
        )
    support = []
    for number in range(how_many):
        username, keys[username] = person(f"load-support-{number}", password, role="support")
        support.append({"username": username})
    fixture = {
        "password": password,
        "resellers": resellers,
        "customers": end_customers,
        "support": support,
        "api_clients": api_clients,
        "totp_keys": keys,
        "products": [p.pk for p in products],
        "api_products": [
            {"mpn": p.mpn, "term": p.term, "billing": p.billing_period} for p in products
        ],
    }
    print(json.dumps(fixture))


if __name__ == "__main__":
    main()

"""Prepare the people of the load test on the demo data; print what they need as JSON.

Run by bench/load.py after `manage.py load_demo`, with the stack's environment.
Each simulated person gets a login of its own (the wizard's draft and the cart
are per user, as they are for real staff) and each API client a token of its
own (the API's limits are per token). Usage: load_fixture.py <how many of each>.
"""

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from api.tokens import api_token_create  # noqa: E402
from catalog.models import Product  # noqa: E402
from customers.demo import CUSTOMER_USER_COMPANY, RESELLER_NAME, RESELLER_VALUES  # noqa: E402
from customers.devices import Authenticator  # noqa: E402
from customers.models import Customer, Reseller, User  # noqa: E402

#: Customers with a tenant and a relationship: Woodgrove's agreement is valid, Tailspin's not yet.
WIZARD_CUSTOMERS = ("Woodgrove Bank", "Tailspin Toys")
#: Each login's authenticator key (hex, as django-otp keeps it).
KEYS = {}


def people(role, prefix, how_many, password, **links):
    names = []
    for number in range(how_many):
        user, _ = User.objects.update_or_create(
            username=f"{prefix}-{number}", defaults={"role": role, **links}
        )
        user.set_password(password)
        user.save()
        # Each person signs in with a code from an authenticator of their own (their key is
        # in the fixture): the load test walks the sign-in as the product asks for it.
        device = Authenticator.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = Authenticator.objects.create(user=user, name="authenticator", confirmed=True)
        KEYS[user.username] = device.key
        names.append(user.username)
    return names


def main():
    how_many = int(sys.argv[1])
    password = os.environ.get("LOAD_PASSWORD") or secrets.token_urlsafe(16)
    reseller = Reseller.objects.get(name=RESELLER_NAME)
    own_company = Customer.objects.get(reseller=reseller, company_name=CUSTOMER_USER_COMPANY)
    products = Product.objects.filter(
        active=True,
        segment="commercial",
        offer_attestation_required=False,
        minimum_quantity__lte=1,
        term="P1Y",
        billing_period="P1M",
    ).order_by("pk")[:5]
    customers = Customer.objects.filter(reseller=reseller, company_name__in=WIZARD_CUSTOMERS)
    fixture = {
        "password": password,
        "resellers": people("reseller", "load-reseller", how_many, password, reseller=reseller),
        "customers": people("customer", "load-customer", how_many, password, customer=own_company),
        "support": people("support", "load-support", how_many, password),
        "api_tokens": [
            api_token_create(reseller=reseller, name=f"load test {n}").secret
            for n in range(how_many)
        ],
        "totp_keys": KEYS,
        "partner": {
            "mpn_id": RESELLER_VALUES["mpn_id"],
            "indirect_reseller_domain": RESELLER_VALUES["indirect_reseller_domain"],
        },
        "reseller_customers": [{"pk": c.pk, "tenant": c.tenant_domain} for c in customers],
        "products": [p.pk for p in products],
        "api_customer": {"id": own_company.pk, "tenant": own_company.tenant_domain},
        "api_products": [
            {"mpn": p.mpn, "term": p.term, "billing": p.billing_period} for p in products
        ],
    }
    print(json.dumps(fixture))


if __name__ == "__main__":
    main()

"""The simulator in-process, behind its httpx transport, driven with plain httpx.

No product code is used here: these tests pin the simulator's own contract.
"""

from __future__ import annotations

import httpx
import pytest

from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport

BASE = "http://simulator.test/marketplace/eu"
KEY = "demo-subscription-key"
CUSTOMER = "1000101"  # Woodgrove Bank, Northwind IT's customer


def sales_body(
    *,
    domain="newcontoso.onmicrosoft.com",
    mpn="CFQ7TTC0LH18:0001",
    quantity=5,
    po_number="PO-1",
    term=("year", 1),
    billing=("month", 1),
    customer=CUSTOMER,
    extra=(),
    tenant="new",
    **overrides,
):
    """Return a valid NCE sales order for a new tenant (README §1.9)."""
    parameters = [
        {"name": "tenant_preference", "value": tenant},
        {"name": "microsoft_domain", "value": domain},
        {
            "name": "partner_on_record_attestation_accepted",
            "structured_value": {"attestation_accepted": True},
        },
        {"name": "special_qualifications", "value": "None"},
    ]
    if tenant == "new":
        parameters += [
            {"name": "mca_acceptance", "value": "yes"},
            {"name": "agreement_date", "value": "01-31-2022"},
            {"name": "first_name_agreement", "value": "Jane"},
            {"name": "last_name_agreement", "value": "Doe"},
            {"name": "email_address_agreement", "value": "jane@contoso.example"},
        ]
    extra = list(extra)
    if not any(p["name"] == "offer_attestation" for p in extra):
        # Seed 004: required on every line, false for an offer that needs no attestation.
        extra.append(
            {"name": "offer_attestation", "structured_value": {"attestation_accepted": False}}
        )
    parameters += extra
    line = {
        "mpn": mpn,
        "quantity": quantity,
        "billingPeriod": {"type": billing[0], "duration": billing[1]},
        "parameters": parameters,
    }
    body = {
        "customerId": customer,
        "type": "sales",
        "poNumber": po_number,
        "subscriptionPeriod": {"type": term[0], "duration": term[1]},
        "products": [line],
    }
    body.update(overrides)
    return body


class Api:
    """An authenticated httpx client for one API user, plus the /_simulator/ controls."""

    def __init__(self, app, *, username="demo-reseller", password="demo-password", key=KEY):
        self.app = app
        self.http = httpx.Client(
            transport=SimulatorTransport(app), base_url=BASE, headers={"X-Subscription-Key": key}
        )
        self.control = httpx.Client(
            transport=SimulatorTransport(app), base_url="http://simulator.test/_simulator"
        )
        self.username, self.password = username, password
        self.token = None

    def login(self):
        response = self.http.post(
            "/token", json={"marketplace": "us"}, auth=(self.username, self.password)
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        return self

    def get(self, path, **kwargs):
        return self.http.get(path, **kwargs)

    def post(self, path, **kwargs):
        return self.http.post(path, **kwargs)

    def patch(self, path, **kwargs):
        return self.http.patch(path, **kwargs)

    def fail(self, **rule):
        response = self.control.post("/failures", json=rule)
        assert response.status_code == 201, response.text
        return response.json()["failures"][0]

    def advance(self, seconds, *, relogin=True):
        """Move the simulated clock; by default fetch a new token, as a client would."""
        response = self.control.post("/clock", json={"advanceSeconds": seconds})
        assert response.status_code == 200
        if relogin:
            self.login()
        return response.json()

    def timings(self, **values):
        return self.control.post("/timings", json=values).json()

    def stats(self):
        return self.control.get("/stats").json()

    def place(self, body=None, **kwargs):
        response = self.post("/orders", json=body or sales_body(**kwargs))
        assert response.status_code == 201, response.text
        return response.json()

    def complete(self, order):
        """Move the clock past the order's lifecycle and return it as it is then."""
        self.advance(3600)
        return self.get(f"/orders/{order['id']}").json()


@pytest.fixture
def app():
    return create_app(config_for_profile("test"))


@pytest.fixture
def api(app):
    return Api(app).login()


@pytest.fixture
def other_api(app):
    return Api(
        app, username="fabrikam-api", password="fabrikam-password", key="fabrikam-subscription-key"
    ).login()

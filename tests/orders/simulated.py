"""The simulator in-process (SimulatorTransport), for tests of the pipeline's decisions.

These tests call the pipeline functions directly; tests/pipeline/ runs the same
paths through a real Celery worker and the simulator over HTTP.
"""

import pytest
from django.test import override_settings

from catalog.models import Product
from catalog.sync import catalog_sync
from customers.upstream import client_for
from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport
from tests.factories import CustomerFactory, MarketplaceConnectionFactory, ResellerFactory

_current = {}

#: A seeded simulator customer of the demo reseller account, with no tenant of ours yet.
SEEDED_CUSTOMER_ID = "1000103"


def transport():
    return SimulatorTransport(_current["app"])


class Simulator:
    def __init__(self, app):
        self.app = app
        self.control = app.test_client()

    def fail(self, **rule):
        response = self.control.post("/_simulator/failures", json=rule)
        assert response.status_code == 201, response.json
        return response.json

    def stats(self):
        return self.control.get("/_simulator/stats").json

    def orders_with(self, reference):
        return sum(n for po, n in self.stats()["ordersByPoNumber"].items() if reference in po)

    def advance(self, seconds):
        self.control.post("/_simulator/clock", json={"advanceSeconds": seconds})


@pytest.fixture
def simulator(db):
    app = create_app(config_for_profile("test"))
    _current["app"] = app
    with override_settings(MARKETPLACE_TRANSPORT="tests.orders.simulated.transport"):
        yield Simulator(app)
    _current.clear()


@pytest.fixture
def upstream_reseller(simulator):
    connection = MarketplaceConnectionFactory(base_url="http://simulator.test/marketplace/eu")
    reseller = ResellerFactory(connection=connection, upstream_reseller_id="1000001",
                               mpn_id="1234567",
                               indirect_reseller_domain="northwindit.onmicrosoft.com",
                               tier_status="ready")
    catalog_sync(client=client_for(reseller))
    return reseller


@pytest.fixture
def upstream_customer(upstream_reseller):
    return CustomerFactory(reseller=upstream_reseller, upstream_customer_id=SEEDED_CUSTOMER_ID)


def plain_products(count=1):
    return list(
        Product.objects.filter(active=True, segment="commercial", offer_attestation_required=False)
        .order_by("pk")[:count]
    )

"""The simulator in-process, for tests of the pipeline's decisions (and the JSON API).

These tests call the pipeline functions directly; tests/pipeline/ runs the same
paths through a real Celery worker and the simulator over HTTP.
"""

import pytest

from catalog.models import Product
from catalog.sync import catalog_sync
from customers.upstream import client_for
from tests.factories import CustomerFactory, MarketplaceConnectionFactory, ResellerFactory
from tests.simulated import BASE_URL, simulated_marketplace

#: A seeded simulator customer of the demo reseller account, with no tenant of ours yet.
SEEDED_CUSTOMER_ID = "1000103"


@pytest.fixture
def simulator(db):
    with simulated_marketplace() as simulator:
        yield simulator


@pytest.fixture
def upstream_reseller(simulator):
    connection = MarketplaceConnectionFactory(base_url=BASE_URL)
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

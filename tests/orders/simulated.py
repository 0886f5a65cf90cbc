"""The simulator in-process, for tests of the pipeline's decisions (and the JSON API).

These tests call the pipeline functions directly; tests/pipeline/ runs the same
paths through a real Celery worker and the simulator over HTTP.
"""

import pytest
from django.test import override_settings

from catalog.models import Product
from tests.factories import CustomerFactory
from tests.simulated import simulated_marketplace, synced_reseller

#: A seeded simulator customer of the demo reseller account, with no tenant of ours yet.
SEEDED_CUSTOMER_ID = "1000103"


@pytest.fixture
def simulator(db):
    with simulated_marketplace() as simulator:
        yield simulator


@pytest.fixture
def upstream_reseller(simulator):
    return synced_reseller()


@pytest.fixture
def upstream_customer(upstream_reseller):
    return CustomerFactory(reseller=upstream_reseller, upstream_customer_id=SEEDED_CUSTOMER_ID)


@pytest.fixture
def list_polled():
    """A customer's orders get a list poll however few of them are in flight."""
    with override_settings(ORDERS_PIPELINE={"POLL_LIST_THRESHOLD": 1}):
        yield


def plain_products(count=1):
    return list(
        Product.objects.filter(
            active=True, segment="commercial", offer_attestation_required=False
        ).order_by("pk")[:count]
    )

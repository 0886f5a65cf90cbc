"""Real parts for the order matrix: PostgreSQL, Redis, and the simulator as its own process.

The simulator is ``python -m simulator`` on a free port (tests/pipeline's
SimulatorProcess), reached over real HTTP; nothing between the product and it is
faked. Orders are carried through the pipeline's own functions
(``order_submit``, ``order_poll``) called in this process against that simulator,
the same code a Celery worker runs; tests/pipeline proves the worker around them.
"""

import pytest

from catalog.sync import catalog_sync
from customers.models import Reseller
from customers.upstream import client_for
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)
from tests.pipeline.conftest import (  # noqa: F401 (fixtures)
    require_real_services,
    simulator,
    simulator_process,
)

from .upstream import LITWARE, TAILSPIN, WOODGROVE


@pytest.fixture
def northwind(simulator, db, settings):  # noqa: F811
    """The simulator's demo reseller account, READY, with the simulator's catalogue synced."""
    require_real_services()
    settings.MARKETPLACE_TRANSPORT = None  # the network: the simulator's own process
    reseller = ResellerFactory(
        name="Northwind IT",
        connection=MarketplaceConnectionFactory(base_url=f"{simulator.url}/marketplace/eu"),
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
        tier_status=Reseller.TierStatus.READY,
        staff_email_domain="northwind-it.example",
    )
    catalog_sync(client=client_for(reseller))
    return reseller


@pytest.fixture
def buyer(northwind, client):
    user = UserFactory(reseller=northwind, username="nora")
    client.force_login(user)
    return user


@pytest.fixture
def customers(northwind):
    """Our rows for the simulator's seeded customers, by the name the cases use."""
    rows = {}
    for name, seeded in (("woodgrove", WOODGROVE), ("tailspin", TAILSPIN), ("litware", LITWARE)):
        customer = CustomerFactory(
            reseller=northwind,
            company_name=seeded["company"],
            upstream_customer_id=seeded["id"],
            tenant_domain=seeded["tenant_of_ours"],
        )
        ContactFactory(customer=customer)
        rows[name] = customer
    return rows

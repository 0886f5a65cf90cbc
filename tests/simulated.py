"""The marketplace simulator served in-process (no socket), for tests.

The simulator is the project's stand-in for the real Marketplace API (no
machine here reaches it); everything between the product and the simulator's
Flask app is real except the socket (SimulatorTransport).

``Simulator`` is one in-process simulator with its control endpoints; a test
that needs the product (customers.upstream.client_for) to reach it uses
``simulated_marketplace()``, which points settings.MARKETPLACE_TRANSPORT at
``transport()`` below.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from django.test import override_settings

from catalog.sync import catalog_sync
from customers.models import Reseller
from customers.upstream import client_for
from marketplace.client import MarketplaceClient
from marketplace.retry import RetryPolicy
from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport
from tests.factories import MarketplaceConnectionFactory, ResellerFactory

CONTROL_URL = "http://simulator.test"
BASE_URL = f"{CONTROL_URL}/marketplace/eu"
CREDENTIALS = {
    "marketplace": "us",
    "username": "demo-reseller",
    "password": "demo-password",
    "subscription_key": "demo-subscription-key",
}
#: The dotted path settings.MARKETPLACE_TRANSPORT takes to reach the current simulator.
TRANSPORT_SETTING = "tests.simulated.transport"


class Simulator:
    """One in-process simulator: its app, a control client, and clients of its API."""

    def __init__(self, **config_changes):
        self.app = create_app(config_for_profile("test", **config_changes))
        self.transport = SimulatorTransport(self.app)
        self.control = httpx.Client(transport=self.transport, base_url=CONTROL_URL)
        self.sleeps: list[float] = []

    def client(self, **overrides) -> MarketplaceClient:
        """Return a MarketplaceClient of this simulator whose backoff sleeps are recorded."""
        options = {
            "base_url": BASE_URL,
            **CREDENTIALS,
            "transport": self.transport,
            "retry_policy": RetryPolicy(sleep=self.sleeps.append),
            **overrides,
        }
        return MarketplaceClient(**options)

    def fail(self, **rule) -> dict:
        """Script a failure (POST /_simulator/failures) and return the stored rule."""
        response = self.control.post("/_simulator/failures", json=rule)
        assert response.status_code == 201, response.text
        return response.json()["failures"][0]

    def stats(self) -> dict:
        return self.control.get("/_simulator/stats").json()

    def orders_with(self, reference: str) -> int:
        """Return how many orders the simulator holds whose PO number contains ``reference``."""
        return sum(n for po, n in self.stats()["ordersByPoNumber"].items() if reference in po)

    def advance(self, seconds: float) -> dict:
        """Move the simulated clock forward."""
        return self.post("clock", {"advanceSeconds": seconds})

    def post(self, path: str, body: dict | None = None) -> dict:
        response = self.control.post(f"/_simulator/{path}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def close(self):
        self.control.close()


_current: Simulator | None = None


def transport() -> SimulatorTransport:
    """The zero-argument factory that settings.MARKETPLACE_TRANSPORT names."""
    return _current.transport


def start_simulator(**config_changes) -> Simulator:
    """Start a fresh simulator as the one ``transport()`` serves."""
    global _current
    _current = Simulator(**config_changes)
    return _current


def stop_simulator():
    global _current
    if _current is not None:
        _current.close()
    _current = None


@contextmanager
def simulated_marketplace(**config_changes) -> Iterator[Simulator]:
    """Serve the product's marketplace calls from a fresh in-process simulator."""
    simulator = start_simulator(**config_changes)
    try:
        with override_settings(MARKETPLACE_TRANSPORT=TRANSPORT_SETTING):
            yield simulator
    finally:
        stop_simulator()


def synced_reseller(**fields) -> Reseller:
    """Return the simulator's demo reseller account, READY, with its catalogue synced.

    Call it while the simulator serves the product (inside simulated_marketplace()).
    """
    reseller = ResellerFactory(
        connection=MarketplaceConnectionFactory(base_url=BASE_URL),
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
        tier_status=Reseller.TierStatus.READY,
        **fields,
    )
    catalog_sync(client=client_for(reseller))
    return reseller

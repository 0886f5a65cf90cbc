"""A MarketplaceClient served by the simulator in-process (no socket), for tests.

The simulator is the project's stand-in for the real API (no machine here
reaches it); everything between the client and the simulator's Flask app is
real except the socket.
"""

import httpx

from marketplace.client import MarketplaceClient
from marketplace.retry import RetryPolicy
from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport

BASE_URL = "http://simulator.test/marketplace/eu"
CREDENTIALS = {
    "marketplace": "us",
    "username": "demo-reseller",
    "password": "demo-password",
    "subscription_key": "demo-subscription-key",
}


class Simulator:
    """One in-process simulator: its app, a control client, and clients of its API."""

    def __init__(self, **config_changes):
        self.app = create_app(config_for_profile("test", **config_changes))
        self.transport = SimulatorTransport(self.app)
        self.control = httpx.Client(transport=self.transport, base_url="http://simulator.test")
        self.sleeps: list[float] = []

    def client(self, **overrides) -> MarketplaceClient:
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

    def post(self, path: str, body: dict | None = None) -> dict:
        response = self.control.post(f"/_simulator/{path}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def close(self):
        self.control.close()

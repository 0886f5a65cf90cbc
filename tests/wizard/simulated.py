"""The marketplace simulator in-process for wizard tests, and a client that walks the steps.

The simulator is the project's stand-in for the real Marketplace API (no
machine here reaches it); everything from the wizard to the simulator's Flask
app is real except the socket (SimulatorTransport).
"""

from django.urls import reverse

from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport

_current = {}
MANAGEMENT_FIELD = "order_wizard_view-current_step"
#: A seeded simulator customer of Northwind IT whose tenant has a relationship and an MCA.
WOODGROVE = {"id": "1000101", "tenant": "woodgrovebank.onmicrosoft.com"}
#: Relationship, but no MCA accepted yet.
TAILSPIN = {"id": "1000102", "tenant": "tailspintoys.onmicrosoft.com"}
#: No relationship with the distributor.
LITWARE = {"id": "1000103", "tenant": "litware.onmicrosoft.com"}


def transport():
    return SimulatorTransport(_current["app"])


def start_simulator():
    app = create_app(config_for_profile("test"))
    _current["app"] = app
    return app


def stop_simulator():
    _current.clear()


def step_url(step):
    return reverse("wizard:step", args=[step])


def post_step(client, step, data=None, **extra):
    """Submit ``step`` with ``data`` (field names without the step prefix)."""
    payload = {MANAGEMENT_FIELD: step}
    for name, value in (data or {}).items():
        payload[f"{step}-{name}"] = value
    payload.update(extra)
    return client.post(step_url(step), payload)


def go_back(client, current, to):
    return client.post(step_url(current), {MANAGEMENT_FIELD: current, "wizard_goto_step": to})

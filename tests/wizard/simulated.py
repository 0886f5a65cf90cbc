"""The simulator's seeded customers the wizard tests use, and a client that walks the steps.

The simulator itself is served in-process by tests/simulated.py.
"""

from django.urls import reverse

MANAGEMENT_FIELD = "order_wizard_view-current_step"
#: A seeded simulator customer of Northwind IT whose tenant has a relationship and an MCA.
WOODGROVE = {"id": "1000101", "tenant": "woodgrovebank.onmicrosoft.com"}
#: Relationship, but no MCA accepted yet.
TAILSPIN = {"id": "1000102", "tenant": "tailspintoys.onmicrosoft.com"}
#: No relationship with the distributor.
LITWARE = {"id": "1000103", "tenant": "litware.onmicrosoft.com"}


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

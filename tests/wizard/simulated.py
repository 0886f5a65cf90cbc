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


class Wizard:
    """One wizard's step URLs, and how the test client submits its steps."""

    def __init__(self, url_name, management_field):
        self.url_name = url_name
        self.management_field = management_field

    def step_url(self, step):
        return reverse(self.url_name, args=[step])

    def post_step(self, client, step, data=None, **extra):
        """Submit ``step`` with ``data`` (field names without the step prefix)."""
        payload = {self.management_field: step}
        for name, value in (data or {}).items():
            payload[f"{step}-{name}"] = value
        payload.update(extra)
        return client.post(self.step_url(step), payload)

    def go_back(self, client, current, to):
        return client.post(
            self.step_url(current), {self.management_field: current, "wizard_goto_step": to}
        )


#: The reseller's order wizard.
RESELLER = Wizard("wizard:step", MANAGEMENT_FIELD)
#: The end customer's self-service wizard.
SELF_SERVICE = Wizard("wizard:self_service_step", "self_service_wizard_view-current_step")

step_url = RESELLER.step_url
post_step = RESELLER.post_step
go_back = RESELLER.go_back

"""Walking the wizard with the test client: submit a step, follow it, read what the order holds."""

from django.utils import timezone

from .simulated import RESELLER, post_step, step_url

TODAY = timezone.localdate()
NEW_CUSTOMER = {
    "mode": "new",
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@fourthcoffee.example",
    "phone": "(206) 555-0199",
    "company_name": "Fourth Coffee Roasters",
    "street_address": "500 Union Street",
    "city": "Seattle",
    "state": "wa",
    "postal_code": "98101",
    "country": "United States",
    "language": "en_US",
    "login": "",
}
AGREEMENT = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@fourthcoffee.example",
    "accepted_on": TODAY.isoformat(),
    "accept": "on",  # the customer's acceptance, confirmed by the person placing the order
}
#: The partner step's answer for Northwind IT, which the simulator reports READY.
PARTNER = {"mpn_id": "1234567", "indirect_reseller_domain": "northwindit.onmicrosoft.com"}


def params(order):
    """Return the order-level parameters as {name: value or structured_value}."""
    return {
        p.name: p.structured_value if p.structured_value is not None else p.value
        for p in order.parameters.filter(line=None)
    }


def line_params(order):
    return {
        line.mpn: {
            p.name: p.structured_value if p.structured_value is not None else p.value
            for p in line.parameters.all()
        }
        for line in order.lines.all()
    }


def shown_steps(response):
    return [item["name"] for item in response.context["progress"]]


def start(client):
    response = client.get(step_url("cart"))
    assert response.status_code == 200
    return post_step(
        client, "cart", {"lines": response.context["wizard"]["form"].current_signature}
    )


def follow(client, response, expected_step, *, wizard=RESELLER):
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == wizard.step_url(expected_step), response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def _errors(response):
    context = getattr(response, "context", None)
    if context and "wizard" in context:
        return context["wizard"]["form"].errors
    return response.content.decode()[:800]


def pick(client, customer):
    return post_step(client, "customer", {"mode": "existing", "customer": customer.pk})


def place(client, po_number, *, wizard=RESELLER):
    """Place the order from the review step; return the review page and the confirmation."""
    review = client.get(wizard.step_url("review"))
    assert review.context["problems"] == [], review.context["problems"]
    response = wizard.post_step(client, "review", {"po_number": po_number, "terms": "on"})
    assert response.status_code == 302, _errors(response)
    done = client.get(response["Location"])
    assert done.status_code == 302, _errors(done)
    confirmation = client.get(done["Location"])
    assert confirmation.status_code == 200
    return review, confirmation


def buy(client, po_number="PO-4711"):
    _, confirmation = place(client, po_number)
    return confirmation.context["order"]


def until_partner(client, customer=None):
    """Confirm the cart and pick ``customer`` (or create NEW_CUSTOMER); return the partner page."""
    follow(client, start(client), "customer")
    if customer is None:
        chosen = post_step(client, "customer", NEW_CUSTOMER)
    else:
        chosen = pick(client, customer)
    return follow(client, chosen, "partner")


def until_tenant(client, customer=None):
    """Walk to the partner step as until_partner does, answer it; return the tenant page."""
    until_partner(client, customer)
    return follow(client, post_step(client, "partner", PARTNER), "tenant")


def choose_tenant(client, expected_step="attestation", **answer):
    """Answer the tenant step (tenant_preference and tenant_prefix or existing_tenant)."""
    return follow(client, post_step(client, "tenant", answer), expected_step)


def existing_customer_until_attestation(client, customer, tenant):
    until_tenant(client, customer)
    return choose_tenant(client, tenant_preference="existing", existing_tenant=tenant)


def attest(client, expected_step, **offers):
    """Accept the Partner of Record attestation (and ``offers``, e.g. offer_12="on")."""
    answer = {"partner_of_record": "on", **offers}
    return follow(client, post_step(client, "attestation", answer), expected_step)


def agree(client, expected_step):
    return follow(client, post_step(client, "agreement", AGREEMENT), expected_step)


def qualify(client, qualification="None"):
    answer = {"special_qualification": qualification}
    return follow(client, post_step(client, "qualification", answer), "review")

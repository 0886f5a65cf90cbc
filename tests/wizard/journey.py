"""Walking the wizard with the test client: submit a step, follow it, read what the order holds."""

from django.utils import timezone

from .simulated import post_step, step_url

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
    "accepted_on": TODAY.strftime("%m-%d-%Y"),
}


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


def follow(client, response, expected_step):
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == step_url(expected_step), response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def _errors(response):
    context = getattr(response, "context", None)
    if context and "wizard" in context:
        return context["wizard"]["form"].errors
    return response.content.decode()[:500]


def pick(client, customer):
    return post_step(client, "customer", {"mode": "existing", "customer": customer.pk})


def buy(client, po_number="PO-4711"):
    review = client.get(step_url("review"))
    assert review.context["problems"] == [], review.context["problems"]
    response = post_step(client, "review", {"po_number": po_number, "terms": "on"})
    assert response.status_code == 302, _errors(response)
    done = client.get(response["Location"])
    assert done.status_code == 302, _errors(done)
    confirmation = client.get(done["Location"])
    assert confirmation.status_code == 200
    return confirmation.context["order"]


def existing_customer_until_attestation(client, customer, tenant):
    follow(client, start(client), "customer")
    follow(client, pick(client, customer), "partner")
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )
    return follow(
        client,
        post_step(
            client,
            "tenant",
            {
                "tenant_preference": "existing",
                "existing_tenant": tenant,
            },
        ),
        "attestation",
    )

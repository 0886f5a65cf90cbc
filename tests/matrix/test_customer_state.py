"""One customer, orders in a row; and checks that never change another customer.

Real parts as in the matrix: the product's wizard and API, the simulator over HTTP,
the pipeline's own submit and poll functions.
"""

import pytest
from django.forms.models import model_to_dict

from catalog.models import Cart
from customers.models import Customer
from orders.models import Order
from tests.factories import CartLineFactory
from tests.wizard.journey import AGREEMENT, PARTNER, follow, place, start
from tests.wizard.simulated import go_back, post_step

from .cases import Case
from .drivers import api_body, api_place, carry_to_completion, products_for

pytestmark = pytest.mark.django_db


def order_in_wizard(client, buyer, customer, tenant_answer, *, po):
    """Order one commercial plan for ``customer``; return the order and the steps shown."""
    plan = products_for(Case("wizard", "commercial", "x", "new"))[0]
    cart, _ = Cart.objects.get_or_create(user=buyer)
    CartLineFactory(cart=cart, product=plan, quantity=2)
    follow(client, start(client), "customer")
    follow(
        client,
        post_step(client, "customer", {"mode": "existing", "customer": customer.pk}),
        "partner",
    )
    tenant = follow(client, post_step(client, "partner", PARTNER), "tenant")
    answer = tenant_answer(tenant.context["wizard"]["form"])
    attestation = follow(client, post_step(client, "tenant", answer), "attestation")
    steps = [item["name"] for item in attestation.context["progress"]]
    after = "agreement" if "agreement" in steps else "qualification"
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), after)
    if after == "agreement":
        follow(client, post_step(client, "agreement", AGREEMENT), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    _, confirmation = place(client, po)
    return confirmation.context["order"], steps


def existing_as_offered(form):
    """Answer the tenant step the way it is offered: the customer's own tenant."""
    return {
        "tenant_preference": form["tenant_preference"].value(),
        "existing_tenant": form["existing_tenant"].value(),
    }


def test_three_orders_in_a_row_for_a_tenant_without_an_mca(client, buyer, customers):
    """Seed 001 step 9: while the marketplace says the MCA is not valid, every order asks
    for it and carries it (seed 004). Before, the first completed order was taken as
    proof, the second skipped the agreement, and the marketplace refused it (13605)."""
    tailspin = customers["tailspin"]
    orders = []
    for number in (1, 2, 3):
        order, steps = order_in_wizard(
            client, buyer, tailspin, existing_as_offered, po=f"PO-TT-{number}"
        )
        assert "agreement" in steps, f"order {number} skipped the agreement"
        orders.append(carry_to_completion(order))

    assert [o.status for o in orders] == [Order.Status.COMPLETED] * 3
    assert all(o.parameters.filter(name="mca_acceptance", value="yes").exists() for o in orders)


def test_three_orders_in_a_row_from_a_new_tenant(client, buyer, customers):
    """The first order makes the tenant (with an MCA, seed 004); the next two go to it, and
    the marketplace, asked on the tenant step, says the MCA is in place: no agreement."""
    litware = customers["litware"]
    first, steps = order_in_wizard(
        client,
        buyer,
        litware,
        lambda form: {"tenant_preference": "new", "tenant_prefix": "litwarematrix3"},
        po="PO-LW-1",
    )
    assert "agreement" in steps
    orders = [carry_to_completion(first)]
    litware.refresh_from_db()
    assert litware.tenant_domain == "litwarematrix3.onmicrosoft.com"
    # Recorded by the completed order, not by any check.
    assert litware.relationship == Customer.Relationship.ACCEPTED
    for number in (2, 3):
        order, steps = order_in_wizard(
            client, buyer, litware, existing_as_offered, po=f"PO-LW-{number}"
        )
        assert "agreement" not in steps
        orders.append(carry_to_completion(order))

    assert [o.status for o in orders] == [Order.Status.COMPLETED] * 3
    assert [o.parameters.get(name="tenant_preference").value for o in orders] == [
        "new",
        "existing",
        "existing",
    ]


def snapshot():
    return {c.pk: model_to_dict(c) | {"updated_at": c.updated_at} for c in Customer.objects.all()}


def test_checking_another_customers_tenant_changes_no_customer(client, buyer, northwind, customers):
    woodgrove, litware = customers["woodgrove"], customers["litware"]
    Customer.objects.filter(pk=woodgrove.pk).update(relationship=Customer.Relationship.ACCEPTED)
    before = snapshot()

    # Ordering for Litware, the reseller types Woodgrove's tenant, then Litware's own
    # (which has no relationship with the distributor yet), then checks it live.
    cart, _ = Cart.objects.get_or_create(user=buyer)
    CartLineFactory(cart=cart, product=products_for(Case("wizard", "commercial", "x", "new"))[0])
    follow(client, start(client), "customer")
    follow(
        client,
        post_step(client, "customer", {"mode": "existing", "customer": litware.pk}),
        "partner",
    )
    follow(client, post_step(client, "partner", PARTNER), "tenant")
    typed = {"tenant_preference": "existing", "existing_tenant": woodgrove.tenant_domain}
    follow(client, post_step(client, "tenant", typed), "attestation")
    go_back(client, "attestation", "tenant")
    refused = post_step(
        client,
        "tenant",
        {"tenant_preference": "existing", "existing_tenant": "litware.onmicrosoft.com"},
    )
    assert "has not accepted your distributor" in refused.content.decode()
    live = client.post(
        "/order/live/relationship/",
        {"tenant-existing_tenant": "litware.onmicrosoft.com", "customer": litware.pk},
    )
    assert "Not accepted yet" in live.content.decode()
    # Another customer's tenant is not answered for (issue 21: tenant probing).
    probe = client.post(
        "/order/live/relationship/",
        {"tenant-existing_tenant": "litware.onmicrosoft.com", "customer": woodgrove.pk},
    )
    assert "Only the tenant of the customer you are ordering for" in probe.content.decode()

    assert snapshot() == before
    # The real owner's order is not blocked by anything those checks saw.
    response = api_place(
        client,
        reseller=northwind,
        body=api_body(Case("api", "commercial", "woodgrove", "domain"), customers),
    )
    assert response.status_code == 201, response.content.decode()
    order = Order.objects.get(reference=response.json()["reference"])
    assert carry_to_completion(order).status == Order.Status.COMPLETED

"""Drive one matrix case through the product's own builder, then through the pipeline.

The wizard path walks the real steps with Django's test client (tests/wizard/journey.py);
the API path posts to the JSON API through ``api_place``, the one function to adapt when
the API is rebuilt. Both end in ``order_place``; ``carry_to_completion`` then sends the
order with the pipeline's own ``order_submit`` and ``order_poll`` against the simulator.
"""

import uuid

from api.tokens import api_token_create
from catalog.models import Cart, Product
from customers.upstream import client_for
from orders.models import Order
from orders.pipeline.polling import order_poll
from orders.pipeline.submission import order_submit
from tests.factories import CartLineFactory, UserFactory
from tests.pipeline.conftest import wait_for
from tests.wizard.journey import AGREEMENT, NEW_CUSTOMER, PARTNER, TODAY, follow, place, start
from tests.wizard.simulated import post_step

from .cases import Case
from .upstream import SEEDED

ORDERS_URL = "/api/v1/orders"
NEW_TENANT_PREFIX = "matrix"


def products_for(case: Case) -> list[Product]:
    """One plan of the case's segment, plus an offer needing attestation when the case has one."""
    chosen = [
        Product.objects.filter(active=True, segment=case.segment, offer_attestation_required=False)
        .order_by("pk")
        .first()
    ]
    if case.attested:
        chosen.append(
            Product.objects.filter(active=True, offer_attestation_required=True)
            .order_by("pk")
            .first()
        )
    assert all(chosen), f"The simulator's catalogue has no {case.segment} plan."
    return chosen


def new_tenant_domain() -> str:
    return f"{NEW_TENANT_PREFIX}{uuid.uuid4().hex[:12]}.onmicrosoft.com"


def existing_tenant(case: Case) -> str:
    seeded = SEEDED[case.customer]
    return seeded["tenant_id"] if case.tenant == "tenant_id" else seeded["domain"]


def mca_valid(case: Case) -> bool:
    """The simulator's answer for the case's tenant: a new tenant never has an MCA yet."""
    return case.tenant != "new" and SEEDED[case.customer]["mca_valid"]


# --- the wizard ---------------------------------------------------------------------------


def wizard_until_tenant(client, buyer, case: Case, customers):
    """Fill the cart and walk the cart, customer and partner steps; return the tenant page."""
    cart, _ = Cart.objects.get_or_create(user=buyer)
    for product in products_for(case):
        CartLineFactory(cart=cart, product=product, quantity=product.minimum_quantity)
    follow(client, start(client), "customer")
    if case.customer == "new":
        chosen = post_step(client, "customer", NEW_CUSTOMER)
    else:
        chosen = post_step(
            client, "customer", {"mode": "existing", "customer": customers[case.customer].pk}
        )
    follow(client, chosen, "partner")
    return follow(client, post_step(client, "partner", PARTNER), "tenant")


def tenant_answer(case: Case) -> dict:
    if case.tenant == "new":
        return {"tenant_preference": "new", "tenant_prefix": new_tenant_domain().split(".")[0]}
    return {"tenant_preference": "existing", "existing_tenant": existing_tenant(case)}


def wizard_order(client, buyer, case: Case, customers) -> Order:
    """Walk every step the case meets and press Buy; return the order placed."""
    wizard_until_tenant(client, buyer, case, customers)
    follow(client, post_step(client, "tenant", tenant_answer(case)), "attestation")
    attestation = {"partner_of_record": "on"}
    for product in products_for(case):
        if product.offer_attestation_required:
            attestation[f"offer_{product.pk}"] = "on"
    # Seed 001 step 9: a valid MCA asks for nothing; otherwise the agreement step.
    after = "qualification" if mca_valid(case) else "agreement"
    follow(client, post_step(client, "attestation", attestation), after)
    if not mca_valid(case):
        follow(client, post_step(client, "agreement", AGREEMENT), "qualification")
    if case.qualification == "Education":
        answer = {"education_segment": case.education_segment}
    else:
        answer = {"special_qualification": case.qualification}
    follow(client, post_step(client, "qualification", answer), "review")
    _, confirmation = place(client, case.po_number)  # asserts the review found no problem
    return confirmation.context["order"]


# --- the JSON API -------------------------------------------------------------------------


def api_place(client, *, reseller, body: dict, key=None):
    """POST the order ``body`` to the JSON API as an integrator does; return the response.

    The one place that knows the API's URL, authentication and idempotency header:
    adapt it when the API is rebuilt.
    """
    staff = UserFactory(reseller=reseller)
    issued = api_token_create(reseller=reseller, name="Matrix", created_by=staff)
    return client.post(
        ORDERS_URL,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        HTTP_IDEMPOTENCY_KEY=str(key or uuid.uuid4()),
    )


def api_body(case: Case, customers) -> dict:
    customer = customers[case.customer]
    if case.tenant == "new":
        tenant = {"preference": "new", "domain": new_tenant_domain()}
    elif case.tenant == "tenant_id":
        tenant = {"preference": "existing", "tenant_id": existing_tenant(case)}
    else:
        tenant = {"preference": "existing", "domain": existing_tenant(case)}
    body = {
        "customer_id": customer.pk,
        "lines": [
            {
                "product_id": product.pk,
                "quantity": product.minimum_quantity,
                **(
                    {"offer_attestation_accepted": True}
                    if product.offer_attestation_required
                    else {}
                ),
            }
            for product in products_for(case)
        ],
        "tenant": tenant,
        "partner_of_record_accepted": True,
        "special_qualification": case.qualification,
        "terms_accepted": True,
    }
    if case.education_segment:
        body["education_segment"] = case.education_segment
    if not mca_valid(case):
        body["agreement"] = {
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace@fourthcoffee.example",
            "accepted_on": TODAY.strftime("%m-%d-%Y"),  # the API takes the marketplace's form
        }
    if case.po_number:
        body["po_number"] = case.po_number
    return body


def api_order(client, reseller, case: Case, customers) -> Order:
    response = api_place(client, reseller=reseller, body=api_body(case, customers))
    assert response.status_code == 201, response.content.decode()
    return Order.objects.get(reference=response.json()["reference"])


# --- the pipeline ---------------------------------------------------------------------------


def carry_to_completion(order: Order, *, timeout=30.0) -> Order:
    """Submit the order, then poll it until the marketplace says it is done; return it."""
    order_submit(order.pk)
    submitted = Order.objects.get(pk=order.pk)
    assert submitted.status != Order.Status.FAILED, submitted.failure_message

    def done():
        order_poll(order.pk)
        current = Order.objects.get(pk=order.pk)
        return current if current.status in (Order.Status.COMPLETED, Order.Status.FAILED) else None

    return wait_for(done, timeout=timeout, interval=0.1, what=f"{order.reference} to finish")


def upstream_order(reseller, order: Order):
    """The order as the marketplace holds it (GET /orders/{id}): what the product really sent."""
    with client_for(reseller) as client:
        return client.get_order(order_id=order.upstream_order_id)

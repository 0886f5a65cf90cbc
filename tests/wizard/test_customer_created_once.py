"""A new customer is created upstream once, whatever happens to the marketplace's answer.

The wizard's customer step, driven with the test client, creates the customer in the
simulator (served in-process: everything but the socket is real, tests/simulated.py). The
customer carries our key as its ``externalId``; after an answer that may have come after
the customer was created, the product looks it up by that key before creating anything.
"""

import pytest

from customers.models import Customer

from .conftest import product
from .journey import NEW_CUSTOMER, follow, start
from .simulated import post_step

pytestmark = pytest.mark.django_db


def upstream_customers(simulator, name):
    """Every customer the marketplace holds under ``name`` (all pages)."""
    with simulator.client() as client:
        return [c for c in client.list_customers(name=name) if c.name == name]


def new_customer_step(client, add_to_cart):
    add_to_cart(product())
    follow(client, start(client), "customer")


def assert_created_once(simulator, response):
    assert response.status_code == 302, response.content.decode()[-2000:]
    name = NEW_CUSTOMER["company_name"]
    found = upstream_customers(simulator, name)
    assert len(found) == 1, [c.id for c in found]
    assert found[0].external_id.startswith("nce-")
    local = Customer.objects.get(company_name=name)
    assert local.upstream_customer_id == found[0].id


def test_a_lost_answer_creates_the_customer_once(client, buyer, add_to_cart, simulator):
    new_customer_step(client, add_to_cart)
    # Served upstream, the connection then closed before the answer came back.
    simulator.fail(kind="drop", when="after", method="POST", path="/customers", count=1)

    response = post_step(client, "customer", NEW_CUSTOMER)

    assert_created_once(simulator, response)


def test_a_late_answer_creates_the_customer_once(client, buyer, add_to_cart, simulator, settings):
    new_customer_step(client, add_to_cart)
    # Answered after MARKETPLACE_TIMEOUT_SECONDS: the product has stopped waiting.
    timeout = settings.MARKETPLACE["TIMEOUT_SECONDS"]
    simulator.fail(kind="delay", seconds=timeout + 5, method="POST", path="/customers", count=1)

    response = post_step(client, "customer", NEW_CUSTOMER)

    assert_created_once(simulator, response)


def test_next_pressed_again_after_an_unclear_answer_creates_nothing_twice(
    client, buyer, add_to_cart, simulator, backoff_waits
):
    """As when the web process died mid-request: the next press finds what the first made."""
    new_customer_step(client, add_to_cart)
    simulator.fail(kind="drop", when="after", method="POST", path="/customers", count=1)
    # The look-up before the POST is answered; the one right after it fails, every retry:
    # whether the customer exists is not known. (Seed 94 draws: miss, then four hits.)
    simulator.fail(
        kind="status",
        status=503,
        method="GET",
        path="/customers",
        probability=0.5,
        seed=94,
        count=4,
    )

    first = post_step(client, "customer", NEW_CUSTOMER)

    body = first.content.decode()
    assert first.status_code == 200
    assert "nothing was changed" not in body
    assert "may have" in body and "press Next again" in body
    assert len(upstream_customers(simulator, NEW_CUSTOMER["company_name"])) == 1

    second = post_step(client, "customer", NEW_CUSTOMER)

    assert_created_once(simulator, second)

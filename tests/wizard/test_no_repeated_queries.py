"""No wizard step reads the same rows twice in one request (issue 14).

The walks below are the flow tests' walks with an ``AuditedClient``: every
GET and POST of every step, the customer search, Buy and the placement fail
the test if a statement repeats within the request.
"""

import pytest

from customers.models import Customer
from tests.factories import UserFactory
from tests.query_audit import AuditedClient, assert_no_repeated_queries, repeated_queries

from .conftest import product
from .journey import (
    PARTNER,
    agree,
    attest,
    buy,
    choose_tenant,
    follow,
    qualify,
    until_partner,
    until_tenant,
)
from .simulated import TAILSPIN, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(northwind):
    client = AuditedClient()
    client.force_login(UserFactory(reseller=northwind, username="nora"))
    return client


def _cart(user, item=None, quantity=3):
    from catalog.models import Cart
    from tests.factories import CartLineFactory

    cart, _ = Cart.objects.get_or_create(user=user)
    return CartLineFactory(cart=cart, product=item or product(), quantity=quantity)


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="nora")


def test_new_customer_new_tenant_walk_repeats_no_query(audited, simulator):
    _cart(_user(audited))
    audited.get(step_url("customer"), {"q": "tail"})
    until_partner(audited)
    follow(audited, post_step(audited, "partner", PARTNER), "tenant")
    choose_tenant(audited, tenant_preference="new", tenant_prefix="fourthcoffee2027")
    attest(audited, "agreement")
    agree(audited, "qualification")
    qualify(audited)
    order = buy(audited)

    assert order.customer == Customer.objects.get(company_name="Fourth Coffee Roasters")
    walked = [what for what, _ in audited.audited]
    for step in ("cart", "customer", "partner", "tenant", "attestation", "agreement"):
        assert f"GET /order/{step}/" in walked and f"POST /order/{step}/" in walked
    assert {"GET /order/qualification/", "POST /order/review/", "GET /order/done/"} <= set(walked)


def test_existing_customer_walk_repeats_no_query(audited, northwind):
    tailspin = Customer.objects.create(
        reseller=northwind,
        company_name="Tailspin Toys",
        street_address="77 Alder Avenue",
        city="Portland",
        state="OR",
        postal_code="97204",
        country="US",
        upstream_customer_id=TAILSPIN["id"],
    )
    _cart(_user(audited))
    audited.get(step_url("customer"), {"q": "tailspin"})
    until_tenant(audited, tailspin)
    choose_tenant(audited, tenant_preference="existing", existing_tenant=TAILSPIN["tenant"])
    attest(audited, "agreement")
    agree(audited, "qualification")
    qualify(audited)
    order = buy(audited)

    assert order.customer == tailspin
    assert "GET /order/done/" in [what for what, _ in audited.audited]


def test_the_audit_fails_on_a_repeated_statement():
    queries = [
        {"sql": 'SELECT "a" FROM "t" WHERE "id" = 1'},
        {"sql": "BEGIN"},
        {"sql": "BEGIN"},
        {"sql": 'SAVEPOINT "s1_x1"'},
        {"sql": 'SAVEPOINT "s1_x2"'},
        {"sql": 'SELECT "a" FROM "t" WHERE "id" = 2'},
    ]
    assert repeated_queries(queries) == {}
    queries.append({"sql": 'SELECT  "a" FROM "t"\n WHERE "id" = 1'})
    with pytest.raises(AssertionError, match='2× SELECT "a" FROM "t" WHERE "id" = 1'):
        assert_no_repeated_queries(queries, "GET /x/")

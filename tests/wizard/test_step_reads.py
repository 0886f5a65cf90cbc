"""What review, Buy and the placement read: only what the page or the order needs (issue 14).

Validating the stored agreement step reads no contacts (they only prefill a blank
step); once a customer is picked, the reseller comes with it in one query; the
placement looks its order key up once (when the draft is loaded) and writes no session.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from tests.factories import ContactFactory

from .conftest import product
from .journey import PARTNER, agree, attest, choose_tenant, follow, until_partner, until_tenant
from .simulated import TAILSPIN, post_step, step_url

pytestmark = pytest.mark.django_db

FROM_CONTACTS = re.compile(r'FROM "customers_contact"')
FROM_CUSTOMERS = re.compile(r'FROM "customers_customer"')
#: The reseller read on its own (not joined to the customer).
RESELLER_ALONE = re.compile(r'^SELECT .* FROM "customers_reseller"')
ORDER_KEY_LOOKUP = re.compile(r'FROM "orders_order" .*"idempotency_key" =')
SESSION_WRITE = re.compile(r'^(UPDATE|INSERT INTO) "django_session"')


@pytest.fixture
def tailspin_admin(tailspin):
    return ContactFactory(
        customer=tailspin, first_name="Liam", last_name="Okafor", email="liam@tailspin.example"
    )


def _until_agreement(client, customer):
    until_tenant(client, customer)
    choose_tenant(client, tenant_preference="existing", existing_tenant=TAILSPIN["tenant"])
    return attest(client, "agreement")


def _statements(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, [query["sql"] for query in captured.captured_queries]


def test_the_blank_agreement_step_is_prefilled_with_the_customers_admin(
    client, buyer, add_to_cart, tailspin, tailspin_admin
):
    add_to_cart(product())

    agreement = _until_agreement(client, tailspin)

    form = agreement.context["wizard"]["form"]
    assert not form.is_bound
    assert (form["first_name"].value(), form["last_name"].value(), form["email"].value()) == (
        "Liam",
        "Okafor",
        "liam@tailspin.example",
    )


def test_review_buy_and_placement_read_no_contacts_and_the_reseller_with_the_customer(
    client, buyer, add_to_cart, tailspin, tailspin_admin
):
    add_to_cart(product())
    _until_agreement(client, tailspin)
    qualification = agree(client, "qualification")
    assert qualification.status_code == 200
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")

    review, shown = _statements(lambda: client.get(step_url("review")))
    assert review.status_code == 200 and review.context["problems"] == []
    bought, posted = _statements(
        lambda: post_step(client, "review", {"po_number": "PO-READS", "terms": "on"})
    )
    assert bought.status_code == 302 and bought["Location"] == step_url("done")
    done, placed = _statements(lambda: client.get(bought["Location"]))
    assert done.status_code == 302 and "/order/placed/" in done["Location"]

    for statements in (shown, posted, placed):
        assert not [sql for sql in statements if FROM_CONTACTS.search(sql)]
        assert not [sql for sql in statements if RESELLER_ALONE.search(sql)]
    assert len([sql for sql in placed if ORDER_KEY_LOOKUP.search(sql)]) == 1
    # The refreshed done page finds the order through the finished draft, not the session.
    assert not [sql for sql in placed if SESSION_WRITE.search(sql)]
    order = Order.objects.get(reseller=buyer.reseller)
    assert order.customer == tailspin and order.po_number == "PO-READS"
    # The agreement the reseller typed is what the order records, not the prefill.
    agreement = order.attestations.get(kind="customer_agreement")
    assert "Grace Hopper <grace@fourthcoffee.example>" in agreement.text


def test_an_invalid_agreement_post_shows_what_was_typed_not_the_prefill(
    client, buyer, add_to_cart, tailspin, tailspin_admin
):
    add_to_cart(product())
    _until_agreement(client, tailspin)

    page = post_step(
        client, "agreement", {"first_name": "Mia", "last_name": "", "email": "", "accepted_on": ""}
    )

    assert page.status_code == 200
    form = page.context["wizard"]["form"]
    assert form.errors and (form["first_name"].value(), form["email"].value()) == ("Mia", "")


def test_posting_a_step_whose_form_needs_no_reseller_reads_none(
    client, buyer, add_to_cart, tailspin, tailspin_admin
):
    add_to_cart(product())
    _until_agreement(client, tailspin)
    agree(client, "qualification")

    posted, statements = _statements(
        lambda: post_step(client, "qualification", {"special_qualification": "None"})
    )

    assert posted.status_code == 302 and posted["Location"] == step_url("review")
    assert not [sql for sql in statements if '"customers_reseller"' in sql]


def test_posting_the_partner_step_reads_the_reseller_alone_and_no_customer(
    client, buyer, add_to_cart, tailspin
):
    add_to_cart(product())
    until_partner(client, tailspin)

    posted, statements = _statements(lambda: post_step(client, "partner", PARTNER))

    assert posted.status_code == 302 and posted["Location"] == step_url("tenant")
    assert not [sql for sql in statements if FROM_CUSTOMERS.search(sql)]
    assert len([sql for sql in statements if RESELLER_ALONE.search(sql)]) == 1

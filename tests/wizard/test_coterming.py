"""Co-terming at the wizard's review: the alignments the products allow, each with its end
date and prorated first charge; the one chosen is placed with the order.

The marketplace is the project's simulator, in-process.
"""

import pytest

from customers.upstream import client_for
from renewals.services import customer_subscriptions_sync
from tests.orders.helpers import complete_through_simulator

from .conftest import product
from .journey import attest, buy, existing_customer_until_attestation, place, qualify
from .simulated import RESELLER

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(
    client, buyer, add_to_cart, woodgrove, simulator, enqueued, django_capture_on_commit_callbacks
):
    """Woodgrove with one active subscription bought through the wizard."""
    line = add_to_cart(product())
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    order = complete_through_simulator(buy(client), simulator, django_capture_on_commit_callbacks)
    line.cart.lines.all().delete()
    with client_for(woodgrove.reseller) as marketplace:
        customer_subscriptions_sync(customer=woodgrove, client=marketplace)
    return order.subscriptions.get()


def test_a_mandatory_add_on_is_co_termed_with_the_subscription_chosen_at_review(
    client, add_to_cart, woodgrove, subscribed
):
    copilot = product(name__contains="Copilot", term="P1Y", billing_period="P1M")
    add_to_cart(copilot)
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)

    page = client.get(RESELLER.step_url("review"))
    values = [option.value for option in page.context["coterm_options"]]
    assert "" not in values  # MANDATORY: not on its own term while a subscription exists
    assert f"s{subscribed.pk}" in values
    assert "First charge, prorated" in page.content.decode()

    response = RESELLER.post_step(
        client, "review", {"po_number": "PO-1", "terms": "on", "coterm": f"s{subscribed.pk}"}
    )
    assert response.status_code == 302
    order = client.get(client.get(response["Location"])["Location"]).context["order"]
    assert order.coterm_with == subscribed
    assert order.lines.get().product == copilot


def test_an_allowed_product_may_stay_on_its_own_term(client, add_to_cart, woodgrove, subscribed):
    add_to_cart(product(name__startswith="Microsoft 365 Business Standard"))
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    review, confirmation = place(client, "PO-2")
    values = [option.value for option in review.context["coterm_options"]]
    assert values[0] == "" and f"s{subscribed.pk}" in values
    order = confirmation.context["order"]
    assert order.coterm_with is None and not order.coterm_end_of_month

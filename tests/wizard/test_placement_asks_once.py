"""One answer of the marketplace serves the review, the Buy after it and the placement after that.

The review asks whether the order is ready; Buy pressed on the very same order within a minute,
and the placement it redirects to, do not ask again. A changed order or an answer older than a
minute is asked again.
"""

import pytest

from orders import readiness
from wizard.models import WizardDraft
from wizard.views import READY_AT_REVIEW, READY_ON_BUY

from .conftest import product
from .journey import attest, choose_tenant, qualify, until_tenant
from .simulated import post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    calls = []
    ask = readiness._upstream_problems

    def counted(*args, **kwargs):
        calls.append(args[0])
        return ask(*args, **kwargs)

    monkeypatch.setattr(readiness, "_upstream_problems", counted)
    return calls


def _at_review(client, customer, asked):
    """Walk to the review page (which asks the marketplace once); forget that ask."""
    until_tenant(client, customer)
    choose_tenant(client, tenant_preference="existing", existing_tenant=customer.tenant_domain)
    attest(client, "qualification")
    review = qualify(client)
    assert review.context["problems"] == [] and len(asked) == 1
    asked.clear()


def _age(buyer, key, seconds):
    draft = WizardDraft.objects.get(user=buyer)
    draft.data["extra_data"][key]["at"] -= seconds
    draft.save()


def test_the_review_asks_and_neither_buy_nor_the_placement_ask_again(
    client, buyer, add_to_cart, woodgrove, asked
):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    buy = post_step(client, "review", {"po_number": "PO-1", "terms": "on"})
    assert buy.status_code == 302 and asked == []

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert asked == []


def test_buy_a_minute_after_the_review_asks_and_the_placement_does_not(
    client, buyer, add_to_cart, woodgrove, asked
):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    _age(buyer, READY_AT_REVIEW, 61)
    buy = post_step(client, "review", {"po_number": "PO-4", "terms": "on"})
    assert buy.status_code == 302 and len(asked) == 1

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 1


def test_a_stale_buy_verdict_is_asked_again(client, buyer, add_to_cart, woodgrove, asked):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    buy = post_step(client, "review", {"po_number": "PO-2", "terms": "on"})
    assert buy.status_code == 302 and asked == []
    _age(buyer, READY_ON_BUY, 61)

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 1


def test_a_changed_order_is_asked_again(client, buyer, add_to_cart, woodgrove, asked):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    draft = WizardDraft.objects.get(user=buyer)
    draft.data["extra_data"][READY_AT_REVIEW]["request"] = "another order"
    draft.save()
    buy = post_step(client, "review", {"po_number": "PO-3", "terms": "on"})
    assert buy.status_code == 302 and len(asked) == 1
    draft = WizardDraft.objects.get(user=buyer)
    draft.data["extra_data"][READY_ON_BUY]["request"] = "another order"
    draft.save()

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 2

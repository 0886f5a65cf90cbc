"""The placement right after Buy does not ask the marketplace the question Buy just asked."""

import pytest

from orders import readiness
from wizard.models import WizardDraft
from wizard.views import READY_ON_BUY

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


def test_buy_asks_and_the_placement_it_leads_to_does_not(
    client, buyer, add_to_cart, woodgrove, asked
):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    buy = post_step(client, "review", {"po_number": "PO-1", "terms": "on"})
    assert buy.status_code == 302 and len(asked) == 1

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 1


def test_a_stale_buy_verdict_is_asked_again(client, buyer, add_to_cart, woodgrove, asked):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    buy = post_step(client, "review", {"po_number": "PO-2", "terms": "on"})
    assert buy.status_code == 302 and len(asked) == 1
    draft = WizardDraft.objects.get(user=buyer)
    draft.data["extra_data"][READY_ON_BUY]["at"] -= 61
    draft.save()

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 2


def test_a_changed_order_is_asked_again(client, buyer, add_to_cart, woodgrove, asked):
    add_to_cart(product())
    _at_review(client, woodgrove, asked)
    buy = post_step(client, "review", {"po_number": "PO-3", "terms": "on"})
    draft = WizardDraft.objects.get(user=buyer)
    draft.data["extra_data"][READY_ON_BUY]["request"] = "another order"
    draft.save()

    done = client.get(buy["Location"])

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert len(asked) == 2

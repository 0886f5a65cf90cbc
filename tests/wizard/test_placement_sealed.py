"""The placement Buy redirects to takes the order request Buy validated, only if nothing changed.

Buy validates every step and seals the order request it built to a digest of
the draft (steps, cart, steps shown); the placement a moment later places that
request without validating the steps again. Anything else is validated again.
"""

import pytest

from orders.models import Order
from wizard import views
from wizard.models import WizardDraft
from wizard.views import READY_ON_BUY, SEALED_ORDER, OrderWizardView

from .conftest import product
from .journey import attest, choose_tenant, qualify, until_tenant
from .simulated import post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(monkeypatch):
    """The steps whose stored data the wizard builds a form for (to validate it)."""
    steps = []
    get_form = OrderWizardView.get_form

    def counted(self, step=None, data=None, files=None):
        steps.append(step or self.steps.current)
        return get_form(self, step=step, data=data, files=files)

    monkeypatch.setattr(OrderWizardView, "get_form", counted)
    return steps


def _bought(client, customer, validated, po_number):
    until_tenant(client, customer)
    choose_tenant(client, tenant_preference="existing", existing_tenant=customer.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    buy = post_step(client, "review", {"po_number": po_number, "terms": "on"})
    assert buy.status_code == 302 and buy["Location"] == step_url("done")
    validated.clear()
    return buy["Location"]


def _draft(buyer):
    return WizardDraft.objects.get(user=buyer)


def test_the_placement_after_buy_places_what_buy_validated_without_validating_again(
    client, buyer, add_to_cart, woodgrove, validated
):
    line = add_to_cart(product(), quantity=7)
    done_url = _bought(client, woodgrove, validated, "PO-SEALED")
    assert SEALED_ORDER in _draft(buyer).data["extra_data"][READY_ON_BUY]

    done = client.get(done_url)

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert validated == []
    order = Order.objects.get(reseller=buyer.reseller)
    assert order.po_number == "PO-SEALED" and order.customer == woodgrove
    assert [(ol.product_id, ol.quantity) for ol in order.lines.all()] == [(line.product_id, 7)]
    assert set(order.attestations.values_list("kind", flat=True)) == {"partner_of_record", "terms"}
    # The draft is finished: no steps left, only the order key the done page finds it by.
    finished = _draft(buyer).data
    assert finished["step_data"] == {}
    assert finished["extra_data"] == {"idempotency_key": str(order.idempotency_key)}


def test_a_changed_cart_is_validated_again_and_refused(
    client, buyer, add_to_cart, woodgrove, validated
):
    line = add_to_cart(product())
    done_url = _bought(client, woodgrove, validated, "PO-CART")
    line.quantity += 1
    line.save()

    done = client.get(done_url)

    assert "cart" in validated
    assert done.status_code == 302 and done["Location"] == step_url("cart")
    assert not Order.objects.filter(reseller=buyer.reseller).exists()


def test_a_changed_draft_is_validated_again(client, buyer, add_to_cart, woodgrove, validated):
    add_to_cart(product())
    done_url = _bought(client, woodgrove, validated, "PO-OLD")
    draft = _draft(buyer)
    draft.data["step_data"]["review"]["review-po_number"] = ["PO-NEW"]
    draft.save()

    done = client.get(done_url)

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert "review" in validated and "cart" in validated
    assert Order.objects.get(reseller=buyer.reseller).po_number == "PO-NEW"


def test_a_tampered_draft_row_is_refused(client, buyer, add_to_cart, woodgrove, validated):
    add_to_cart(product())
    done_url = _bought(client, woodgrove, validated, "PO-TAMPERED")
    draft = _draft(buyer)
    del draft.data["step_data"]["attestation"]["attestation-partner_of_record"]
    draft.save()

    done = client.get(done_url)

    assert done.status_code == 302 and done["Location"] == step_url("attestation")
    assert not Order.objects.filter(reseller=buyer.reseller).exists()


def test_a_tampered_sealed_order_is_not_placed(client, buyer, add_to_cart, woodgrove, validated):
    line = add_to_cart(product(), quantity=5)
    done_url = _bought(client, woodgrove, validated, "PO-SEAL")
    draft = _draft(buyer)
    draft.data["extra_data"][READY_ON_BUY][SEALED_ORDER]["lines"][0]["quantity"] = 250
    draft.save()

    done = client.get(done_url)

    # The seal no longer matches: the draft's own steps are validated and placed.
    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert "cart" in validated
    order = Order.objects.get(reseller=buyer.reseller)
    assert [(ol.product_id, ol.quantity) for ol in order.lines.all()] == [(line.product_id, 5)]


def test_a_stale_seal_is_validated_again(
    client, buyer, add_to_cart, woodgrove, validated, monkeypatch
):
    add_to_cart(product())
    done_url = _bought(client, woodgrove, validated, "PO-STALE")
    monkeypatch.setattr(views, "READY_ON_BUY_SECONDS", -1)

    done = client.get(done_url)

    assert done.status_code == 302 and "/order/placed/" in done["Location"]
    assert "cart" in validated and "review" in validated


def test_the_sealed_request_is_the_one_the_steps_give(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product(), quantity=4)
    until_tenant(client, woodgrove)
    choose_tenant(client, tenant_preference="existing", existing_tenant=woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    post_step(client, "review", {"po_number": "PO-SAME", "terms": "on"})
    sealed = _draft(buyer).data["extra_data"][READY_ON_BUY][SEALED_ORDER]

    from wizard.drafts import request_from_data, request_to_data

    request = request_from_data(sealed)
    assert request_to_data(request) == sealed
    assert request.po_number == "PO-SAME" and request.customer_id == woodgrove.pk
    assert request.terms_accepted and request.partner_of_record_accepted
    assert [(line.quantity, line.offer_attestation_accepted) for line in request.lines] == [
        (4, False)
    ]

"""Seed 001 step 10, seed 002: an MCA acceptance is recorded only when a person confirms it.

The agreement step comes prefilled from the customer's admin contact and today's
date; pressing Next on that alone records nothing. Ticking that the customer
accepted it records the acceptance, word for word, and the evidence pack keeps it.
"""

import json

import pytest
from django.urls import reverse

from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation

from .conftest import product
from .journey import AGREEMENT, agree, attest, buy, choose_tenant, qualify, until_tenant
from .simulated import post_step

pytestmark = pytest.mark.django_db


def test_the_prefilled_agreement_is_not_an_acceptance_until_the_box_is_ticked(
    client, buyer, add_to_cart
):
    add_to_cart(product())
    until_tenant(client)
    step = choose_tenant(client, tenant_preference="new", tenant_prefix="mcaticked2026")
    step = attest(client, "agreement").content.decode()
    assert DEFAULT_TEXTS[Attestation.Kind.CUSTOMER_AGREEMENT] in step  # the text is shown
    assert 'name="agreement-accept"' in step

    unticked = {key: value for key, value in AGREEMENT.items() if key != "accept"}
    answer = post_step(client, "agreement", unticked)
    assert answer.status_code == 200  # the step again, not the next one
    assert "Tick the box once the customer has accepted" in answer.content.decode()
    assert answer.context["wizard"]["form"].errors["accept"]

    agree(client, "qualification")
    qualify(client)
    order = buy(client)

    acceptance = order.attestations.get(kind=Attestation.Kind.CUSTOMER_AGREEMENT)
    assert acceptance.text.startswith(DEFAULT_TEXTS[Attestation.Kind.CUSTOMER_AGREEMENT])
    assert "Grace Hopper" in acceptance.text
    assert acceptance.accepted_by == buyer

    pack = client.get(
        reverse("evidence:export"), {"download": "1", "order": order.reference, "format": "json"}
    )
    records = json.loads(pack.content)["evidence"]["attestations"]
    kept = [r for r in records if r["kind"] == "customer_agreement"]
    assert len(kept) == 1 and kept[0]["text"] == acceptance.text

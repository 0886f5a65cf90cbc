"""Every order branch the seeds describe, built by the product and completed by the simulator.

Each case goes through the product's own builder (the wizard's real steps, or the
JSON API), the readiness check (the review page or the API, which must find no
problem), ``order_place``, and the pipeline's own submit and poll functions against
the simulator over HTTP, whose validation follows the seeds. Then the body the
marketplace received is read back and checked value by value against seed 004.
Cases the seeds refuse are refused by our own rules before Buy, with the seed's reason.
"""

import pytest

from catalog.models import Cart
from orders.models import Order
from orders.parameters import OFFER_ATTESTATION
from tests.factories import CartLineFactory
from tests.wizard.journey import follow, start
from tests.wizard.simulated import post_step

from .cases import COMPLETED, REFUSED, Case
from .drivers import (
    api_body,
    api_order,
    api_place,
    carry_to_completion,
    mca_valid,
    products_for,
    tenant_answer,
    upstream_order,
    wizard_order,
    wizard_until_tenant,
)

pytestmark = pytest.mark.django_db

SEED_QUALIFICATION = {"None": "None", "StateOwnedEntity": "soe", "Education": "None"}


@pytest.mark.parametrize("case", COMPLETED, ids=[case.id for case in COMPLETED])
def test_the_order_completes(case, client, buyer, northwind, customers, simulator):
    if case.path == "wizard":
        order = wizard_order(client, buyer, case, customers)
    else:
        order = api_order(client, northwind, case, customers)

    done = carry_to_completion(order)

    assert done.status == Order.Status.COMPLETED, (done.failure_message, done.failure_guidance)
    assert done.subscriptions.count() == len(products_for(case))
    sent = upstream_order(northwind, done)
    assert sent.po_number.startswith(done.reference)
    assert (
        (case.po_number in sent.po_number) if case.po_number else sent.po_number == done.reference
    )
    attested = {p.mpn: p.offer_attestation_required for p in products_for(case)}
    for line in sent.lines:
        given = {p.name: p for p in line.parameters}
        # Seed 004: special_qualifications is "None" or "soe", nothing else.
        assert given["special_qualifications"].value == SEED_QUALIFICATION[case.qualification]
        # Seed 004: offer_attestation on every line, true only where accepted and needed.
        assert given[OFFER_ATTESTATION].structured_value == {
            "attestation_accepted": attested[line.mpn]
        }
        # Seed 004: the MCA parameters go with a new tenant or a tenant without an MCA.
        assert ("mca_acceptance" in given) is not mca_valid(case)
        # Seed 001 step 10 (the name is the assumption in docs/upstream.md).
        segment = given.get("education_segment")
        assert (segment.value if segment else "") == case.education_segment
        expected_tenant = "new" if case.tenant == "new" else "existing"
        assert given["tenant_preference"].value == expected_tenant


@pytest.mark.parametrize(
    ("case", "step", "reason"), REFUSED, ids=[case.id for case, _, _ in REFUSED]
)
def test_the_seeds_refusals_come_before_buy(
    case, step, reason, client, buyer, northwind, customers, simulator
):
    if case.path == "wizard":
        wizard_until_tenant(client, buyer, case, customers)
        refused = post_step(client, "tenant", tenant_answer(case))
        assert refused.status_code == 200
        assert refused.context["wizard"]["steps"].current == step
        assert reason in str(refused.context["wizard"]["form"].errors).lower()
    else:
        response = api_place(client, reseller=northwind, body=api_body(case, customers))
        assert response.status_code == 422, response.content.decode()
        messages = " ".join(e["detail"] for e in response.json()["errors"]).lower()
        assert reason in messages
    assert not Order.objects.exists()
    assert simulator.stats()["ordersCreated"] == 0


def test_an_inquiring_reseller_stays_on_the_partner_step(client, buyer, northwind, customers):
    """Seed 000 steps 8-9: Next only when READY; INQUIRING asks for the MPN ID and tenant."""
    case = Case("wizard", "commercial", "woodgrove", "domain")
    cart, _ = Cart.objects.get_or_create(user=buyer)
    CartLineFactory(cart=cart, product=products_for(case)[0], quantity=1)
    follow(client, start(client), "customer")
    picked = post_step(
        client, "customer", {"mode": "existing", "customer": customers["woodgrove"].pk}
    )
    follow(client, picked, "partner")

    refused = post_step(
        client,
        "partner",
        {"mpn_id": "9999999", "indirect_reseller_domain": "northwindit.onmicrosoft.com"},
    )

    assert refused.status_code == 200
    assert refused.context["wizard"]["steps"].current == "partner"
    assert "MPN Id is not found" in refused.content.decode()
    northwind.refresh_from_db()
    assert northwind.tier_status == northwind.TierStatus.INQUIRING


def test_an_inquiring_reseller_is_refused_by_the_api(client, northwind, customers, simulator):
    northwind.tier_status = northwind.TierStatus.INQUIRING
    northwind.tier_reason = "MPN Id is not found"
    northwind.save()
    case = Case("api", "commercial", "woodgrove", "domain")

    response = api_place(client, reseller=northwind, body=api_body(case, customers))

    assert response.status_code == 422
    errors = response.json()["errors"]
    # The partner profile is no field of the body: the problem carries no pointer.
    assert any("MPN Id is not found" in e["detail"] and "pointer" not in e for e in errors)
    assert simulator.stats()["ordersCreated"] == 0

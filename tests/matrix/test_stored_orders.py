"""Orders stored before the builder followed seed 004 are sent in the seed's words.

A failed state-owned-entity order placed before the fix holds Partner Center's
``StateOwnedEntity`` and no ``offer_attestation`` on plain lines; Resubmit sends the
stored order again. The stored rows stay as they are (history); what is sent is
translated, so the order now completes against the simulator over HTTP.
"""

import pytest

from orders.models import Order, OrderParameter

from .cases import Case
from .drivers import api_order, carry_to_completion, upstream_order

pytestmark = pytest.mark.django_db


def test_an_order_stored_with_the_old_words_is_sent_with_the_seeds(
    client, northwind, customers, simulator
):
    case = Case("api", "commercial", "woodgrove", "domain", "StateOwnedEntity")
    order = api_order(client, northwind, case, customers)
    # As the old builder stored it (set up here, before it is first sent).
    OrderParameter.objects.filter(order=order, name="special_qualifications").update(
        value="StateOwnedEntity"
    )
    OrderParameter.objects.filter(order=order, name="offer_attestation").delete()

    done = carry_to_completion(order)

    assert done.status == Order.Status.COMPLETED, done.failure_message
    sent = {p.name: p for p in upstream_order(northwind, done).lines[0].parameters}
    assert sent["special_qualifications"].value == "soe"
    assert sent["offer_attestation"].structured_value == {"attestation_accepted": False}
    stored = done.parameters.get(name="special_qualifications", line=None)
    assert stored.value == "StateOwnedEntity"

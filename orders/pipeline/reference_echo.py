"""Whether the marketplace keeps our reference in poNumber: what "not found" rests on.

Reconciliation recognises an order whose answer was lost by the reference we put
first in its poNumber (docs/upstream.md, "What the reference search relies on").
The spec names the field, but whether the real platform keeps it whole is not
published. Every order detail we read is therefore checked: once one comes back
without our reference, the connection is marked, and from then on a search that
finds nothing proves nothing on it (the order goes to a person, never out again).
"""

import logging

from django.utils import timezone

from customers.models import MarketplaceConnection
from marketplace.mapping import po_number_has_reference

from ..lifecycle import Actor, order_record
from ..models import Order

logger = logging.getLogger(__name__)

#: The history event of the order whose detail came back without our reference.
REFERENCE_DROPPED = "reference_dropped"


def reference_echo_check(order: Order, upstream) -> None:
    """Mark the order's connection when the marketplace's detail lost our reference."""
    if po_number_has_reference(upstream.po_number, order.reference):
        return
    marked = MarketplaceConnection.objects.filter(
        pk=order.reseller.connection_id, reference_dropped_at__isnull=True
    ).update(reference_dropped_at=timezone.now(), reference_dropped_order=order.reference)
    if not marked:
        return
    logger.error(
        "Order %s: the marketplace returned poNumber %r without our reference; orders of "
        "connection %s whose answer is lost will be put before a person, not sent again.",
        order.reference,
        upstream.po_number,
        order.reseller.connection_id,
    )
    order_record(
        order,
        REFERENCE_DROPPED,
        actor=Actor.UPSTREAM,
        cause=(
            f"The marketplace returned this order with poNumber '{upstream.po_number}', without "
            f"our reference {order.reference}. A search by reference can no longer prove that an "
            "order was never created on this connection: from now on an order whose answer is "
            "lost and that a search does not find is put before a person instead of being sent "
            "again."
        ),
    )


def reference_search_trusted(connection_id: int) -> bool:
    """Tell whether a complete search that found nothing may count as "never created"."""
    return not MarketplaceConnection.objects.filter(
        pk=connection_id, reference_dropped_at__isnull=False
    ).exists()

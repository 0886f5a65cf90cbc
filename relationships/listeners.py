"""The tracker listens to failed orders: one refused for a missing relationship is watched.

Registered in ``RelationshipsConfig.ready``; ``orders`` tells it after the failure commits.
"""

from orders import events
from orders.error_catalogue import catalogue_entry, stored_words

from .services import relationship_watch_start

LISTENER = "relationships.watch"


def watch_when_refused_for_the_relationship(order_event) -> None:
    """Start watching the tenant when the marketplace refused the order for the relationship.

    Only a refusal of the order as sent carries the catalogue's relationship advice (an order
    failed later in provisioning carries the provisioning advice whatever its code).
    """
    advice = stored_words(catalogue_entry("relationship").advice)
    if order_event.order.failure_guidance == advice:
        relationship_watch_start(order_event.order_id)


def register() -> None:
    events.listen(events.Kind.FAILED, LISTENER, watch_when_refused_for_the_relationship)

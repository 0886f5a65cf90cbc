"""The tracker's box on an order page: orders' page shows it without importing the tracker."""

from django import template

from customers.relationship_links import partner_invitation_url
from relationships.models import RelationshipWatch

register = template.Library()


@register.inclusion_tag("relationships/_watch.html")
def relationship_watch_box(order):
    """Show the watch of ``order``'s tenant, if the tracker keeps one (nothing otherwise)."""
    watch = RelationshipWatch.objects.filter(order=order).first()
    if watch is None:
        return {"watch": None}
    return {"watch": watch, "order": order, "relationship_url": partner_invitation_url()}

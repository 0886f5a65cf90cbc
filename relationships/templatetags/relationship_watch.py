"""The tracker's box on an order page: orders' page shows it without importing the tracker."""

from django import template
from django.utils import timezone

from customers.relationship_links import partner_invitation_url
from relationships.models import RelationshipWatch

register = template.Library()


@register.simple_tag
def relationship_watch_of(order):
    """Return the tracker's watch of ``order``'s tenant, or None when it keeps none."""
    return RelationshipWatch.objects.filter(order=order).first()


@register.inclusion_tag("relationships/_watch.html")
def relationship_watch_box(watch, order):
    """Show ``watch`` (from relationship_watch_of) on ``order``'s page; nothing when it is None."""
    if watch is None:
        return {"watch": None}
    return {
        "watch": watch,
        "order": order,
        "relationship_url": partner_invitation_url(),
        "now": timezone.now(),
    }

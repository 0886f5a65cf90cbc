"""Subscriptions that renew soon, for the upcoming renewals page."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from orders.models import Subscription
from orders.services.renewal_changes import waiting_orders

UPCOMING_DAYS = 30


def upcoming_renewals(user, *, days: int = UPCOMING_DAYS):
    """Return the active subscriptions ``user`` may see that renew within ``days`` days."""
    today = timezone.now().date()
    return (
        Subscription.objects.visible_to(user)
        .filter(status="active", renewal_date__isnull=False)
        .filter(renewal_date__lte=today + timedelta(days=days))
        .select_related("product", "customer", "order")
        .prefetch_related(Prefetch("change_orders", waiting_orders(), to_attr="waiting_changes"))
        .order_by("renewal_date", "pk")
    )

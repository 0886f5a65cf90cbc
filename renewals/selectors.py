"""Subscriptions that renew soon, for the upcoming renewals page."""

from datetime import timedelta

from django.utils import timezone

from orders.models import Subscription

UPCOMING_DAYS = 30


def upcoming_renewals(user, *, days: int = UPCOMING_DAYS):
    """Return the active subscriptions ``user`` may see that renew within ``days`` days."""
    today = timezone.now().date()
    return (
        Subscription.objects.visible_to(user)
        .filter(status="active", renewal_date__isnull=False)
        .filter(renewal_date__lte=today + timedelta(days=days))
        .select_related("product", "customer", "order")
        .order_by("renewal_date", "pk")
    )

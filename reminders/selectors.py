"""Seat batches whose 7-day cancellation window closes soon, with what returning them refunds."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from orders.models import SeatBatch
from orders.services.changes import refund_estimate


def reminder_thresholds() -> tuple[int, ...]:
    """Return the hours before a window closes at which resellers are reminded, largest first."""
    return tuple(sorted(getattr(settings, "CANCELLATION_REMINDER_HOURS", (48, 24)), reverse=True))


@dataclass(frozen=True)
class ClosingBatch:
    batch: SeatBatch
    seats_left: int
    refund_estimate: Decimal
    currency: str
    closes_at: datetime
    #: True when returning the batch means cancelling the whole purchase.
    is_purchase: bool

    @property
    def order(self):
        return self.batch.order

    @property
    def subscription(self):
        return self.batch.subscription

    def return_path(self) -> str:
        """Return the page that opens the return of these seats, pre-filled."""
        purchase = self.subscription.order
        if purchase is None:  # adopted: its seats change on the subscription's own page
            return reverse("subscriptions:detail", kwargs={"pk": self.subscription.pk})
        if self.is_purchase:
            return reverse("orders:cancel", kwargs={"reference": purchase.reference})
        url = reverse("orders:detail", kwargs={"reference": purchase.reference})
        return f"{url}?return_batch={self.batch.pk}#subscription-{self.subscription.pk}"


def closing_batches(*, now: datetime, within: timedelta, reseller=None) -> list[ClosingBatch]:
    """Return the active seat batches whose window closes after ``now`` and within ``within``."""
    batches = (
        SeatBatch.objects.filter(
            window_ends_at__gt=now,
            window_ends_at__lte=now + within,
            subscription__status="active",
            seats__gt=F("seats_removed"),
        )
        .select_related(
            "order",
            "subscription",
            "subscription__order",
            "subscription__product",
            "order__customer",
        )
        .prefetch_related("order__lines")
        .order_by("window_ends_at", "pk")
    )
    if reseller is not None:
        batches = batches.filter(order__reseller=reseller)
    return [_closing(batch, now) for batch in batches]


def _closing(batch: SeatBatch, now: datetime) -> ClosingBatch:
    subscription = batch.subscription
    product = subscription.product
    # The lines come prefetched: one query for all batches, not one per batch.
    line = next((line for line in batch.order.lines.all() if line.product_id == product.pk), None)
    unit_price = line.unit_price if line else product.price
    return ClosingBatch(
        batch=batch,
        seats_left=batch.seats_left,
        refund_estimate=refund_estimate(
            unit_price * batch.seats_left, product.billing_period, batch.added_at, now
        ),
        currency=line.currency if line else product.currency,
        closes_at=batch.window_ends_at,
        is_purchase=batch.order_id == subscription.order_id,
    )

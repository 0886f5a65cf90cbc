"""Recording what the marketplace lists: adopted customers and subscriptions, and drift.

Each function takes what was read upstream (already fetched: no HTTP here) and writes it in the
caller's transaction. Nothing already recorded is overwritten without a history row saying what
it was and what it became.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from customers.models import Contact, Customer
from marketplace.types import Customer as UpstreamCustomer
from marketplace.types import Subscription as UpstreamSubscription
from orders.models import Order, Subscription
from orders.subscription_events import Actor, Kind, subscription_record

#: Microsoft refunds within 168 hours of a purchase (upstream README §2.9).
CANCELLATION_WINDOW = timedelta(hours=168)
#: A terminated subscription upstream: cancelled, or ended at its renewal date.
ENDED = {"terminated", "removed"}
OPEN_ORDER = [
    Order.Status.PLACED,
    Order.Status.SUBMITTING,
    Order.Status.SUBMITTED,
    Order.Status.PROCESSING,
    Order.Status.UNKNOWN,
]


@dataclass
class Tally:
    customers_created: int = 0
    adopted: int = 0
    changed: int = 0
    skipped: int = 0
    deferred: int = 0


def customers_buying(customers) -> set[int]:
    """Return the ids of the customers with a purchase of ours not yet recorded in full.

    A subscription of theirs the marketplace lists may be that purchase's, still to be
    recorded by the pipeline (with its order): it is not adopted now but on a later sync.
    """
    return set(
        Order.objects.filter(customer__in=customers, kind=Order.Kind.SALES)
        .filter(Q(status__in=OPEN_ORDER) | Q(details_pending=True))
        .values_list("customer_id", flat=True)
    )


def customer_adopt(*, reseller, row: UpstreamCustomer, tally: Tally) -> Customer:
    """Return the reseller's customer with this marketplace id, creating it from ``row``."""
    address = row.address
    customer, created = Customer.objects.get_or_create(
        reseller=reseller,
        upstream_customer_id=row.id,
        defaults={
            "company_name": row.name[:255] or row.id,
            "street_address": address.street_address[:200] or "-",
            "address_extension": address.address_extension[:200],
            "city": address.city[:50] or "-",
            "state": address.state[:50],
            "postal_code": address.postal_code[:20] or "-",
            "country": address.country_code or "US",
            "language": row.language
            if row.language in Customer.Language.values
            else Customer.Language.EN_US,
        },
    )
    if created:
        tally.customers_created += 1
        for person in row.contact_persons:
            if person.type in Contact.Kind.values and person.email:
                Contact.objects.get_or_create(
                    customer=customer,
                    kind=person.type,
                    defaults={
                        "first_name": person.first_name[:50] or "-",
                        "last_name": person.last_name[:50] or "-",
                        "email": person.email,
                        "phone": person.phone_number[:32],
                    },
                )
    return customer


def product_for(detail: UpstreamSubscription) -> Product | None:
    """Return the catalogue row a subscription's detail names (MPN, vendor, term, billing)."""
    if not detail.products:
        return None
    line = detail.products[0]
    candidates = Product.objects.filter(mpn=line.mpn)
    if line.vendor:
        candidates = candidates.filter(vendor=line.vendor)
    if detail.subscription_period:
        candidates = candidates.filter(term=detail.subscription_period)
    if detail.billing_period:
        candidates = candidates.filter(billing_period=detail.billing_period)
    return candidates.order_by("pk").first()


def _midnight(day: date | None):
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def subscription_adopt(
    *, customer: Customer, detail: UpstreamSubscription, added_outside: bool, tally: Tally
) -> Subscription | None:
    """Record a subscription bought elsewhere as an adopted one, with its history's first row.

    ``added_outside``: found by the scheduled sync after the estate was adopted, so it is
    recorded as added outside this product rather than adopted.
    """
    product = product_for(detail)
    if product is None:
        tally.skipped += 1
        return None
    created = _midnight(detail.creation_date) or timezone.now()
    subscription, made = Subscription.objects.get_or_create(
        customer=customer,
        upstream_id=detail.id,
        defaults={
            "order": None,
            "origin": Subscription.Origin.ADOPTED,
            "product": product,
            "status": detail.status or "active",
            "seats": detail.quantity or 0,
            "tenant_domain": str(detail.fulfillment_parameter("tenant_domain") or "")[:255],
            "created_at": created,
            "cancellation_window_ends_at": created + CANCELLATION_WINDOW,
            "auto_renew": detail.renewal_status,
            "renewal_date": detail.renewal_date,
            "synced_at": timezone.now(),
        },
    )
    if not made:
        return subscription
    tally.adopted += 1
    words = {
        "name": product.name,
        "id": detail.id,
        "seats": subscription.seats,
        "customer": customer.company_name,
    }
    subscription_record(
        subscription,
        Kind.ADDED_OUTSIDE if added_outside else Kind.ADOPTED,
        actor=Actor.UPSTREAM if added_outside else Actor.SYSTEM,
        cause=(
            _(
                "%(name)s (%(id)s), %(seats)s seats, was bought outside this product "
                "for %(customer)s."
            )
            if added_outside
            else _("%(name)s (%(id)s), %(seats)s seats, adopted from the marketplace.")
        )
        % words,
        details={"after": _state(subscription)},
    )
    return subscription


def _state(subscription: Subscription) -> dict:
    return {
        "seats": subscription.seats,
        "status": subscription.status,
        "auto_renew": subscription.auto_renew,
    }


def needs_detail(subscription: Subscription | None, row: UpstreamSubscription) -> bool:
    """Tell whether the list row leaves something to read in the detail (its seats).

    A new subscription needs it; a known one when the row differs from what is recorded, or
    was modified upstream on or after the day it was last synced (``lastModifiedDate`` is a
    date, so the day of the last sync counts).
    """
    if subscription is None:
        return True
    if row.status != subscription.status or (
        row.renewal_status is not None and row.renewal_status != subscription.auto_renew
    ):
        return True
    if subscription.synced_at is None or row.last_modified_date is None:
        return True
    return row.last_modified_date >= subscription.synced_at.astimezone(UTC).date()


def subscription_reconcile(
    *, subscription: Subscription, upstream: UpstreamSubscription, tally: Tally, now=None
) -> bool:
    """Bring a recorded subscription in step with the marketplace, recording any drift.

    Seats, status and auto-renewal that moved at the marketplace are recorded as changed (or
    cancelled) outside this product, with before and after, and then taken over. A
    subscription with a change of ours still open is left for the pipeline to record; the end
    of a term without renewal is the renewals sync's to record. Return True if it drifted.
    """
    now = now or timezone.now()
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if Order.objects.filter(subscription=subscription, status__in=OPEN_ORDER).exists():
        return False
    before = _state(subscription)
    after = dict(before)
    if upstream.quantity is not None:
        after["seats"] = upstream.quantity
    if upstream.renewal_status is not None:
        after["auto_renew"] = upstream.renewal_status
    expiry = (
        upstream.status in ENDED
        and subscription.renewal_date is not None
        and subscription.renewal_date <= now.date()
        and subscription.auto_renew is False
    )
    if upstream.status and not expiry:
        after["status"] = upstream.status
    moved = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    subscription.synced_at = now
    if not moved:
        subscription.save(update_fields=["synced_at"])
        return False
    cancelled = moved.get("status", (None, None))[1] in ENDED
    subscription.seats = after["seats"]
    subscription.auto_renew = after["auto_renew"]
    subscription.status = after["status"]
    subscription.save(update_fields=["seats", "auto_renew", "status", "synced_at"])
    tally.changed += 1
    changes = "; ".join(
        _("%(field)s from %(before)s to %(after)s")
        % {"field": key.replace("_", "-"), "before": old, "after": new}
        for key, (old, new) in moved.items()
    )
    subscription_record(
        subscription,
        Kind.CANCELLED_OUTSIDE if cancelled else Kind.CHANGED_OUTSIDE,
        actor=Actor.UPSTREAM,
        cause=_("%(name)s (%(id)s) changed outside this product: %(changes)s.")
        % {"name": subscription.product.name, "id": subscription.upstream_id, "changes": changes},
        details={
            "before": {key: old for key, (old, _new) in moved.items()},
            "after": {key: new for key, (_old, new) in moved.items()},
        },
    )
    return True

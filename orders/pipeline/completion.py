"""What a completed order leaves behind: subscriptions, seat batches, the customer's tenant."""

import logging
import time
from dataclasses import asdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from customers.credentials import record_tenant_admin
from customers.models import Customer
from marketplace.exceptions import MarketplaceError
from marketplace.session import last_correlation_id

from .. import cause_words
from .. import parameters as names
from ..lifecycle import Actor, TransitionRefused, order_record, order_transition
from ..models import Order, OrderLine, SeatBatch, Subscription, UpstreamExchange
from ..subscription_prices import PRICE_FIELDS, prices_from_line
from .exchanges import exchanges_keep, recorded, redacted
from .switches import partial_subscription_record, record_switch

logger = logging.getLogger(__name__)

#: New-commerce licences can be cancelled with a prorated refund for 168 hours (README §2.9).
CANCELLATION_WINDOW = timedelta(hours=168)
#: An order completed from its list row is due for its detail this much later, unless the
#: batch recording it makes the batch due together sooner (``finishing``).
DETAILS_DUE_AFTER = timedelta(seconds=10)


def record_completion(order: Order, upstream, client, *, actor=Actor.UPSTREAM, actor_user=None):
    """Record what the completed upstream order created, then mark the order completed."""
    details = {}
    if order.kind == Order.Kind.SALES:
        for subscription_id in upstream.subscription_ids:
            details[subscription_id] = _subscription_read(order, subscription_id, client)
    _record(order, upstream, details, actor=actor, actor_user=actor_user)


def record_completion_seen(order: Order, listed, *, actor=Actor.UPSTREAM) -> None:
    """Record an order that a list of the customer's orders shows completed, before its detail.

    List rows carry no products, so which subscriptions the order created is read afterwards
    (``record_details``, paced by the request budget), but the order is completed now: a
    customer's many orders are all seen completed within a list poll or two, however long
    reading their details takes. A change or a cancellation is recorded whole (it needs
    nothing upstream); its detail is read for the refund the marketplace states.
    """
    _record(order, listed, {}, actor=actor, details_pending=True)


def record_details(read: list, client, *, actor=Actor.UPSTREAM) -> None:
    """Record what the details of orders completed before their detail say; then each is whole.

    ``read`` holds (order, upstream order) pairs of one customer, their subscriptions read in
    few requests (``_subscription_details``). Each order is then marked whole and its
    completion e-mail sent; an order another worker made whole meanwhile is left alone. A
    failed read raises ``MarketplaceError``: nothing of the batch is recorded.
    """
    details_by_order = _subscription_details(read, client)
    for order, upstream in read:
        _details_record(order, upstream, details_by_order.get(order.pk, {}), actor=actor)


def _subscription_details(completed: list, client) -> dict:
    """Read what the subscriptions of ``completed`` (sales among them) are; by order id.

    A subscription is read in detail only where the tenant id is not known otherwise, i.e.
    once per new-tenant order (the detail also carries the new admin's login); the others come
    from one ``GET /subscriptions?customerId=…`` (list rows carry no seats or parameters: the
    seat count comes from the order line), asked only when such others exist.
    """
    # One customer instance for the batch: what one order taught it, the next one knows, so
    # the customer is locked and written only when an order brings something new.
    customers = {}
    for order, _ in completed:
        order.customer = customers.setdefault(order.customer_id, order.customer)
    sales = [(o, u) for o, u in completed if o.kind == Order.Kind.SALES and u.subscription_ids]
    read_in_detail = {o.pk: u.subscription_ids[0] for o, u in sales if _needs_detail(o)}
    from_list = [
        (o, u)
        for o, u in sales
        if any(sid != read_in_detail.get(o.pk) for sid in u.subscription_ids)
    ]
    listed = _subscriptions_listed(from_list, client) if from_list else {}
    details_by_order = {}
    for order, upstream in sales:
        details = {sid: listed[sid] for sid in upstream.subscription_ids if sid in listed}
        if order.pk in read_in_detail:
            first = read_in_detail[order.pk]
            details[first] = _subscription_read(order, first, client)
        details_by_order[order.pk] = details
    return details_by_order


def details_reads(sales: list) -> int:
    """The subscription reads for sales orders, given as (order, subscriptions it created):
    one detail per new-tenant order, one list if any subscription is left for it."""
    detailed = {order.pk for order, count in sales if count and _needs_detail(order)}
    listed = any(count > (1 if order.pk in detailed else 0) for order, count in sales)
    return len(detailed) + (1 if listed else 0)


def _subscription_read(order: Order, subscription_id: str, client):
    try:
        # The answer is stored as sent, its admin_temporary_password redacted.
        with recorded(order, "get_subscription", "GET", f"subscriptions/{subscription_id}"):
            detail = client.get_subscription(subscription_id=subscription_id)
    except MarketplaceError:
        # Try the whole completion again at the next poll.
        logger.warning(
            "Order %s: subscription %s not readable yet",
            order.reference,
            subscription_id,
            exc_info=True,
        )
        raise
    return detail


def _subscriptions_listed(sales: list, client) -> dict:
    """Return the customer's subscriptions created by ``sales`` (rows), from one list.

    The list is newest first: paging stops once every subscription wanted was seen, or at
    rows created before the oldest order of the batch.
    """
    customer = sales[0][0].customer
    wanted = {sid for _, upstream in sales for sid in upstream.subscription_ids}
    oldest = min(
        (u.creation_date or o.submitted_at or o.placed_at).date() for o, u in sales
    ) - timedelta(days=1)
    found = {}
    started_at = timezone.now()
    started = time.monotonic()
    rows = client.list_subscriptions(customer_id=customer.upstream_customer_id)
    for row in rows:
        if row.id in wanted:
            found[row.id] = row
            if len(found) == len(wanted):
                break
        if row.creation_date and row.creation_date < oldest:
            break
    _list_recorded(sales, found, started_at, time.monotonic() - started)
    return found


def _list_recorded(sales: list, found: dict, started_at, seconds: float) -> None:
    """Keep the list call in each order's exchanges, with the rows of its own subscriptions."""
    correlation_id = last_correlation_id.get()
    path = f"subscriptions?customerId={sales[0][0].customer.upstream_customer_id}"
    exchanges_keep(
        *(
            UpstreamExchange(
                order=order,
                operation="list_subscriptions",
                method="GET",
                path=path,
                status_code=200,
                # The rows of this order's own subscriptions, as parsed from the list's pages.
                response_body=redacted(
                    [asdict(found[sid]) for sid in upstream.subscription_ids if sid in found]
                ),
                correlation_id=correlation_id or "",
                started_at=started_at,
                duration_ms=int(seconds * 1000),
            )
            for order, upstream in sales
        )
    )


def _own_parameters(order: Order) -> dict:
    """The order's own parameters (not a line's), read once per order (or prefetched)."""
    return {p.name: p.value for p in order.parameters.all() if p.line_id is None}


def _needs_detail(order: Order) -> bool:
    """Whether only a subscription detail can tell the order's tenant id (a new tenant's)."""
    own = _own_parameters(order)
    if own.get(names.MICROSOFT_TENANT_ID):
        return False
    if own.get(names.TENANT_PREFERENCE) == "new":
        return True
    return _known_tenant_id(order.customer, own.get(names.MICROSOFT_DOMAIN, "")) == ""


def _known_tenant_id(customer: Customer, tenant_domain: str) -> str:
    """The tenant id recorded on the customer for this domain, if any."""
    if customer.tenant_id and customer.tenant_domain and customer.tenant_domain == tenant_domain:
        return customer.tenant_id
    return ""


def _record(
    order: Order, upstream, details: dict, *, actor, actor_user=None, details_pending=False
) -> None:
    purchased_at = upstream.creation_date or order.submitted_at or timezone.now()
    # Held here: a refused transition reloads the order, and with it a new customer instance.
    customer = order.customer
    now = timezone.now()
    cause = cause_words.COMPLETED % {"code": upstream.status_code or "CP"}
    if details_pending:
        cause += " " + cause_words.DETAILS_PENDING
    with transaction.atomic():
        if order.kind == Order.Kind.SALES:
            if not details_pending:
                _record_sales(order, upstream, details, purchased_at)
        elif order.plan_switch:
            record_switch(order, upstream)
        elif order.at_renewal:
            pass  # the renewal applies it; the renewals sync records it then
        elif order.kind == Order.Kind.CHANGE:
            _record_change(order, purchased_at)
        else:
            _record_cancellation(order)
        try:
            order_transition(
                order,
                "complete",
                actor=actor,
                actor_user=actor_user,
                cause=cause,
                changes={
                    "upstream_status": upstream.status,
                    "upstream_status_code": upstream.status_code,
                    "completed_at": now,
                    "details_pending": details_pending,
                    "next_poll_at": now + DETAILS_DUE_AFTER if details_pending else None,
                },
            )
        except TransitionRefused:
            transaction.set_rollback(True)
            refused = True
        else:
            refused = False
            if order.kind == Order.Kind.CANCELLATION:
                _confirm_parent_cancellation(order)
    if refused:
        # Nothing was kept: the customer (shared by a batch) forgets what it was told.
        customer.refresh_from_db(fields=_REMEMBERED)


def _details_record(order: Order, upstream, details: dict, *, actor) -> None:
    purchased_at = upstream.creation_date or order.submitted_at or timezone.now()
    customer = order.customer
    try:
        with transaction.atomic():
            # The conditional UPDATE is the claim: of two workers reading the same detail,
            # one records it.
            if not Order.objects.filter(pk=order.pk, details_pending=True).update(
                details_pending=False, next_poll_at=None
            ):
                return
            order.details_pending = False
            if order.kind == Order.Kind.SALES:
                _record_sales(order, upstream, details, purchased_at)
            elif (order.plan_switch or {}).get("partial"):
                partial_subscription_record(order, upstream)
            order_record(
                order,
                "details_recorded",
                actor=actor,
                cause=_details_cause(order),
                publish=True,  # order.details_recorded: the subscriptions are in the API now
            )
    except Exception:
        customer.refresh_from_db(fields=_REMEMBERED)
        raise


def _details_cause(order: Order) -> str:
    if order.kind != Order.Kind.SALES:
        return cause_words.DETAILS_READ
    linked = sum(1 for line in order.lines.all() if line.subscription_id)
    if linked == 1:
        return cause_words.DETAILS_READ_ONE
    return cause_words.DETAILS_READ_MANY % {"count": linked}


def _record_sales(order: Order, upstream, details: dict, purchased_at) -> None:
    own = _own_parameters(order)
    # A details batch (``finishing.order_details_read``) prefetched them with their products.
    if "lines" in getattr(order, "_prefetched_objects_cache", {}):
        lines = list(order.lines.all())
    else:
        lines = list(order.lines.select_related("product"))
    tenant_domain = own.get(names.MICROSOFT_DOMAIN, "")
    tenant_id = own.get(names.MICROSOFT_TENANT_ID, "") or _known_tenant_id(
        order.customer, tenant_domain
    )
    unmatched = list(lines)
    matched = {}
    linked = []
    for upstream_line in upstream.lines:
        if not upstream_line.subscription_id:
            continue
        line = next((x for x in unmatched if x.mpn == upstream_line.mpn), None)
        if line is None:
            continue
        unmatched.remove(line)
        detail = details.get(upstream_line.subscription_id)
        seats = (detail.quantity if detail and detail.quantity else None) or line.quantity
        if detail is not None:
            tenant_domain = detail.fulfillment_parameter(names.MICROSOFT_DOMAIN) or tenant_domain
            tenant_id = detail.fulfillment_parameter(names.MICROSOFT_TENANT_ID) or tenant_id
            record_tenant_admin(order.customer, detail, order_reference=order.reference)
        # Keyed by subscription: a subscription named twice is written once, with its last
        # line's values (update_or_create overwrote it with them).
        matched[upstream_line.subscription_id] = (line, detail, seats, tenant_domain, tenant_id)
        linked.append((line, upstream_line.subscription_id))
    # Every value is known before anything is written: one INSERT … ON CONFLICT for the
    # subscriptions (a repeated recording updates them, as update_or_create did), one for
    # their seat batches, one UPDATE for the lines.
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                customer=order.customer,
                upstream_id=upstream_id,
                order=order,
                product=line.product,
                status=detail.status if detail else "active",
                seats=seats,
                tenant_domain=domain or "",
                tenant_id=tenant or "",
                created_at=purchased_at,
                cancellation_window_ends_at=purchased_at + CANCELLATION_WINDOW,
                **prices_from_line(line, detail),
            )
            for upstream_id, (line, detail, seats, domain, tenant) in matched.items()
        ],
        update_conflicts=True,
        unique_fields=["customer", "upstream_id"],
        update_fields=[
            "order",
            "product",
            "status",
            "seats",
            "tenant_domain",
            "tenant_id",
            "created_at",
            "cancellation_window_ends_at",
            *PRICE_FIELDS,
        ],
    )
    if subscriptions:
        _seat_batches_create(order, subscriptions, purchased_at)
        by_upstream_id = {s.upstream_id: s for s in subscriptions}
        for line, upstream_id in linked:
            line.subscription = by_upstream_id[upstream_id]
        OrderLine.objects.bulk_update([line for line, _ in linked], ["subscription"])
    _remember_on_customer(order.customer, own, tenant_domain, tenant_id)


def _seat_batches_create(order: Order, subscriptions: list, purchased_at) -> None:
    """One seat batch per subscription the order created, unless the order has it already."""
    existing = set(
        SeatBatch.objects.filter(order=order, subscription__in=subscriptions).values_list(
            "subscription_id", flat=True
        )
    )
    SeatBatch.objects.bulk_create(
        SeatBatch(
            subscription=subscription,
            order=order,
            seats=subscription.seats,
            added_at=purchased_at,
            window_ends_at=purchased_at + CANCELLATION_WINDOW,
        )
        for subscription in subscriptions
        if subscription.pk not in existing
    )


_REMEMBERED = (
    "tenant_domain",
    "tenant_id",
    "relationship",
    "mca_accepted_on",
    "mca_accepted_first_name",
    "mca_accepted_last_name",
    "mca_accepted_email",
    "qualification",
    "education_segment",
)


def _remember_on_customer(customer: Customer, own: dict, tenant_domain, tenant_id) -> None:
    """Record on the customer what the completed order established: tenant, MCA, qualification.

    The MCA date is history (who attested, when), shown on the customer's page;
    whether the next order needs the agreement is asked of the marketplace.
    """
    # Orders completed in one batch mostly find everything recorded already: the row is
    # locked, read again and written only when ``customer`` as read lacks something.
    known = SimpleNamespace(**{f: getattr(customer, f) for f in _REMEMBERED})
    if not _learnt(known, own, tenant_domain, tenant_id):
        return
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = _learnt(locked, own, tenant_domain, tenant_id)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    for f in _REMEMBERED:
        setattr(customer, f, getattr(locked, f))


def _learnt(customer, own: dict, tenant_domain, tenant_id) -> list:
    """Set on ``customer`` what the order establishes; return the fields that changed."""
    before = {f: getattr(customer, f) for f in _REMEMBERED}
    if tenant_domain and not customer.tenant_domain:
        customer.tenant_domain = tenant_domain
    if tenant_id and not customer.tenant_id:
        customer.tenant_id = tenant_id
    # Provisioned into the tenant: the distributor's relationship with it is proven. This is
    # where it is recorded, not by the checks made while an order is prepared.
    customer.relationship = Customer.Relationship.ACCEPTED
    if own.get(names.MCA_ACCEPTANCE) == "yes" and not customer.mca_accepted_on:
        customer.mca_accepted_on = datetime.strptime(
            own[names.AGREEMENT_DATE], names.AGREEMENT_DATE_FORMAT
        ).date()
        customer.mca_accepted_first_name = own.get(names.AGREEMENT_FIRST_NAME, "")
        customer.mca_accepted_last_name = own.get(names.AGREEMENT_LAST_NAME, "")
        customer.mca_accepted_email = own.get(names.AGREEMENT_EMAIL, "")
    # The marketplace's vocabulary (seed 004): "soe" qualifies a state-owned entity; an
    # education order carries "None" and its segment in education_segment.
    qualification = None
    if own.get(names.SPECIAL_QUALIFICATIONS) == names.QUALIFICATION_SOE:
        qualification = Customer.Qualification.STATE_OWNED_ENTITY
    elif own.get(names.EDUCATION_SEGMENT):
        qualification = Customer.Qualification.EDUCATION
    if qualification and customer.qualification == Customer.Qualification.NONE:
        customer.qualification = qualification
        customer.education_segment = own.get(names.EDUCATION_SEGMENT, "")
    return [f for f in _REMEMBERED if getattr(customer, f) != before[f]]


def _record_change(order: Order, changed_at) -> None:
    subscription = Subscription.objects.select_for_update().get(pk=order.subscription_id)
    new_total = order.lines.get().quantity
    delta = new_total - subscription.seats
    if delta > 0:
        SeatBatch.objects.create(
            subscription=subscription,
            order=order,
            seats=delta,
            added_at=changed_at,
            window_ends_at=changed_at + CANCELLATION_WINDOW,
        )
    elif delta < 0:
        to_remove = -delta
        for batch in subscription.batches.filter(window_ends_at__gt=changed_at).order_by(
            "-added_at", "-pk"
        ):
            taken = min(batch.seats_left, to_remove)
            batch.seats_removed += taken
            batch.save(update_fields=["seats_removed"])
            to_remove -= taken
            if not to_remove:
                break
    subscription.seats = new_total
    subscription.save(update_fields=["seats"])


def _record_cancellation(order: Order) -> None:
    Subscription.objects.filter(pk=order.subscription_id).update(status="terminated")


def _confirm_parent_cancellation(order: Order) -> None:
    parent = order.parent
    if parent is None or parent.status != Order.Status.CANCEL_REQUESTED:
        return
    pending = parent.follow_ups.filter(kind=Order.Kind.CANCELLATION).exclude(
        status=Order.Status.COMPLETED
    )
    if pending.exists():
        return
    try:
        order_transition(
            parent,
            "confirm_cancellation",
            actor=Actor.UPSTREAM,
            cause=cause_words.ALL_CANCELLED_UPSTREAM,
        )
    except TransitionRefused:
        pass

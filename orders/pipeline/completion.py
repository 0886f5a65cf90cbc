"""What a completed order leaves behind: subscriptions, seat batches, the customer's tenant."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from customers.credentials import record_tenant_admin
from customers.models import Customer
from marketplace.exceptions import MarketplaceError

from .. import parameters as names
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order, SeatBatch, Subscription
from ..notifications import notify_completion
from .exchanges import recorded

logger = logging.getLogger(__name__)

#: New-commerce licences can be cancelled with a prorated refund for 168 hours (README §2.9).
CANCELLATION_WINDOW = timedelta(hours=168)


def record_completion(order: Order, upstream, client, *, actor=Actor.UPSTREAM, actor_user=None):
    """Record what the completed upstream order created, then mark the order completed."""
    purchased_at = upstream.creation_date or order.submitted_at or timezone.now()
    details = {}
    if order.kind == Order.Kind.SALES:
        for subscription_id in upstream.subscription_ids:
            try:
                with recorded(
                    order, "get_subscription", "GET", f"subscriptions/{subscription_id}"
                ) as exchange:
                    detail = client.get_subscription(subscription_id=subscription_id)
                    exchange.answered(_summary(detail))
            except MarketplaceError:
                # Try the whole completion again at the next poll.
                logger.warning(
                    "Order %s: subscription %s not readable yet",
                    order.reference,
                    subscription_id,
                    exc_info=True,
                )
                raise
            details[subscription_id] = detail
    with transaction.atomic():
        if order.kind == Order.Kind.SALES:
            _record_sales(order, upstream, details, purchased_at)
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
                cause=(f"The marketplace completed the order ({upstream.status_code or 'CP'})."),
                changes={
                    "upstream_status": upstream.status,
                    "upstream_status_code": upstream.status_code,
                    "completed_at": timezone.now(),
                    "next_poll_at": None,
                },
            )
        except TransitionRefused:
            transaction.set_rollback(True)
            return
        if order.kind == Order.Kind.CANCELLATION:
            _confirm_parent_cancellation(order)
    transaction.on_commit(lambda: notify_completion(order.pk))


def _summary(detail) -> dict:
    """What support needs of a subscription, without the new admin's temporary password."""
    return {
        "id": detail.id,
        "status": detail.status,
        "seats": detail.quantity,
        "microsoft_domain": detail.fulfillment_parameter(names.MICROSOFT_DOMAIN),
        "microsoft_tenant_id": detail.fulfillment_parameter(names.MICROSOFT_TENANT_ID),
    }


def _record_sales(order: Order, upstream, details: dict, purchased_at) -> None:
    own = {p.name: p.value for p in order.parameters.filter(line=None)}
    lines = list(order.lines.select_related("product"))
    tenant_domain = own.get(names.MICROSOFT_DOMAIN, "")
    tenant_id = own.get(names.MICROSOFT_TENANT_ID, "")
    unmatched = list(lines)
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
        subscription, _ = Subscription.objects.update_or_create(
            customer=order.customer,
            upstream_id=upstream_line.subscription_id,
            defaults={
                "order": order,
                "product": line.product,
                "status": detail.status if detail else "active",
                "seats": seats,
                "tenant_domain": tenant_domain or "",
                "tenant_id": tenant_id or "",
                "created_at": purchased_at,
                "cancellation_window_ends_at": purchased_at + CANCELLATION_WINDOW,
            },
        )
        SeatBatch.objects.get_or_create(
            subscription=subscription,
            order=order,
            defaults={
                "seats": seats,
                "added_at": purchased_at,
                "window_ends_at": purchased_at + CANCELLATION_WINDOW,
            },
        )
        line.subscription = subscription
        line.save(update_fields=["subscription"])
    _remember_on_customer(order.customer, own, tenant_domain, tenant_id)


def _remember_on_customer(customer: Customer, own: dict, tenant_domain, tenant_id) -> None:
    """Record on the customer what the completed order established: tenant, MCA, qualification.

    The MCA date is history (who attested, when), shown on the customer's page;
    whether the next order needs the agreement is asked of the marketplace.
    """
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
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
    customer.save()


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
            cause=("Every subscription of the order was cancelled upstream."),
        )
    except TransitionRefused:
        pass

"""What a completed upgrade or term/billing change leaves behind on its subscriptions."""

from catalog.models import Product

from ..models import Order, Subscription
from ..subscription_events import Actor, Kind, subscription_record
from ..subscription_prices import PRICE_FIELDS, prices_from_line, prices_set, terms_recorded


def record_switch(order: Order, upstream) -> None:
    """Move the seats to the target product and its prices, or for a partial upgrade split
    them off.

    The new plan's selling price and cost are the switch's own line's (what the bill check
    and the statements charge from then on). A switch effective at the renewal changes
    nothing now (the renewal sync reads it then). A partial upgrade's new subscription is
    recorded once its id is known: from the order's detail, or when that detail is read
    after a list showed the order completed.
    """
    switch = order.plan_switch
    if switch.get("when_effective") == "next_subscription_period":
        return
    subscription = Subscription.objects.select_for_update().get(pk=order.subscription_id)
    line = order.lines.select_related("product").get()
    before = terms_recorded(subscription)
    if switch.get("partial"):
        subscription.seats -= line.quantity
        subscription.save(update_fields=["seats"])
        partial_subscription_record(order, upstream, parent=subscription, product=line.product)
        cause = (
            f"{line.quantity} seat(s) upgraded to {line.product.name} by order {order.reference}."
        )
    else:
        subscription.product = line.product
        # The marketplace's figures were stated for the old plan: unknown until read again.
        prices_set(subscription, prices_from_line(line))
        subscription.save(update_fields=["product", *PRICE_FIELDS])
        cause = f"Switched to {line.product.name} by order {order.reference}."
    after = terms_recorded(subscription)
    subscription_record(
        subscription,
        Kind.CHANGED,
        actor=Actor.UPSTREAM,
        cause=cause,
        details={"order": order.reference, "before": before, "after": after, **switch},
    )


def partial_subscription_record(order: Order, upstream, *, parent=None, product=None) -> None:
    """Record the subscription a partial upgrade created, if the answer names it."""
    new_id = next(
        (
            line.target_subscription_id
            for line in getattr(upstream, "lines", ())
            if line.target_subscription_id
        ),
        "",
    )
    if not new_id or Subscription.objects.filter(order=order).exists():
        return
    parent = parent or order.subscription
    line = order.lines.get()
    Subscription.objects.create(
        customer=order.customer,
        order=order,
        product=product or Product.objects.get(pk=line.product_id),
        upstream_id=new_id,
        status="active",
        seats=line.quantity,
        tenant_domain=parent.tenant_domain,
        tenant_id=parent.tenant_id,
        created_at=parent.created_at,
        # A partial upgrade inherits the parent's window and term (README §2.9).
        cancellation_window_ends_at=parent.cancellation_window_ends_at,
        auto_renew=parent.auto_renew,
        renewal_date=parent.renewal_date,
        term_started_at=parent.term_started_at,
        # The new plan's prices, from the switch's line.
        **prices_from_line(line),
    )

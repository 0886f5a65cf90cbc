"""Our order as the marketplace's ``OrderInput``: lines, periods and activation parameters."""

from marketplace.types import Money, OrderInput, OrderLineInput, ParameterValue

from .coterming import END_OF_MONTH, ON_SUBSCRIPTION
from .models import Order, Subscription
from .parameters import (
    OFFER_ATTESTATION,
    SPECIAL_QUALIFICATIONS,
    line_parameters,
    offer_attestation_parameter,
    order_parameters,
    upstream_qualification,
)
from .requests import OrderRequest

#: The reference an order that does not exist yet is estimated under (never placed).
DRAFT_REFERENCE = "NCE-DRAFT"


class NotMappable(Exception):
    """The order cannot be expressed upstream yet; ``message`` says why, for the reseller."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def order_to_input(order: Order) -> OrderInput:
    """Return what ``MarketplaceClient.create_order`` sends for ``order``."""
    customer_id = order.customer.upstream_customer_id
    if not customer_id:
        raise NotMappable(
            f"{order.customer.company_name} is not registered with the marketplace yet."
        )
    if order.plan_switch:
        line = order.lines.get()
        return switch_to_input(
            customer_id=customer_id,
            subscription=order.subscription,
            switch=order.plan_switch,
            target=line.product,
            seats=line.quantity,
            reference=order.reference,
            po_number=order.po_number,
            special_price=selling_price_sent(line.unit_price, line.product),
        )
    order_level = [_parameter(p) for p in order.parameters.all() if p.line_id is None]
    lines = []
    for line in order.lines.select_related("product"):
        own = [_parameter(p) for p in line.parameters.all()]
        if order.kind == Order.Kind.SALES and not any(p.name == OFFER_ATTESTATION for p in own):
            # Placed before every line carried it (seed 004); a resubmission sends it.
            own.append(_value(offer_attestation_parameter(False)))
        subscription_id = line.subscription.upstream_id if line.subscription_id else ""
        lines.append(
            OrderLineInput(
                mpn=line.mpn,
                vendor=line.vendor,
                quantity=line.quantity,
                subscription_period=line.term,
                billing_period=line.billing_period,
                # Change orders carry no activation parameters (README §2.1).
                parameters=tuple(own if order.kind != Order.Kind.SALES else order_level + own),
                subscription_id=subscription_id,
                special_price=_special_price(order, line),
            )
        )
    return OrderInput(
        customer_id=customer_id,
        reference=order.reference,
        lines=tuple(lines),
        type=order.kind,
        po_number=order.po_number,
        subscription_id=order.subscription.upstream_id if order.subscription_id else "",
        scheduled_on="renewal" if order.at_renewal else "",
        align_expiration=_alignment(order.coterm_with, order.coterm_end_of_month),
    )


def _alignment(target, end_of_month: bool) -> tuple[str, str] | None:
    if target is not None:
        return (ON_SUBSCRIPTION, target.upstream_id)
    return (END_OF_MONTH, "") if end_of_month else None


def switch_to_input(
    *,
    customer_id,
    subscription,
    switch: dict,
    target,
    seats: int,
    reference: str,
    po_number="",
    special_price: Money | None = None,
) -> OrderInput:
    """Return the change order that moves ``seats`` of ``subscription`` to ``target``'s plan.

    ``switch`` is what ``Order.plan_switch`` holds. The line names the subscription's own
    product and, as ``newMPN``, the target's; ``planId`` at the top names the target plan.
    A switch effective at the next subscription period is scheduled for the renewal.
    ``special_price`` is the reseller's selling price of one seat on the new plan, as a
    sales line sends it (``selling_price_sent``).
    """
    source = subscription.product
    line = OrderLineInput(
        mpn=source.mpn,
        vendor=source.vendor,
        quantity=seats,
        subscription_period=target.term,
        billing_period=target.billing_period,
        subscription_id=subscription.upstream_id,
        type=switch["type"],
        new_mpn=target.mpn if target.mpn != source.mpn else "",
        special_price=special_price,
    )
    return OrderInput(
        customer_id=customer_id,
        reference=reference,
        lines=(line,),
        type=Order.Kind.CHANGE,
        po_number=po_number,
        subscription_id=subscription.upstream_id,
        plan_id=switch["plan_id"],
        scheduled_on="renewal" if switch["when_effective"] == "next_subscription_period" else "",
        upgrade_start_type=switch.get("upgrade_start_type", ""),
    )


def _special_price(order: Order, line) -> Money | None:
    """The selling price a sales line sends as ``specialPrice`` (docs/upstream.md, issue 24).

    A seat change or cancellation keeps the subscription's own price (a plan switch sends
    its new plan's: ``switch_to_input``).
    """
    if order.kind != Order.Kind.SALES:
        return None
    return selling_price_sent(line.unit_price, line.product)


def selling_price_sent(price, product) -> Money | None:
    """Return ``price`` as a line's ``specialPrice`` where it differs from the list price.

    A line at list price sends what it always sent.
    """
    if price is None or price == product.price:
        return None
    return Money(amount=price, currency=product.currency)


def request_to_input(request: OrderRequest, customer, products: dict) -> OrderInput:
    """Return the ``OrderInput`` that placing ``request`` would send, without saving anything.

    The same builders make the parameters as ``order_place`` stores them, so what
    the readiness check asks the marketplace about is what Buy sends.
    ``products`` maps each line's product id to its Product.
    """
    customer_id = customer.upstream_customer_id
    if not customer_id:
        raise NotMappable(f"{customer.company_name} is not registered with the marketplace yet.")
    order_level = [_value(p) for p in order_parameters(request)]
    lines = []
    for line in request.lines:
        product = products[line.product_id]
        lines.append(
            OrderLineInput(
                mpn=product.mpn,
                vendor=product.vendor,
                quantity=line.quantity,
                subscription_period=product.term,
                billing_period=product.billing_period,
                parameters=tuple(order_level + [_value(p) for p in line_parameters(line, product)]),
            )
        )
    return OrderInput(
        customer_id=customer_id,
        reference=DRAFT_REFERENCE,
        lines=tuple(lines),
        type=Order.Kind.SALES,
        po_number=request.po_number.strip(),
        align_expiration=_alignment(coterm_target(request, customer), request.coterm_end_of_month),
    )


def _value(parameter: dict) -> ParameterValue:
    structured = parameter.get("structured_value")
    if structured is not None:
        return ParameterValue(name=parameter["name"], structured_value=structured)
    return ParameterValue(name=parameter["name"], value=parameter.get("value", ""))


def _parameter(row) -> ParameterValue:
    if row.structured_value is not None:
        return ParameterValue(name=row.name, structured_value=row.structured_value)
    if row.name == SPECIAL_QUALIFICATIONS:
        # Orders stored before the fix hold Partner Center's names; the stored row stays
        # as history, and what is sent (a resubmission) is the seed's "None" or "soe".
        return ParameterValue(name=row.name, value=upstream_qualification(row.value))
    return ParameterValue(name=row.name, value=row.value)


def coterm_target(request: OrderRequest, customer) -> Subscription | None:
    """The active subscription of ``customer`` that ``request`` co-terms with, if any."""
    if request.coterm_subscription_id is None or customer is None:
        return None
    return (
        Subscription.objects.filter(
            pk=request.coterm_subscription_id, customer=customer, status="active"
        )
        .select_related("product")
        .first()
    )

"""Our order as the marketplace's ``OrderInput``: lines, periods and activation parameters."""

from marketplace.types import OrderInput, OrderLineInput, ParameterValue

from .models import Order


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
    order_level = [_parameter(p) for p in order.parameters.all() if p.line_id is None]
    lines = []
    for line in order.lines.all():
        own = [_parameter(p) for p in line.parameters.all()]
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
            )
        )
    return OrderInput(
        customer_id=customer_id,
        reference=order.reference,
        lines=tuple(lines),
        type=order.kind,
        po_number=order.po_number,
        subscription_id=order.subscription.upstream_id if order.subscription_id else "",
    )


def _parameter(row) -> ParameterValue:
    if row.structured_value is not None:
        return ParameterValue(name=row.name, structured_value=row.structured_value)
    return ParameterValue(name=row.name, value=row.value)

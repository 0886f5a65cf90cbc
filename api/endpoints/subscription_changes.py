"""POST /subscriptions/{id}/changes: seats now, an upgrade, a term or billing change, or the
seats of the next term, each placed as a change order (or only checked, ``validate_only``).

The same services as the subscription's pages: the same checks, the marketplace's estimate
for a switch, the same pipeline. A retry cannot place a second change: one open change per
subscription is a database constraint, so a repeat gets 409 naming the change in progress.
"""

from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field

from customers.upstream import client_for
from orders.models import Order, Subscription
from orders.services.changes import ChangeRefused, seat_change, seat_change_quote
from orders.services.renewal_changes import renewal_change_check, renewal_change_schedule
from orders.services.switching import plan_switch, plan_switch_quote

from .. import outputs
from ..auth import acting_user
from ..problems import ApiError
from ..selectors import scoped
from .common import problems

router = Router(tags=["subscriptions"])

SubscriptionId = Annotated[int, Path(ge=1, description="Our subscription id.")]


class ChangeIn(Schema):
    type: Literal["seats", "upgrade", "period_change", "renewal_seats"] = Field(
        description="seats: a new total now (a reduction only for seats added in the last 7 "
        "days); upgrade: move `seats` to the plan `plan_id` (fewer than all: a partial "
        "upgrade); period_change: move every seat to the same offer at another term or "
        "billing period (`plan_id`); renewal_seats: the total for the next term, applied at "
        "the renewal."
    )
    seats: int = Field(ge=1, le=1_000_000, description="The new total, or the seats that move.")
    plan_id: str | None = Field(
        None,
        max_length=32,
        description="The target plan (an upgrade or a period change): one of the switches the "
        "marketplace offers for the subscription's plan.",
    )
    validate_only: bool = Field(False, description="Check and price it; place nothing.")


class ChangeCheckOut(outputs.Out):
    ready: bool = Field(description="Always true: a change that cannot be made gets a 409.")
    amount: outputs.Money = Field(
        description="What it charges now, or per billing period from the renewal for "
        "renewal_seats (negative: a refund or a lower bill)."
    )
    currency: str


@router.post(
    "/subscriptions/{subscription_id}/changes",
    response={
        200: ChangeCheckOut,
        202: outputs.OrderOut,
        **problems(400, 403, 404, 409, 413, 415, 422),
    },
)
def subscription_change(request, subscription_id: SubscriptionId, payload: ChangeIn):
    """Change a subscription: 202 with the change order placed, or 200 when validate_only."""
    subscription = (
        scoped(Subscription.objects.all(), request.auth)
        .select_related("product", "order", "customer__reseller")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise ApiError(404, _("No subscription with this id is yours."))
    user = acting_user(request.auth)
    try:
        if payload.type in ("upgrade", "period_change"):
            if not payload.plan_id:
                raise ApiError(422, _("plan_id is required for an upgrade or a period change."))
            with client_for(subscription.customer.reseller) as client:
                quote = plan_switch_quote(
                    subscription=subscription,
                    plan_id=payload.plan_id,
                    seats=payload.seats,
                    client=client,
                )
                if (payload.type == "upgrade") != quote.option.is_upgrade:
                    refusal = (
                        _("Plan %(plan)s is not an upgrade of this subscription's plan.")
                        if payload.type == "upgrade"
                        else _("Plan %(plan)s is not a period change of this subscription's plan.")
                    )
                    raise ChangeRefused(refusal % {"plan": payload.plan_id})
                if payload.validate_only:
                    return _checked(quote.amount, quote.currency)
                change = plan_switch(
                    subscription=subscription,
                    plan_id=payload.plan_id,
                    seats=payload.seats,
                    user=user,
                    client=client,
                    channel=Order.Channel.API,
                )
        elif payload.type == "seats":
            quote = seat_change_quote(subscription=subscription, new_total=payload.seats)
            if payload.validate_only:
                amount = quote.amount if not quote.is_reduction else -quote.amount
                return _checked(amount, quote.currency)
            change = seat_change(subscription=subscription, new_total=payload.seats, user=user)
        else:
            if payload.validate_only:
                renewal_change_check(subscription=subscription, new_total=payload.seats)
                product = subscription.product
                bill = product.price * (payload.seats - subscription.seats)
                return _checked(bill, product.currency)
            change = renewal_change_schedule(
                subscription=subscription, new_total=payload.seats, user=user
            )
    except ChangeRefused as refused:
        raise ApiError(409, refused.message) from None
    return Status(202, outputs.order_data(change))


def _checked(amount: Decimal, currency: str) -> dict:
    return {"ready": True, "amount": str(amount), "currency": currency}

"""What happens at a subscription's renewal: auto-renew on or off (the marketplace's
``PATCH /subscriptions/{id}`` ``renewalStatus``) and cancelling a change scheduled for it.

The same services as the subscription and renewals pages.
"""

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Path, Router, Schema
from pydantic import Field

from customers.upstream import client_for
from orders.models import Order, Subscription
from orders.services.changes import ChangeRefused
from orders.services.renewal_changes import scheduled_change_cancel
from renewals.services import RenewalChangeRefused, subscription_set_auto_renew

from .. import outputs
from ..auth import acting_user
from ..problems import ApiError
from ..selectors import scoped
from .common import problems

router = Router(tags=["subscriptions"])

SubscriptionId = Annotated[int, Path(ge=1, description="Our subscription id.")]
Reference = Annotated[str, Path(max_length=32, description="The change order's reference.")]


class AutoRenewIn(Schema):
    enabled: bool = Field(description="true: it renews by itself at its renewal date.")


def _subscription(request, subscription_id) -> Subscription:
    subscription = (
        scoped(Subscription.objects.all(), request.auth)
        .select_related("product", "order", "customer__reseller")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise ApiError(404, _("No subscription with this id is yours."))
    return subscription


@router.put(
    "/subscriptions/{subscription_id}/auto-renew",
    response={200: outputs.SubscriptionListOut, **problems(400, 403, 404, 409, 415, 422)},
)
def subscription_auto_renew(request, subscription_id: SubscriptionId, payload: AutoRenewIn):
    """Turn auto-renew on or off, at the marketplace first; 409 says why it was not."""
    subscription = _subscription(request, subscription_id)
    try:
        subscription_set_auto_renew(
            subscription=subscription, enabled=payload.enabled, user=acting_user(request.auth)
        )
    except RenewalChangeRefused as refused:
        raise ApiError(409, str(refused.message)) from None
    subscription.refresh_from_db()
    return outputs.subscription_data(subscription)


@router.post(
    "/subscriptions/{subscription_id}/scheduled-changes/{reference}/cancel",
    response={200: outputs.OrderOut, **problems(400, 403, 404, 409)},
)
def scheduled_change_cancel_api(request, subscription_id: SubscriptionId, reference: Reference):
    """Cancel a change scheduled for the subscription's next renewal, until that renewal."""
    subscription = _subscription(request, subscription_id)
    order = (
        Order.objects.filter(subscription=subscription, reference=reference, at_renewal=True)
        .select_related("subscription")
        .first()
    )
    if order is None:
        raise ApiError(404, _("No change with this reference is scheduled for this subscription."))
    try:
        with client_for(subscription.customer.reseller) as client:
            scheduled_change_cancel(order=order, user=acting_user(request.auth), client=client)
    except ChangeRefused as refused:
        raise ApiError(409, str(refused.message)) from None
    order.refresh_from_db()
    return outputs.order_data(order)

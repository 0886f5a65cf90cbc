"""GET /subscriptions: the reseller's subscriptions, ordered here or adopted from the estate."""

from datetime import date
from typing import Literal

from ninja import Query, Router
from pydantic import Field

from orders.models import Subscription

from .. import outputs, selectors
from ..inputs import Id, Paging
from .common import paged, problems

router = Router(tags=["subscriptions"])


class SubscriptionFilters(Paging):
    customer_id: Id | None = Field(None, description="Only this customer's (our customer id).")
    status: Literal["pending", "active", "hold", "terminated", "removed"] | None = None
    origin: Literal[tuple(Subscription.Origin.values)] | None = Field(
        None, description="ordered: bought through this product; adopted: bought elsewhere."
    )
    renews_from: date | None = Field(None, description="Renewal date on or after (YYYY-MM-DD).")
    renews_until: date | None = Field(None, description="Renewal date on or before (YYYY-MM-DD).")


@router.get("/subscriptions", response={200: outputs.SubscriptionPage, **problems(400)})
def subscription_list(request, filters: Query[SubscriptionFilters]):
    """List your customers' subscriptions, ordered here or adopted from the marketplace."""
    subscriptions = selectors.api_subscriptions(
        request.auth,
        customer_id=filters.customer_id,
        status=filters.status,
        origin=filters.origin,
        renews_from=filters.renews_from,
        renews_until=filters.renews_until,
    )
    return paged(subscriptions, filters, outputs.subscription_data)

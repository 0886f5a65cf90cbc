"""The OpenAPI 3.1 ``webhooks`` section: every event the product sends, and its payload.

The payloads are built by ``webhooks.services.payload_build`` (order events) and
``webhooks.subscription_listeners.subscription_payload`` (subscription events); the models
below describe them for integrators, and ``tests/api/test_webhook_docs.py`` checks real
payloads against them.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from webhooks.models import Event

ORDER_EVENTS = {
    Event.SUBMITTED: "The marketplace accepted the order.",
    Event.COMPLETED: "The order completed (a new purchase or a cancellation).",
    Event.SEATS_CHANGED: "A change order completed (seats, an upgrade, a term or billing change).",
    Event.DETAILS_RECORDED: "The subscriptions or refund of an order completed before its "
    "detail was read are recorded.",
    Event.FAILED: "The order failed.",
    Event.CANCELLED: "The order was cancelled (also a change scheduled for a renewal).",
}
SUBSCRIPTION_EVENTS = {
    Event.SUBSCRIPTION_CHANGED_OUTSIDE: "The subscription was changed, added or cancelled "
    "outside this product (seen by the scheduled sync).",
    Event.SUBSCRIPTION_CHANGED: "An upgrade or a term/billing change placed here completed.",
    Event.SUBSCRIPTION_RENEWED: "The subscription renewed for another term.",
    Event.SUBSCRIPTION_SCHEDULED_CHANGE_APPLIED: "The renewal applied a change scheduled for it "
    "(a new seat count, plan or term).",
}


class CustomerRef(BaseModel):
    id: int
    name: str


class OrderEventData(BaseModel):
    reference: str = Field(description="The order's number in this product.")
    status: str
    kind: Literal["sales", "change", "cancellation"]
    customer: CustomerRef
    placed_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    details_pending: bool = Field(
        description="Completed before its detail was read: the subscriptions follow."
    )
    updated_at: datetime
    url: str = Field(description="The order in the JSON API.")


class OrderEventPayload(BaseModel):
    type: str = Field(description="One of the order.* event types.")
    timestamp: datetime
    data: OrderEventData


class SubscriptionRef(BaseModel):
    id: int
    upstream_id: str = Field(description="The marketplace's subscription id.")
    origin: Literal["ordered", "adopted"]
    status: str
    seats: int
    auto_renew: bool | None
    renewal_date: date | None


class SubscriptionEventData(BaseModel):
    change: Literal["changed", "added", "cancelled", "renewed"]
    subscription: SubscriptionRef
    customer: CustomerRef
    before: dict = Field(description="The fields that moved, before (empty when not known).")
    after: dict = Field(description="The same fields after.")
    cause: str = Field(description="What happened, in words.")
    event_id: int = Field(description="The history event's id: a repeat has the same id.")
    url: str


class SubscriptionEventPayload(BaseModel):
    type: str = Field(description="One of the subscription.* event types.")
    timestamp: datetime
    data: SubscriptionEventData


HEADERS = [
    {
        "name": name,
        "in": "header",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }
    for name, description in (
        ("webhook-id", "The message id; the same on every attempt and replay."),
        ("webhook-timestamp", "Seconds since the epoch when the attempt was signed."),
        ("webhook-signature", "Standard Webhooks signature(s): v1,<base64 HMAC-SHA256>."),
    )
]


def webhooks_section(components: dict) -> dict:
    """Return the ``webhooks`` section; add the payload schemas to ``components``."""
    for model in (OrderEventPayload, SubscriptionEventPayload):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components[model.__name__] = schema
    section = {}
    for events, model in (
        (ORDER_EVENTS, OrderEventPayload),
        (SUBSCRIPTION_EVENTS, SubscriptionEventPayload),
    ):
        for event, description in events.items():
            section[str(event.value)] = {
                "post": {
                    "summary": str(event.label),
                    "description": description,
                    "operationId": "webhook_" + event.value.replace(".", "_"),
                    "parameters": HEADERS,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                            }
                        },
                    },
                    "responses": {"2XX": {"description": "Received; anything else is retried."}},
                }
            }
    return section

"""The OpenAPI document's webhooks section describes every event the product sends, and the
payloads the product builds validate against the schemas it names."""

import pytest
from django.utils import timezone

from api.main import api
from api.webhook_docs import OrderEventPayload, SubscriptionEventPayload
from orders.subscription_events import Actor, Kind, subscription_record
from tests.factories import OrderFactory, SubscriptionFactory
from webhooks.models import Event
from webhooks.services import payload_build
from webhooks.subscription_listeners import EVENT_TYPES, subscription_payload

pytestmark = pytest.mark.django_db


def test_every_event_type_is_a_documented_webhook():
    schema = api.get_openapi_schema()
    assert set(schema["webhooks"]) == {str(e.value) for e in Event}
    for entry in schema["webhooks"].values():
        ref = entry["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[-1] in schema["components"]["schemas"]


def test_an_order_payload_matches_its_schema():
    order = OrderFactory()
    payload = payload_build(order=order, event_type=Event.COMPLETED, occurred_at=timezone.now())
    OrderEventPayload.model_validate(payload)


@pytest.mark.parametrize("kind", [Kind.CHANGED, Kind.RENEWED, Kind.SCHEDULED_CHANGE_APPLIED])
def test_a_subscription_payload_matches_its_schema(kind):
    subscription = SubscriptionFactory()
    event = subscription_record(
        subscription,
        kind,
        actor=Actor.UPSTREAM,
        cause="A test.",
        details={"before": {"seats": 3}, "after": {"seats": 2}},
    )
    event_type, change = EVENT_TYPES[kind]
    payload = subscription_payload(event, event_type=event_type, change=change)
    parsed = SubscriptionEventPayload.model_validate(payload)
    assert parsed.data.after == {"seats": 2}

"""End to end: an order completed by a real Celery worker against the simulator over HTTP
produces a signed ``order.completed`` delivery to a real local receiver."""

from standardwebhooks.webhooks import Webhook

from tests.pipeline.conftest import place_order, wait_for, wait_for_status
from tests.webhooks.test_delivery import Receiver
from webhooks.models import Endpoint, Event


def test_completed_order_is_delivered_signed(upstream, simulator, start_worker, monkeypatch):
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "1")  # the receiver is on loopback
    receiver = Receiver()
    try:
        endpoint = Endpoint.objects.create(
            reseller=upstream[0],
            url=receiver.url,
            events=[Event.COMPLETED],
        )
        worker = start_worker()
        order = place_order(upstream)
        wait_for_status(order, "completed", workers=[worker])
        wait_for(lambda: receiver.received, what="the webhook delivery")
        headers, body = receiver.received[0]
        lowered = {k.lower(): v for k, v in headers.items()}
        payload = Webhook(endpoint.secret).verify(body, lowered)
        assert payload["type"] == "order.completed"
        assert payload["data"]["reference"] == order.reference
        assert payload["data"]["status"] == "completed"
    finally:
        receiver.server.shutdown()

"""Deliveries to a real local HTTP receiver (a server on port 0 in a thread)."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from tests.factories import OrderFactory
from webhooks.addresses import AddressRefused, url_check
from webhooks.models import Endpoint, Event, Message
from webhooks.services import message_deliver, message_replay, payload_build

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self):
        self.statuses = []
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def _message(url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    order = OrderFactory()
    endpoint = Endpoint.objects.create(reseller=order.reseller, url=url, events=[Event.COMPLETED])
    return Message.objects.create(
        endpoint=endpoint,
        message_id="msg_test1",
        event_type=Event.COMPLETED,
        order=order,
        payload=payload_build(order=order, event_type=Event.COMPLETED, occurred_at=timezone.now()),
        next_attempt_at=timezone.now(),
    )


def test_delivery_is_signed_and_verifies_with_the_library(receiver, settings):
    message = _message(receiver.url, settings)
    attempt = message_deliver(message=message)
    assert attempt.succeeded and attempt.response_status == 204
    headers, body = receiver.received[0]
    lowered = {k.lower(): v for k, v in headers.items()}
    payload = Webhook(message.endpoint.secret).verify(body, lowered)
    assert payload["type"] == "order.completed"
    assert payload["data"]["reference"] == message.order.reference
    assert "webhook-signature" not in attempt.request_headers


def test_retried_after_500_with_backoff_then_delivered(receiver, settings):
    receiver.statuses = [500]
    message = _message(receiver.url, settings)
    first = message_deliver(message=message)
    assert not first.succeeded and first.response_status == 500
    message.refresh_from_db()
    assert message.next_attempt_at > timezone.now()
    with time_machine.travel(message.next_attempt_at):
        second = message_deliver(message=message)
    assert second.succeeded and second.number == 2
    assert len(receiver.received) == 2


def test_replay_sends_same_message_id(receiver, settings):
    message = _message(receiver.url, settings)
    message_deliver(message=message)
    replayed = message_replay(message=message)
    assert replayed.replay and replayed.succeeded
    ids = [h.get("webhook-id") for h, _ in receiver.received]
    assert ids == ["msg_test1", "msg_test1"]


def test_private_address_refused_at_registration_and_delivery(receiver, settings):
    message = _message(receiver.url, settings)
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(AddressRefused):
        url_check(receiver.url)
    attempt = message_deliver(message=message)
    assert not attempt.succeeded and "private" in attempt.error
    assert receiver.received == []


def test_endpoint_disabled_after_a_day_of_failures_with_email(receiver, settings, mailoutbox):
    from tests.factories import UserFactory

    receiver.statuses = [500] * 10
    message = _message(receiver.url, settings)
    UserFactory(reseller=message.endpoint.reseller, email="ops@example.com")
    message_deliver(message=message)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        message_deliver(message=message)
    message.endpoint.refresh_from_db()
    assert not message.endpoint.enabled
    assert mailoutbox and "ops@example.com" in mailoutbox[0].to


def test_retried_after_a_timeout(receiver, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.2
    message = _message(receiver.url, settings)
    blocker = threading.Event()
    original = receiver.server.RequestHandlerClass.do_POST

    def slow(handler):
        blocker.wait(2)
        original(handler)

    receiver.server.RequestHandlerClass.do_POST = slow
    first = message_deliver(message=message)
    assert not first.succeeded and "in time" in first.error
    blocker.set()
    receiver.server.RequestHandlerClass.do_POST = original
    message.refresh_from_db()
    with time_machine.travel(message.next_attempt_at):
        second = message_deliver(message=message)
    assert second.succeeded and second.number == 2


def test_the_order_url_is_absolute_on_the_site_when_no_api_base_is_set(receiver, settings):
    settings.WEBHOOKS_API_BASE_URL = ""
    settings.SITE_URL = "https://orders.northwind-it.example"
    message = _message(receiver.url, settings)

    message_deliver(message=message)

    headers, body = receiver.received[0]
    lowered = {k.lower(): v for k, v in headers.items()}
    payload = Webhook(message.endpoint.secret).verify(body, lowered)
    path = reverse("api-v1:order_detail", kwargs={"reference": message.order.reference})
    assert payload["data"]["url"] == f"https://orders.northwind-it.example{path}"


def test_after_rotation_both_secrets_sign_until_the_grace_period_ends(receiver, settings):
    from tests.factories import UserFactory
    from webhooks.services import endpoint_secret_rotate

    settings.WEBHOOKS_SECRET_GRACE_HOURS = 24
    message = _message(receiver.url, settings)
    endpoint = message.endpoint
    old = endpoint.secret
    new = endpoint_secret_rotate(endpoint=endpoint, user=UserFactory(reseller=endpoint.reseller))
    message_replay(message=message)
    headers, body = receiver.received[-1]
    lowered = {k.lower(): v for k, v in headers.items()}
    assert len(lowered["webhook-signature"].split(" ")) == 2
    for secret in (old, new):  # a receiver holding either secret verifies the message
        assert Webhook(secret).verify(body, lowered)["type"] == "order.completed"
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        message_replay(message=message)
    headers, body = receiver.received[-1]
    lowered = {k.lower(): v for k, v in headers.items()}
    assert len(lowered["webhook-signature"].split(" ")) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        assert Webhook(new).verify(body, lowered)
        with pytest.raises(Exception, match="signature"):
            Webhook(old).verify(body, lowered)

"""The reseller's pages: scoped to its own endpoints; private receivers refused at the field."""

import pytest

from tests.factories import ResellerFactory, UserFactory
from webhooks.models import Endpoint, Message

pytestmark = pytest.mark.django_db


def test_another_reseller_cannot_see_or_replay(client):
    endpoint = Endpoint.objects.create(
        reseller=ResellerFactory(), url="https://example.com/hook", events=["order.completed"]
    )
    message = Message.objects.create(
        endpoint=endpoint, message_id="msg_x", event_type="order.completed", payload={}
    )
    client.force_login(UserFactory(reseller=ResellerFactory()))
    assert "example.com/hook" not in client.get("/settings/webhooks/").content.decode()
    assert client.get(f"/settings/webhooks/{endpoint.pk}/").status_code == 404
    assert client.post(f"/settings/webhooks/messages/{message.pk}/replay/").status_code == 404
    assert not message.attempts.exists()


def test_registration_refuses_a_private_address(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/settings/webhooks/",
        {"url": "http://10.0.0.5/hook", "events": ["order.completed"], "enabled": "on"},
    )
    assert response.status_code == 200
    assert "private or reserved address" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_registration_and_secret_shown_on_demand(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/settings/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["order.completed"], "enabled": "on"},
    )
    endpoint = Endpoint.objects.get(reseller=user.reseller)
    assert response.status_code == 302
    assert endpoint.secret.startswith("whsec_")
    page = client.get(f"/settings/webhooks/{endpoint.pk}/?secret=1").content.decode()
    assert endpoint.secret in page

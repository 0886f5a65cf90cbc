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


def test_the_secret_is_shown_once_after_creation_and_never_again(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/settings/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["order.completed"], "enabled": "on"},
        follow=True,
    )
    endpoint = Endpoint.objects.get(reseller=user.reseller)
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert endpoint.secret_issued_by == user
    for path in (
        f"/settings/webhooks/{endpoint.pk}/",
        f"/settings/webhooks/{endpoint.pk}/?secret=1",
    ):
        again = client.get(path)
        assert endpoint.secret not in again.content.decode()
        assert "no-store" in again["Cache-Control"]


def test_rotating_shows_the_new_secret_once_and_records_who(client, settings):
    endpoint = Endpoint.objects.create(
        reseller=ResellerFactory(), url="https://example.com/hook", events=["order.completed"]
    )
    old = endpoint.secret
    user = UserFactory(reseller=endpoint.reseller)
    client.force_login(user)
    assert client.get(f"/settings/webhooks/{endpoint.pk}/rotate/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == old  # a GET changes nothing
    page = client.post(f"/settings/webhooks/{endpoint.pk}/rotate/", follow=True)
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret_issued_by == user
    assert endpoint.secret in page.content.decode() and old not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert endpoint.secret not in client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()


def test_another_reseller_cannot_rotate(client):
    endpoint = Endpoint.objects.create(
        reseller=ResellerFactory(), url="https://example.com/hook", events=["order.completed"]
    )
    old = endpoint.secret
    client.force_login(UserFactory(reseller=ResellerFactory()))
    assert client.post(f"/settings/webhooks/{endpoint.pk}/rotate/").status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.secret == old

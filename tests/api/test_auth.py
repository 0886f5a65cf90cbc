"""Only a valid, unrevoked token gets in; it acts as its reseller; the secret is never stored."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from api.models import ApiToken
from api.tokens import api_token_authenticate, api_token_revoke

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers"


def test_a_valid_token_reads_and_its_use_is_recorded(api, issued):
    response = api.get(CUSTOMERS)

    assert response.status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer nce_000000000000.not-the-secret",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
    ],
)
def test_a_missing_or_invalid_token_is_401(client, issued, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get(CUSTOMERS, **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Unauthorized"


def test_a_tampered_secret_with_the_right_prefix_is_401(client, issued):
    prefix, _, secret = issued.secret.partition(".")

    response = client.get(CUSTOMERS, HTTP_AUTHORIZATION=f"Bearer {prefix}.{secret[:-1]}x")

    assert response.status_code == 401


def test_a_revoked_token_is_401(api, issued):
    api_token_revoke(token=issued.token)

    assert api.get(CUSTOMERS).status_code == 401


def test_a_signed_in_session_without_a_token_is_401_and_cannot_post(client, reseller_user):
    client.force_login(reseller_user)

    assert client.get(CUSTOMERS).status_code == 401
    assert client.post("/api/v1/orders", {}, content_type="application/json").status_code == 401


def test_only_the_prefix_and_a_hash_are_stored(issued):
    row = ApiToken.objects.get()
    stored = [str(value) for value in row.__dict__.values()]

    assert issued.secret.startswith(row.prefix + ".")
    assert not any(issued.secret in value for value in stored)
    assert api_token_authenticate(issued.secret) == row


def test_the_command_prints_a_working_token_once(reseller):
    out, err = StringIO(), StringIO()

    call_command(
        "create_api_token", reseller=reseller.pk, name="Billing sync", stdout=out, stderr=err
    )

    secret = out.getvalue().strip()
    token = api_token_authenticate(secret)
    assert token is not None and token.reseller == reseller and token.name == "Billing sync"
    assert "not be shown again" in err.getvalue()


def test_the_admin_shows_the_secret_on_creation_only(client, admin_user, reseller):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:api_apitoken_add"), {"reseller": reseller.pk, "name": "Portal"}
    )

    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert api_token_authenticate(secret) == token and token.created_by == admin_user
    change_page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret not in change_page.content.decode()

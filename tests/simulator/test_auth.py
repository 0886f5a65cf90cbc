"""Token, subscription key and Bearer checks (README §1.2, §3 failure mode 1)."""

import base64

import httpx
import pytest

from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport

from .conftest import BASE, KEY, Api


def raw_client(app, **headers):
    return httpx.Client(transport=SimulatorTransport(app), base_url=BASE, headers=headers)


def test_token_is_issued_for_basic_credentials_key_and_marketplace(app):
    response = raw_client(app, **{"X-Subscription-Key": KEY}).post(
        "/token", json={"marketplace": "us"}, auth=("demo-reseller", "demo-password")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expiresInSeconds"] == 1500
    assert body["token"].count(".") == 2
    assert response.headers["X-Correlation-ID"].startswith("a8n-")


def test_token_lifetime_is_configurable():
    app = create_app(config_for_profile("test", token_ttl_seconds=60))
    response = raw_client(app, **{"X-Subscription-Key": KEY}).post(
        "/token", json={"marketplace": "us"}, auth=("demo-reseller", "demo-password")
    )
    assert response.json()["expiresInSeconds"] == 60


@pytest.mark.parametrize(
    "user, password", [("demo-reseller", "wrong"), ("nobody", "demo-password")]
)
def test_bad_basic_credentials_get_401_with_the_error_body(app, user, password):
    response = raw_client(app, **{"X-Subscription-Key": KEY}).post(
        "/token", json={"marketplace": "us"}, auth=(user, password)
    )
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"timeStamp", "status", "message", "path", "correlationId"}
    assert body["status"] == 401 and body["path"] == "/token"
    assert body["correlationId"] == response.headers["X-Correlation-ID"]


def test_malformed_basic_header_is_refused(app):
    response = raw_client(app, **{"X-Subscription-Key": KEY, "Authorization": "Basic !!!"}).post(
        "/token", json={"marketplace": "us"}
    )
    assert response.status_code == 401


def test_unknown_marketplace_code_is_refused(app):
    response = raw_client(app, **{"X-Subscription-Key": KEY}).post(
        "/token", json={"marketplace": "xx"}, auth=("demo-reseller", "demo-password")
    )
    assert response.status_code == 403
    assert "xx" in response.json()["message"]


def test_missing_subscription_key_gets_apim_401(app):
    response = raw_client(app).post(
        "/token", json={"marketplace": "us"}, auth=("demo-reseller", "demo-password")
    )
    assert response.status_code == 401
    assert response.json() == {
        "statusCode": 401,
        "message": "Access denied due to missing subscription key. Make sure to include "
        "subscription key when making requests to an API.",
    }


def test_wrong_subscription_key_gets_apim_401_on_every_endpoint(api):
    api.http.headers["X-Subscription-Key"] = "not-a-key"
    response = api.get("/customers")
    assert response.status_code == 401
    assert response.json()["statusCode"] == 401
    assert response.json()["message"].startswith("Access denied due to invalid subscription key")


def test_calls_without_a_bearer_token_get_401(app):
    response = raw_client(app, **{"X-Subscription-Key": KEY}).get("/products")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_unknown_token_gets_401(app):
    client = raw_client(app, **{"X-Subscription-Key": KEY, "Authorization": "Bearer nonsense"})
    response = client.get("/products")
    assert response.status_code == 401
    assert response.json()["message"] == "The access token is invalid or has expired."


def test_token_expires_after_its_lifetime_on_the_simulated_clock(api):
    api.advance(1499, relogin=False)
    assert api.get("/products").status_code == 200
    api.advance(2, relogin=False)
    assert api.get("/products").status_code == 401
    api.login()
    assert api.get("/products").status_code == 200


def test_control_endpoint_expires_all_tokens(api):
    assert api.control.post("/tokens/expire").json()["expired"] == 1
    assert api.get("/products").status_code == 401


def test_scripted_token_rejection_and_key_rejection(api):
    api.fail(kind="reject_token", path="/customers", count=1)
    api.fail(kind="reject_key", path="/products", count=1)
    assert api.get("/customers").json()["status"] == 401
    assert api.get("/customers").status_code == 200
    response = api.get("/products")
    assert response.status_code == 401 and response.json()["statusCode"] == 401
    assert api.get("/products").status_code == 200


def test_basic_header_is_plain_base64(app):
    header = "Basic " + base64.b64encode(b"demo-reseller:demo-password").decode()
    client = raw_client(app, **{"X-Subscription-Key": KEY, "Authorization": header})
    assert client.post("/token", json={"marketplace": "us"}).status_code == 200


def test_each_user_acts_for_its_own_reseller(app):
    fabrikam = Api(
        app, username="fabrikam-api", password="fabrikam-password", key="fabrikam-subscription-key"
    ).login()
    assert [r["id"] for r in fabrikam.get("/resellers").json()["data"]] == ["1000002"]

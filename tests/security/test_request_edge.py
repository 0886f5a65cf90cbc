"""Addresses anyone could send that answered 500: refused at the edge, never logged as errors."""

import logging

import pytest

from api.tokens import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def bearer(reseller):
    staff = UserFactory(reseller=reseller)
    secret = api_token_create(reseller=reseller, name="ERP", created_by=staff).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _errors(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("path", ["/api/v1/orders/%00", "/api/v1/orders/%00/cancel"])
def test_a_nul_in_an_api_path_is_a_400_problem(client, bearer, caplog, path):
    for method in ("get", "post"):
        response = getattr(client, method)(path, **bearer)
        assert response.status_code == 400
        assert response["Content-Type"] == PROBLEM
        assert "control character" in response.json()["detail"]
    assert _errors(caplog) == []


@pytest.mark.parametrize("method", ["GET", "OPTIONS", "TRACE", "HEAD"])
def test_the_api_root_is_a_404_problem_without_an_error_logged(client, caplog, method):
    response = client.generic(method, "/api/v1/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert _errors(caplog) == []


def test_too_many_query_parameters_are_a_400_problem(client, bearer, caplog):
    query = "&".join(f"p{i}=1" for i in range(1500))
    response = client.get(f"/api/v1/orders?{query}", **bearer)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "too many query parameters" in response.json()["detail"]
    assert _errors(caplog) == []


def test_a_control_character_in_a_query_parameter_names_it(client, bearer):
    response = client.get("/api/v1/orders", {"status": "placed\x1b"}, **bearer)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "status", "detail": response.json()["detail"]}
    ]


@pytest.mark.parametrize("query", ["q=%00", "q=a%7Fb", "q%00=x", "q=%C2%85"])
def test_a_control_character_in_a_web_search_is_a_400_page(client, reseller_user, caplog, query):
    client.force_login(reseller_user)
    response = client.get(f"/customers/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "control character" in response.content.decode()
    assert _errors(caplog) == []


def test_too_many_parameters_on_a_web_page_is_a_400_page(client, reseller_user):
    client.force_login(reseller_user)
    query = "&".join(f"p{i}=1" for i in range(1500))
    response = client.get(f"/customers/?{query}")
    assert response.status_code == 400
    assert "too many query parameters" in response.content.decode()


def test_ordinary_text_still_passes(client, reseller_user):
    client.force_login(reseller_user)
    assert client.get("/customers/", {"q": "Contoso – Zürich ✓"}).status_code == 200

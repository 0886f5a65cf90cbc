"""The API answers in the client's Accept-Language (English by default); codes stay as they are.

The German words ("Ungültige Anfrage", "Dieses Feld ist zwingend erforderlich.") come from
locale/de, compiled by dev.py before the tests.
"""

import uuid

import pytest
from django.utils import translation

from api.problems import DEFAULT_DETAILS, TITLES

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders"
MISSING = {"lines": [{"product_id": 1, "quantity": 1}]}


def _place(api, **headers):
    return api.post(ORDERS, MISSING, key=uuid.uuid4(), **headers)


def test_a_problem_in_german_by_accept_language_keeps_its_codes_and_fields(api, client):
    english = _place(api)
    german = _place(api, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    assert german.status_code == english.status_code == 400
    assert german["Content-Type"] == "application/problem+json"
    assert german["Content-Language"] == "de"
    body, english_body = german.json(), english.json()
    assert (body["type"], body["status"]) == (english_body["type"], english_body["status"])
    # Where each problem is stays as the API spells it; only the words change.
    assert [e["pointer"] for e in body["errors"]] == [e["pointer"] for e in english_body["errors"]]
    assert "/customer_id" in [e["pointer"] for e in body["errors"]]
    missing = next(e for e in body["errors"] if e["pointer"] == "/customer_id")
    assert missing["detail"] == "Dieses Feld ist zwingend erforderlich."
    english_missing = next(e for e in english_body["errors"] if e["pointer"] == "/customer_id")
    assert english_missing["detail"] == "This field is required."
    assert body["title"] == "Ungültige Anfrage"
    assert body["detail"] == "Die Anfrage ist fehlerhaft; die Fehler sagen, wo."
    with translation.override("de"):
        assert body["title"] == str(TITLES[400])
        assert body["detail"] == str(DEFAULT_DETAILS[400])


def test_english_without_accept_language_and_for_a_language_not_offered(api):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "ja-JP,ja;q=0.9"}):
        body = _place(api, **headers).json()

        assert body["title"] == "Bad Request"
        assert body["detail"] == "The request is malformed; the errors say where."


def test_the_session_or_cookie_language_does_not_choose_the_apis(api, client, settings):
    # A browser session in German that also calls the API in English gets English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    body = _place(api, HTTP_ACCEPT_LANGUAGE="en").json()

    missing = next(e for e in body["errors"] if e["pointer"] == "/customer_id")
    assert missing["detail"] == "This field is required."

"""The OpenAPI document: served, committed in docs/ unchanged, and readable under the site's CSP.

Regenerate the committed copy after changing the API:
    python manage.py export_openapi_schema --api api.main.api --indent 2 --sorted \
        --output docs/openapi-v1.json
"""

import json
import re
from pathlib import Path

import pytest
from ninja.responses import NinjaJSONEncoder

from api.main import api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi-v1.json"


def generated() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_the_committed_document_is_the_one_the_code_generates():
    committed = json.loads(COMMITTED.read_text())

    assert committed == generated(), (
        "docs/openapi-v1.json is out of date: regenerate it (see this module's docstring)."
    )


@pytest.mark.django_db
def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == generated()
    assert response.json()["info"]["version"] == api.version


def test_every_refusal_is_documented_as_a_problem():
    for path, operations in generated()["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


@pytest.mark.django_db
def test_the_reference_page_uses_only_local_assets(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources

"""Property-based run of the committed OpenAPI document against the API, the simulator behind.

schemathesis generates requests (valid and invalid) from docs/openapi-v1.json
and sends them to the Django WSGI application in-process; the marketplace is
the simulator (SimulatorTransport). No answer may be a 5xx, and every answer
must match the document: status, content type, headers and body schema.

About 300 cases (EXAMPLES per operation); docs/api.md gives the deeper run.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks

from tests.factories import OrderFactory

from .test_contract import COMMITTED

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "40"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def wsgi_application():
    """Django's WSGI application, keeping the test's database connection across requests.

    As Django's own test client does: a request must not close the connection
    that holds the test's transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(upstream_api, upstream_customer, settings, wsgi_application):
    # The limits have their own tests; here they would soon answer every case with 429.
    unlimited = 10**9
    settings.API_RATE_LIMITS = {
        "REQUESTS_PER_MINUTE": unlimited,
        "ORDERS_PER_MINUTE": unlimited,
        "FAILED_AUTH_PER_MINUTE": unlimited,
    }
    OrderFactory(customer=upstream_customer)
    schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text()))
    schema.app = wsgi_application
    schema.config.generation.update(modes=list(GenerationMode))
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_contract(case, upstream_api):
    case.call_and_validate(
        headers={"Authorization": upstream_api.auth["HTTP_AUTHORIZATION"]}, checks=CHECKS
    )

"""Validate recorded httpx exchanges against the published OpenAPI documents.

The documents are kept unmodified in marketplace/spec/ (copies of
shared/upstream/). Two known defects of SimpleAPI 1.15 are corrected in
memory only, each documented where it is applied:

* ``ParameterValue.value`` (and its order/fulfilment twins) is typed
  ``object`` while its own description, and every published example, say it
  may be "string, number, boolean, object, or array": the type is dropped.
* ``OrderParameterValue`` (a subscription's ``orderParameters[]``, the order's
  parameters as sent) requires ``value``, while ``ParameterValue`` lets a
  parameter carry only a ``structured_value`` — which is how the NCE
  attestations are sent (README §1.9). Echoed back, such a parameter has no
  ``value``: only ``name`` stays required.
* Every response is ``default`` with the success schema, so error bodies are
  validated instead against the §1.6 ``errorMessage`` schema of Marketplace
  API 1.1, the only document that has one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_DIR = Path(__file__).resolve().parents[2] / "marketplace" / "spec"
SIMPLEAPI = SPEC_DIR / "simpleapi-cmp-1.15.yaml"
MARKETPLACE_1_1 = SPEC_DIR / "ingram-cmp-1.1.yaml"
FREE_FORM_VALUES = ("ParameterValue", "OrderParameterValue", "FulfilmentParameterValue")


@cache
def simpleapi() -> OpenAPI:
    spec = yaml.safe_load(SIMPLEAPI.read_text())
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    for name in FREE_FORM_VALUES:
        schemas[name]["properties"]["value"].pop("type")
    schemas["OrderParameterValue"]["required"] = ["name"]
    return OpenAPI.from_dict(spec)


@cache
def error_body_validator() -> OAS30Validator:
    spec = yaml.safe_load(MARKETPLACE_1_1.read_text())
    return OAS30Validator(spec["components"]["schemas"]["errorMessage"])


@dataclass
class Exchange:
    request: httpx.Request
    response: httpx.Response

    def __str__(self):
        return f"{self.request.method} {self.request.url.path} -> {self.response.status_code}"


class RecordingTransport(httpx.BaseTransport):
    """Pass requests to another transport and keep every (request, response) pair."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.exchanges: list[Exchange] = []

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        response.read()
        self.exchanges.append(Exchange(request, response))
        return response


class OpenAPIRequest:
    """An httpx.Request as openapi-core sees it, with the API's base path removed."""

    def __init__(self, request: httpx.Request, base_path: str):
        self.host_url = f"{request.url.scheme}://{request.url.netloc.decode()}"
        self.path = request.url.path.removeprefix(base_path) or "/"
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("Content-Type", "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )


class OpenAPIResponse:
    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.data = response.content
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("Content-Type", "").lower()


def request_errors(exchange: Exchange, base_path: str) -> list[str]:
    """Return what is wrong with the request under SimpleAPI 1.15 (empty when it conforms)."""
    request = OpenAPIRequest(exchange.request, base_path)
    return [_describe(error) for error in simpleapi().iter_request_errors(request)]


def response_errors(exchange: Exchange, base_path: str) -> list[str]:
    """Return what is wrong with the response: a success against 1.15, an error against 1.1."""
    response = exchange.response
    if response.is_error:
        body = response.json()
        return [error.message for error in error_body_validator().iter_errors(body)]
    request = OpenAPIRequest(exchange.request, base_path)
    found = simpleapi().iter_response_errors(request, OpenAPIResponse(response))
    return [_describe(error) for error in found]


def _describe(error: Exception) -> str:
    causes = []
    cause = error.__cause__
    while cause is not None:
        for item in getattr(cause, "schema_errors", ()) or ():
            causes.append(f"{'/'.join(map(str, item.absolute_path))}: {item.message}")
        cause = cause.__cause__
    return f"{error}" + (f" ({'; '.join(causes)})" if causes else "")

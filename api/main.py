"""The NinjaAPI instance of /api/v1/: body parsing, error handlers, the OpenAPI document."""

import json
import logging

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser

from .auth import TokenAuth
from .endpoints import (
    catalogue,
    customers,
    orders,
    subscription_changes,
    subscription_list,
    subscription_renewal,
)
from .problems import (
    PROBLEM_CONTENT_TYPE,
    ApiError,
    error_response,
    json_pointer,
    problem_response,
)
from .webhook_docs import webhooks_section

logger = logging.getLogger(__name__)

VERSION = "1.0.0"
DESCRIPTION = (
    "Place and track Microsoft 365 (NCE) orders for your end customers, as the order wizard "
    "does. Every refusal is an RFC 9457 problem (application/problem+json). "
    "See docs/api.md for authentication, idempotency, limits and paging."
)
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="api"'}

#: Friendlier words for pydantic's error types; others keep pydantic's own message.
MESSAGES = {
    "missing": _("This field is required."),
    "extra_forbidden": _("This field is not part of the API; check its spelling."),
    "int_type": _("Give a whole number."),
    "int_parsing": _("Give a whole number."),
    "int_from_float": _("Give a whole number."),
    "bool_type": _("Give true or false."),
    "bool_parsing": _("Give true or false."),
    "string_type": _("Give text (a JSON string)."),
    "model_type": _("Give an object."),
    "model_attributes_type": _("Give an object."),
    "dict_type": _("Give an object."),
    "list_type": _("Give a list."),
    "uuid_parsing": _("Give a UUID, e.g. 6f1d3c52-8a4e-4f0b-9a57-2f0a3e4b8c91."),
    "uuid_type": _("Give a UUID, e.g. 6f1d3c52-8a4e-4f0b-9a57-2f0a3e4b8c91."),
}


class JsonOnlyParser(Parser):
    """Read a body only when it is JSON; refuse anything else with the right status."""

    def parse_body(self, request):
        try:
            raw = request.body
        except RequestDataTooBig:
            raise ApiError(413) from None
        if request.content_type != "application/json":
            raise ApiError(415)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(400, _("The body is not valid JSON.")) from None


class ProblemsNinjaAPI(NinjaAPI):
    """NinjaAPI whose document says application/problem+json wherever the answer is a problem."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {
                            PROBLEM_CONTENT_TYPE: response["content"]["application/json"]
                        }
                    if status == "429":
                        response["headers"] = {
                            "Retry-After": {
                                "description": "Seconds to wait before trying again.",
                                "required": True,
                                "schema": {"type": "integer", "minimum": 1},
                            }
                        }
                    if status == "401":
                        response["headers"] = {
                            "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}
                        }
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        schema["webhooks"] = webhooks_section(components)
        return schema


api = ProblemsNinjaAPI(
    title="NCE orders API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    parser=JsonOnlyParser(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _item(error: dict) -> dict:
    location = list(error.get("loc", ()))
    source = location.pop(0) if location else "body"
    message = MESSAGES.get(error.get("type"), error.get("msg", _("This value is not valid.")))
    if source == "body":
        # ninja puts the body under the name of its parameter: drop it.
        return {"pointer": json_pointer(location[1:]), "detail": message}
    name = str(location[0]) if location else ""
    if source == "header":
        return {"header": name, "detail": message}
    return {"parameter": name, "detail": message}


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error_response(exc)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return problem_response(400, errors=[_item(error) for error in exc.errors])


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return problem_response(401, headers=UNAUTHORIZED_HEADERS)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc.__cause__, ApiError):  # ninja wraps what the body parser raises
        return error_response(exc.__cause__)
    return problem_response(exc.status_code, str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return problem_response(403, str(exc) or None)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return problem_response(413)


@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def on_bad_request(request, exc):
    return problem_response(400)


@api.exception_handler(Exception)
def on_error(request, exc):
    logger.error("API %s %s failed", request.method, request.path, exc_info=exc)
    return problem_response(500)


api.add_router("", catalogue.router)
api.add_router("", customers.router)
api.add_router("", orders.router)
api.add_router("", subscription_list.router)
api.add_router("", subscription_changes.router)
api.add_router("", subscription_renewal.router)

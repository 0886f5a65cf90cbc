"""Every error response becomes one exception type, carrying message, status and correlation id."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from marketplace.exceptions import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    GatewayError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    error_from_response,
)

NGINX_504 = (
    "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n"
    "<center><h1>504 Gateway Time-out</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)


def response(status, *, json=None, text=None, headers=None):
    request = httpx.Request("POST", "https://api.example.test/marketplace/eu/orders")
    if json is not None:
        return httpx.Response(status, json=json, headers=headers, request=request)
    return httpx.Response(status, text=text or "", headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, GatewayError),
        (503, GatewayError),
        (504, GatewayError),
        (409, APIStatusError),
        (501, GatewayError),
    ],
)
def test_status_codes_map_to_one_exception_each(status, expected):
    error = error_from_response(response(status, json={"message": "m"}))
    assert type(error) is expected
    assert error.status_code == status


def test_platform_error_body_gives_message_and_correlation_id():
    body = {
        "correlationId": "a8n-54bc",
        "status": 500,
        "message": "Cannot Upgrade/Downgrade Resources for Subscription #123456: …",
        "path": "/orders",
        "timeStamp": "2023-02-22T07:45:08.223+00:00",
    }
    error = error_from_response(response(500, json=body))
    assert isinstance(error, InternalServerError)
    assert error.message.startswith("Cannot Upgrade/Downgrade")
    assert error.correlation_id == "a8n-54bc"


def test_spring_style_error_field_is_the_message_and_header_wins_for_correlation():
    error = error_from_response(
        response(
            400,
            json={"error": "Bad Request", "correlationId": "body-id"},
            headers={"X-Correlation-ID": "a8n-header"},
        )
    )
    assert error.message == "Bad Request"
    assert error.correlation_id == "a8n-header"


def test_nginx_html_page_is_a_gateway_error_not_a_crash():
    page = response(504, text=NGINX_504, headers={"Content-Type": "text/html"})
    error = error_from_response(page)
    assert isinstance(error, GatewayError)
    assert error.status_code == 504
    assert "504 Gateway Time-out" in error.message


def test_non_json_success_is_a_gateway_error():
    error = error_from_response(response(200, text="<html>maintenance</html>"))
    assert isinstance(error, GatewayError)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("57", 57.0), ("0", 0.0), ("1.5", 1.5), ("soon", None), (None, None)],
)
def test_retry_after_in_seconds(header, seconds):
    headers = {"Retry-After": header} if header is not None else {}
    error = error_from_response(
        response(429, json={"statusCode": 429, "message": "Rate limit"}, headers=headers)
    )
    assert error.retry_after == seconds


def test_retry_after_as_http_date():
    when = datetime.now(UTC) + timedelta(seconds=30)
    error = error_from_response(
        response(
            429, json={"message": "Rate limit"}, headers={"Retry-After": format_datetime(when)}
        )
    )
    assert 25 <= error.retry_after <= 31


def test_str_names_status_and_correlation_id_for_logs():
    error = error_from_response(
        response(403, json={"message": "No relationship"}, headers={"X-Correlation-ID": "a8n-1"})
    )
    assert str(error) == "No relationship · HTTP 403 · correlation id a8n-1"

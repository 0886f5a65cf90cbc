"""Error bodies the real API returns, and the texts Microsoft and the platform use."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Response, g, json, request

# Partner Center texts (README §2.3-2.5, §2.9), relayed by the marketplace.
MPN_NOT_NUMERIC = "MPN Id must be numeric."
MPN_NOT_FOUND = "MPN Id is not found"
MPN_NOT_INDIRECT_RESELLER = "MPN Id is not a valid Indirect Reseller"
MPA_NOT_ACCEPTED = "Microsoft Partner Agreement has not been accepted by the indirect reseller"
NO_RELATIONSHIP = (
    "The partner id {partner} has no commerce relationship with the customer id {customer}"
)
MCA_MISSING = (
    "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement "
    "must be provided or the customer must accept the Microsoft Customer Agreement in the "
    "Microsoft Admin Center before you can complete this purchase"
)
QUANTITY_OUT_OF_RANGE = (
    "Quantity {quantity} is not within minimum and maximum allowed quantity ({minimum}-{maximum})."
)
CANCELLATION_WINDOW_PASSED = "You have passed your {days}-day cancellation window."
QUANTITY_CANNOT_DECREASE = "Subscription quantity cannot be decreased"
CONFLICTING_CHANGE = (
    "Cannot Upgrade/Downgrade Resources for Subscription #{subscription}: there is already an "
    "Upgrade/Downgrade Order #{order} in status {status}. This order prohibits placing an order "
    "of the same order type (per subscription). Please either cancel conflicting order or wait "
    "until it is processed by the system."
)
AMBIGUOUS_PRODUCT = (
    "More than one product matches MPN {mpn}. Specify the vendor, subscriptionPeriod and "
    "billingPeriod of the product."
)
DOMAIN_AVAILABLE = "Domain available to purchase."
# Seed 004 names the rule ("You must either use True or False for attestation_accepted"), not
# the platform's text for breaking it: this one is the simulator's.
ATTESTATION_NOT_BOOLEAN = "offer_attestation must be True or False (attestation_accepted)."
DOMAIN_TAKEN = "Domain {domain} is not available to purchase."
# Seed 004 says when the company parameters are needed ("only required if the company
# information did not pass Microsoft's validation") but not how the refusal reads: this text,
# naming every parameter to send, is the simulator's (docs/upstream.md).
COMPANY_NOT_VALIDATED = (
    "The company information did not pass Microsoft's validation. Send the customer's "
    "company details with the order: {names}."
)

NGINX_504 = """<html>
<head><title>504 Gateway Time-out</title></head>
<body>
<center><h1>504 Gateway Time-out</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


class ApiError(Exception):
    """An error the API answers with the §1.6 body."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def correlation_id() -> str:
    if "correlation_id" not in g:
        g.correlation_id = f"a8n-{uuid.uuid4()}"
    return g.correlation_id


def timestamp() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+00:00"


def error_response(status: int, message: str) -> Response:
    """Return the platform's error body: {timeStamp, status, message, path, correlationId}."""
    body = {
        "timeStamp": timestamp(),
        "status": status,
        "message": message,
        "path": request.environ.get("simulator.api_path", request.path),
        "correlationId": correlation_id(),
    }
    return Response(json.dumps(body), status=status, mimetype="application/json")


def spring_response(status: int, message: str) -> Response:
    """Return the Spring-style variant some clients have parsed: `error` instead of `message`."""
    body = {
        "timestamp": timestamp(),
        "status": status,
        "error": message,
        "path": request.environ.get("simulator.api_path", request.path),
        "correlationId": correlation_id(),
    }
    return Response(json.dumps(body), status=status, mimetype="application/json")


def apim_response(status: int, message: str, headers: dict | None = None) -> Response:
    """Return Azure API Management's own body: {statusCode, message}."""
    body = {"statusCode": status, "message": message}
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers)


def html_response(status: int) -> Response:
    """Return nginx's own error page, as a gateway in front of the API sends it."""
    titles = {
        502: "502 Bad Gateway",
        503: "503 Service Temporarily Unavailable",
        504: "504 Gateway Time-out",
    }
    page = NGINX_504.replace("504 Gateway Time-out", titles.get(status, str(status)))
    return Response(page, status=status, mimetype="text/html")

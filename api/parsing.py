"""Turn JSON requests into the values the domain functions take, or field-by-field errors.

Only the shape is checked here (types, lengths, known fields); what makes an
order acceptable is decided by ``orders`` and ``rules``, as for the wizard.
"""

import hashlib
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import RequestDataTooBig

import rules
from catalog.models import Period, Product
from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation
from orders.requests import AgreementAcceptance, LineRequest, OrderRequest

from .errors import NON_FIELD, ApiError, FieldErrors

#: Largest id PostgreSQL's bigint holds; larger numbers are refused before any query.
MAX_ID = 2**63 - 1
#: Largest quantity a PostgreSQL integer column holds.
MAX_QUANTITY = 2**31 - 1
MAX_LINES = 100
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_SALT = "api.cursor"

ORDER_FIELDS = {
    "customer_id",
    "lines",
    "tenant",
    "partner_of_record_accepted",
    "agreement",
    "special_qualification",
    "education_segment",
    "po_number",
    "terms_accepted",
}
LINE_FIELDS = {
    "mpn",
    "product_id",
    "term",
    "billing",
    "quantity",
    "expected_unit_price",
    "offer_attestation_accepted",
}
TENANT_FIELDS = {"preference", "domain", "tenant_id"}
AGREEMENT_FIELDS = {"first_name", "last_name", "email", "accepted_on"}


def json_body(request) -> dict:
    """Return the request's JSON object, or raise a 400 (or 413) saying what is wrong."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, [(NON_FIELD, "The request body is too large.")]) from None
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise ApiError(
            415, [(NON_FIELD, "Send the body as JSON (Content-Type: application/json).")]
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, [(NON_FIELD, "The body is not valid JSON.")]) from None
    if not isinstance(data, dict):
        raise ApiError(400, [(NON_FIELD, "The body must be a JSON object.")])
    return data


def fingerprint(data: dict) -> str:
    """Return a hash of ``data`` that does not depend on key order or spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_key(value: str | None) -> uuid.UUID:
    if not value:
        raise ApiError(
            400,
            [
                (
                    "Idempotency-Key",
                    "Send an Idempotency-Key header (a UUID) "
                    "that you keep for retries of this order.",
                )
            ],
        )
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise ApiError(400, [("Idempotency-Key", "The Idempotency-Key must be a UUID.")]) from None


# Query strings


def limit_from(params) -> int:
    raw = params.get("limit", "")
    if raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, [("limit", f"Give a whole number from 1 to {MAX_LIMIT}.")])
    return int(raw)


def cursor_from(params) -> int | None:
    """Return the last id of the previous page, from the opaque ``cursor`` parameter."""
    raw = params.get("cursor", "")
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=CURSOR_SALT)
    except signing.BadSignature:
        value = None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, [("cursor", "Use the next_cursor of a previous page, unchanged.")])
    return value


def make_cursor(last_id: int) -> str:
    return signing.dumps(last_id, salt=CURSOR_SALT)


def choice_from(params, name, choices, *, default="") -> str:
    value = params.get(name, "")
    if value == "":
        return default
    if value not in choices:
        raise ApiError(400, [(name, f"Use one of: {', '.join(choices)}.")])
    return value


def id_from(params, name) -> int | None:
    value = params.get(name, "")
    if value == "":
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise ApiError(400, [(name, "Give a whole number (an id).")])
    return int(value)


def search_text(params, name="q") -> str:
    return clean_text(" ".join(str(params.get(name, "")).split()))[:100]


def clean_text(value: str) -> str:
    """Drop characters no database column should hold (NUL, lone surrogates)."""
    return value.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


# The order request


def order_request(data: dict) -> OrderRequest:
    """Return the OrderRequest ``data`` describes, as the wizard would build it.

    Raises ApiError 400 for a wrong shape and 422 for a product that cannot be found.
    """
    errors = FieldErrors()
    _unknown_fields(data, ORDER_FIELDS, "", errors)
    customer_id = _id(data.get("customer_id"), "customer_id", errors, required=True)
    raw_lines = data.get("lines")
    lines_data = []
    if not isinstance(raw_lines, list) or not raw_lines:
        errors.add("lines", "Give the lines as a list of at least one product and quantity.")
    elif len(raw_lines) > MAX_LINES:
        errors.add("lines", f"An order can have at most {MAX_LINES} lines.")
    else:
        lines_data = [_line(raw, f"lines[{i}]", errors) for i, raw in enumerate(raw_lines)]
    tenant = _object(data.get("tenant"), "tenant", TENANT_FIELDS, errors, required=True) or {}
    preference = _text(
        tenant.get("preference"), "tenant.preference", errors, required=True, max_length=20
    )
    domain = _text(tenant.get("domain"), "tenant.domain", errors, max_length=255)
    tenant_id = _text(tenant.get("tenant_id"), "tenant.tenant_id", errors, max_length=64)
    agreement = _agreement(data.get("agreement"), errors)
    qualification = (
        _text(data.get("special_qualification"), "special_qualification", errors, max_length=40)
        or "None"
    )
    if qualification:
        try:
            qualification = rules.normalise_qualification(qualification)
        except rules.RuleViolation as violation:
            errors.add("special_qualification", violation.message)
    education_segment = _text(
        data.get("education_segment"), "education_segment", errors, max_length=20
    )
    po_number = _text(data.get("po_number"), "po_number", errors, max_length=64)
    partner_of_record = _bool(
        data.get("partner_of_record_accepted"), "partner_of_record_accepted", errors
    )
    terms = _bool(data.get("terms_accepted"), "terms_accepted", errors)
    errors.raise_if_any(400)

    lines = _resolve_products(lines_data)
    texts = {
        Attestation.Kind.PARTNER_OF_RECORD.value: DEFAULT_TEXTS[Attestation.Kind.PARTNER_OF_RECORD]
    }
    if agreement is not None:
        texts[Attestation.Kind.CUSTOMER_AGREEMENT.value] = DEFAULT_TEXTS[
            Attestation.Kind.CUSTOMER_AGREEMENT
        ]
    if terms:
        texts[Attestation.Kind.TERMS.value] = DEFAULT_TEXTS[Attestation.Kind.TERMS]
    return OrderRequest(
        customer_id=customer_id,
        lines=lines,
        tenant_preference=preference,
        microsoft_domain=domain,
        microsoft_tenant_id=tenant_id,
        partner_of_record_accepted=partner_of_record,
        agreement=agreement,
        special_qualification=qualification,
        education_segment=education_segment,
        po_number=po_number,
        terms_accepted=terms,
        attestation_texts=texts,
    )


def _line(raw, field, errors) -> dict:
    line = _object(raw, field, LINE_FIELDS, errors, required=True)
    if line is None:
        return {}
    parsed = {"field": field}
    if ("mpn" in line) == ("product_id" in line):
        errors.add(field, "Give either mpn (with term and billing) or product_id.")
    if "product_id" in line:
        parsed["product_id"] = _id(line["product_id"], f"{field}.product_id", errors)
    if "mpn" in line:
        parsed["mpn"] = _text(line["mpn"], f"{field}.mpn", errors, required=True, max_length=64)
    for name in ("term", "billing"):
        value = _text(
            line.get(name), f"{field}.{name}", errors, required="mpn" in line, max_length=3
        )
        if value and value not in Period.values:
            errors.add(f"{field}.{name}", f"Use one of: {', '.join(Period.values)}.")
        parsed[name] = value
    quantity = line.get("quantity")
    if not _is_int(quantity) or not 1 <= quantity <= MAX_QUANTITY:
        errors.add(f"{field}.quantity", "Give the number of seats as a whole number, 1 or more.")
    parsed["quantity"] = quantity
    parsed["expected_unit_price"] = _price(
        line.get("expected_unit_price"), f"{field}.expected_unit_price", errors
    )
    parsed["offer_attestation_accepted"] = _bool(
        line.get("offer_attestation_accepted"), f"{field}.offer_attestation_accepted", errors
    )
    return parsed


def _resolve_products(lines_data) -> tuple[LineRequest, ...]:
    """Find each line's product by id or by MPN, term and billing; 422 for any not sold."""
    errors = FieldErrors()
    lines = []
    for line in lines_data:
        field = line["field"]
        if line.get("product_id") is not None:
            product = Product.objects.active().filter(pk=line["product_id"]).first()
            if product is None:
                errors.add(f"{field}.product_id", "No product with this id is sold.")
                continue
            for name, attribute in (("term", "term"), ("billing", "billing_period")):
                if line[name] and line[name] != getattr(product, attribute):
                    errors.add(
                        f"{field}.{name}",
                        f"Product {product.pk} is sold with "
                        f"{name} {getattr(product, attribute)}, not {line[name]}.",
                    )
        else:
            matches = list(
                Product.objects.active().filter(
                    mpn=line["mpn"], term=line["term"], billing_period=line["billing"]
                )[:2]
            )
            if not matches:
                errors.add(
                    f"{field}.mpn",
                    f"No product {line['mpn']} is sold with term "
                    f"{line['term']} and billing {line['billing']}.",
                )
                continue
            if len(matches) > 1:
                errors.add(
                    f"{field}.mpn",
                    f"{line['mpn']} names more than one product; give its product_id instead.",
                )
                continue
            product = matches[0]
        lines.append(
            LineRequest(
                product_id=product.pk,
                quantity=line["quantity"],
                expected_unit_price=line["expected_unit_price"],
                offer_attestation_accepted=line["offer_attestation_accepted"],
            )
        )
    errors.raise_if_any(422)
    return tuple(lines)


def _agreement(raw, errors) -> AgreementAcceptance | None:
    agreement = _object(raw, "agreement", AGREEMENT_FIELDS, errors, required=False)
    if agreement is None:
        return None
    values = {
        name: _text(
            agreement.get(name),
            f"agreement.{name}",
            errors,
            required=True,
            max_length=254 if name == "email" else 50,
        )
        for name in ("first_name", "last_name", "email")
    }
    accepted_on = None
    raw_date = agreement.get("accepted_on")
    if not isinstance(raw_date, str):
        errors.add("agreement.accepted_on", "Give the date as a string, MM-DD-YYYY.")
    else:
        try:
            accepted_on = rules.check_agreement_date(raw_date, field="agreement.accepted_on")
        except rules.RuleViolation as violation:
            errors.add(violation.field, violation.message)
    if errors:
        return None
    return AgreementAcceptance(accepted_on=accepted_on, **values)


# Typed values


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown_fields(data, known, prefix, errors):
    for name in sorted(set(data) - known):
        shown = clean_text(str(name))[:40]
        errors.add(f"{prefix}{shown}", "This field is not part of the API; check its spelling.")


def _object(value, field, known, errors, *, required):
    if value is None:
        if required:
            errors.add(field, "This field is required.")
        return None
    if not isinstance(value, dict):
        errors.add(field, "Give an object.")
        return None
    _unknown_fields(value, known, f"{field}.", errors)
    return value


def _id(value, field, errors, *, required=False) -> int | None:
    if value is None and not required:
        return None
    if not _is_int(value) or not 1 <= value <= MAX_ID:
        errors.add(field, "Give the id as a whole number.")
        return None
    return value


def _text(value, field, errors, *, required=False, max_length) -> str:
    if value is None or value == "":
        if required:
            errors.add(field, "This field is required.")
        return ""
    if not isinstance(value, str):
        errors.add(field, "Give text (a JSON string).")
        return ""
    if len(value) > max_length:
        errors.add(field, f"Use at most {max_length} characters.")
        return ""
    if clean_text(value) != value or any(ord(c) < 32 and c not in "\t" for c in value):
        errors.add(field, "Remove the control characters from this text.")
        return ""
    return value.strip()


def _bool(value, field, errors) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors.add(field, "Give true or false.")
        return False
    return value


def _price(value, field, errors) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(field, 'Give the unit price you expect as a string, e.g. "12.50".')
        return None
    text = str(value).strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite() or price < 0 or len(text) > 20:
        errors.add(field, 'Give the unit price you expect as a string, e.g. "12.50".')
        return None
    return text

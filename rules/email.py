"""Contact e-mail addresses (upstream README §2.6)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation

#: Microsoft refuses its own addresses for a customer's contacts.
FORBIDDEN_DOMAINS = ("microsoft.com",)


def email_domain(address: str) -> str:
    """Return the lower-cased domain of an e-mail address ("" when it has none)."""
    return address.rpartition("@")[2].strip().lower() if "@" in address else ""


def _normalise_domain(domain) -> str:
    return str(domain or "").strip().lstrip("@").rstrip(".").lower()


def _within(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def check_email(value, *, reseller_domain=None, field="email") -> str:
    """Return the address with its domain lower-cased, or raise RuleViolation.

    ``reseller_domain`` is the e-mail domain of the reseller's own staff
    (``Reseller.staff_email_domain``): a customer's contact must not use it.
    """
    address = str(value or "").strip()
    if not address:
        raise RuleViolation(_("Enter an e-mail address."), field=field)
    try:
        validate_email(address)
    except ValidationError:
        raise RuleViolation(
            _('"%(address)s" is not an e-mail address: write it as name@company.com.'),
            field=field,
            params={"address": address},
        ) from None
    local, _at, domain = address.rpartition("@")
    domain = domain.lower()
    if any(_within(domain, forbidden) for forbidden in FORBIDDEN_DOMAINS):
        raise RuleViolation(
            _(
                "Microsoft does not accept a @microsoft.com address here: "
                "use an address at the customer's own company."
            ),
            field=field,
        )
    own = _normalise_domain(reseller_domain)
    if own and _within(domain, own):
        raise RuleViolation(
            _(
                "This address is at your own company's domain (%(domain)s): use an address at "
                "the customer's company, so Microsoft can reach the customer."
            ),
            field=field,
            params={"domain": own},
        )
    return f"{local}@{domain}"

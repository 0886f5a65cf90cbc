"""Microsoft tenants: a new tenant's prefix, an existing tenant, who may create one (§2.2)."""

import re
import uuid

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation

ONMICROSOFT_SUFFIX = ".onmicrosoft.com"
#: A DNS label is at most 63 characters, whatever the setting says.
TENANT_PREFIX_HARD_LIMIT = 63

TENANT_NEW = "new"
TENANT_EXISTING = "existing"
TENANT_PREFERENCES = (TENANT_NEW, TENANT_EXISTING)

#: Segments whose customers must get their tenant from Microsoft, with where to send them.
TENANT_SIGNUP_ELSEWHERE = {
    "education": _(
        "A new tenant can't be created for education offers. Microsoft must verify a school "
        "before it gets a tenant: send the customer to "
        "https://www.microsoft.com/en-us/microsoft-365/academic/compare-office-365-education-plans"
        " to sign up, then choose their existing tenant here."
    ),
    "nonprofit": _(
        "A new tenant can't be created for nonprofit offers. Microsoft must verify a nonprofit "
        "before it gets a tenant: send the customer to https://signup.nonprofit.microsoft.com "
        "to sign up, then choose their existing tenant here."
    ),
}
KNOWN_SEGMENTS = ("commercial", "education", "nonprofit", "government")

_PREFIX = re.compile(r"[a-z0-9]+", re.ASCII)
# Existing tenants are not ours to judge strictly: any DNS label before .onmicrosoft.com.
_EXISTING_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


def tenant_prefix_max_length() -> int:
    """Return the longest prefix allowed: the setting, never above the DNS bound of 63."""
    configured = getattr(settings, "TENANT_PREFIX_MAX_LENGTH", TENANT_PREFIX_HARD_LIMIT)
    return max(1, min(int(configured), TENANT_PREFIX_HARD_LIMIT))


def check_tenant_prefix(value, *, field="tenant_prefix") -> str:
    """Return the new tenant's prefix in lower case, or raise RuleViolation.

    A full "name.onmicrosoft.com" is accepted too and reduced to "name".
    """
    prefix = str(value or "").strip().lower()
    if prefix.endswith(ONMICROSOFT_SUFFIX):
        prefix = prefix[: -len(ONMICROSOFT_SUFFIX)]
    if not prefix:
        raise RuleViolation(
            _("Enter a name for the new tenant, for example contoso2026."), field=field
        )
    if not _PREFIX.fullmatch(prefix):
        raise RuleViolation(
            _(
                "Use only Latin letters and digits (no spaces, dots, hyphens or accents), "
                "for example contoso2026."
            ),
            field=field,
        )
    limit = tenant_prefix_max_length()
    if len(prefix) > limit:
        raise RuleViolation(
            _(
                "Shorten the tenant name to %(limit)s characters or fewer (it has %(length)s); "
                "it can never be changed later."
            ),
            field=field,
            params={"limit": limit, "length": len(prefix)},
        )
    return prefix


def new_tenant_domain(prefix) -> str:
    """Return the full domain of a new tenant, "<prefix>.onmicrosoft.com"."""
    return check_tenant_prefix(prefix) + ONMICROSOFT_SUFFIX


def is_tenant_id(value) -> bool:
    """Return True if ``value`` is a tenant GUID (with or without braces)."""
    return _GUID.fullmatch(str(value or "").strip().strip("{}").lower()) is not None


def check_tenant_domain(value, *, field="microsoft_domain") -> str:
    """Return an existing tenant's *.onmicrosoft.com domain in lower case, or raise."""
    domain = str(value or "").strip().rstrip(".").lower()
    if not domain:
        raise RuleViolation(
            _("Enter the customer's tenant domain, for example contoso.onmicrosoft.com."),
            field=field,
        )
    label = domain[: -len(ONMICROSOFT_SUFFIX)] if domain.endswith(ONMICROSOFT_SUFFIX) else ""
    if not _EXISTING_LABEL.fullmatch(label):
        raise RuleViolation(
            _(
                '"%(domain)s" is not a tenant domain: enter the one ending in .onmicrosoft.com, '
                "for example contoso.onmicrosoft.com (the customer finds it in the Microsoft 365 "
                "admin center under Settings > Domains)."
            ),
            field=field,
            params={"domain": domain},
        )
    return domain


def check_tenant_id(value, *, field="microsoft_tenant_id") -> str:
    """Return a tenant GUID in its canonical lower-case form, or raise RuleViolation."""
    text = str(value or "").strip().strip("{}").lower()
    if not _GUID.fullmatch(text):
        raise RuleViolation(
            _("Enter the tenant ID as a GUID, for example 3f2504e0-4f89-11d3-9a0c-0305e82c3301."),
            field=field,
        )
    return str(uuid.UUID(text))


def check_existing_tenant(value, *, field="microsoft_domain") -> str:
    """Return an existing tenant as a *.onmicrosoft.com domain or a GUID, or raise."""
    if is_tenant_id(value):
        return check_tenant_id(value, field=field)
    text = str(value or "").strip()
    if not text:
        raise RuleViolation(
            _(
                "Enter the customer's tenant: its .onmicrosoft.com domain "
                "(for example contoso.onmicrosoft.com) or its tenant ID."
            ),
            field=field,
        )
    try:
        return check_tenant_domain(text, field=field)
    except RuleViolation:
        raise RuleViolation(
            _(
                '"%(text)s" is neither a .onmicrosoft.com domain nor a tenant ID: enter one of '
                "them, for example contoso.onmicrosoft.com."
            ),
            field=field,
            params={"text": text},
        ) from None


def check_tenant_preference(value, *, field="tenant_preference") -> str:
    """Return "new" or "existing", or raise RuleViolation."""
    preference = str(value or "").strip().lower()
    if preference not in TENANT_PREFERENCES:
        raise RuleViolation(
            _("Choose whether to create a new tenant or use the customer's existing one."),
            field=field,
        )
    return preference


def can_create_new_tenant(segment) -> bool:
    """Return True if customers buying in ``segment`` may get a new tenant through us.

    Government customers buy commercial offers and follow the commercial path.
    """
    segment = str(segment)
    if segment not in KNOWN_SEGMENTS:
        raise ValueError(f"Unknown segment {segment!r}; expected one of {KNOWN_SEGMENTS}.")
    return segment not in TENANT_SIGNUP_ELSEWHERE


def check_new_tenant_allowed(segment, *, field="tenant_preference") -> str:
    """Return ``segment`` if it may create a new tenant, or raise RuleViolation saying why not."""
    segment = str(segment)
    if not can_create_new_tenant(segment):
        raise RuleViolation(TENANT_SIGNUP_ELSEWHERE[segment], field=field)
    return segment

"""The reseller's tier configuration: MPN ID and indirect-reseller tenant (§2.1, §2.3)."""

import re

from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation
from .tenant import check_tenant_domain, check_tenant_id, is_tenant_id

#: Partner Center location IDs are numeric; the ones in use have 6 or 7 digits.
MPN_ID_MIN_LENGTH = 5
MPN_ID_MAX_LENGTH = 10

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def check_mpn_id(value, *, field="mpn_id") -> str:
    """Return the MPN ID (PLA location ID) as a string of digits, or raise RuleViolation."""
    mpn_id = str(value or "").strip()
    if not mpn_id:
        raise RuleViolation(
            _(
                "Enter your MPN ID: the location ID under Account settings > Identifiers "
                "in Partner Center."
            ),
            field=field,
        )
    if not _DIGITS.fullmatch(mpn_id):
        raise RuleViolation(
            _(
                "An MPN ID has digits only, for example 1234567: copy the location ID from "
                "Partner Center (Account settings > Identifiers)."
            ),
            field=field,
        )
    if not MPN_ID_MIN_LENGTH <= len(mpn_id) <= MPN_ID_MAX_LENGTH:
        raise RuleViolation(
            _(
                "An MPN ID has %(minimum)s to %(maximum)s digits (this one has %(length)s): "
                "check the location ID in Partner Center."
            ),
            field=field,
            params={
                "minimum": MPN_ID_MIN_LENGTH,
                "maximum": MPN_ID_MAX_LENGTH,
                "length": len(mpn_id),
            },
        )
    return mpn_id


def check_reseller_domain(value, *, field="indirect_reseller_domain") -> str:
    """Return your own tenant as name.onmicrosoft.com or its tenant GUID, or raise."""
    text = str(value or "").strip()
    if not text:
        raise RuleViolation(
            _(
                "Enter your own tenant: the domain ending in .onmicrosoft.com "
                "(Partner Center or Microsoft 365 admin center) or its tenant ID."
            ),
            field=field,
        )
    if is_tenant_id(text):
        return check_tenant_id(text, field=field)
    try:
        return check_tenant_domain(text, field=field)
    except RuleViolation:
        raise RuleViolation(
            _(
                '"%(text)s" is not your indirect-reseller tenant: it always ends in '
                ".onmicrosoft.com (for example northwind.onmicrosoft.com), or give its tenant ID."
            ),
            field=field,
            params={"text": text},
        ) from None

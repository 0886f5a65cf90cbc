"""The reseller's PO number, as the marketplace's ``poNumber`` carries it whole."""

from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation

#: The poNumber we send holds at most 64 characters (marketplace.constants; the spec gives
#: no maximum): our reference (12), " / " (3), then the reseller's PO. Longer was cut.
PO_NUMBER_MAX_LENGTH = 40
_ALLOWED_PUNCTUATION = " -_/.#"


def check_po_number(value, *, field="po_number") -> str:
    """Return the PO number with its spaces tidied ("" when none), or raise RuleViolation."""
    po_number = " ".join(str(value or "").split())
    if len(po_number) > PO_NUMBER_MAX_LENGTH:
        raise RuleViolation(
            _(
                "A PO number has at most %(limit)s characters (this one has %(length)s): "
                "the marketplace would cut it."
            ),
            field=field,
            params={"limit": PO_NUMBER_MAX_LENGTH, "length": len(po_number)},
        )
    if any(not (ch.isalnum() or ch in _ALLOWED_PUNCTUATION) for ch in po_number):
        raise RuleViolation(
            _("Use letters, digits, spaces and - _ / . # only in the PO number."), field=field
        )
    return po_number

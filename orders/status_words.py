"""The marketplace's status codes in plain words, for readers who do not quote them upstream.

Resellers and end customers read "Provisioning licences"; support staff and admins keep
"LO", which is what the distributor asks for. Stored history is never rewritten: only
how it is shown changes, by who reads it.
"""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .cause_words import cause_in_language

#: The codes the marketplace documents (docs/upstream.md, "statusCode"), in words.
CODE_WORDS = {
    "SB": _("Submitted"),
    "AS": _("Assigning"),
    "LO": _("Provisioning licences"),
    "CP": _("Completed"),
    "PF": _("Provisioning failed"),
    "NP": _("No payment method"),
    "WP": _("Waiting for payment"),
    "HL": _("On hold"),
    "CL": _("Cancelled"),
}
#: For a code the marketplace has not explained: its status, in words.
STATUS_WORDS = {
    "submitted": _("Submitted"),
    "processing": _("In progress"),
    "completed": _("Completed"),
    "error": _("Failed"),
    "cancelled": _("Cancelled"),
}

#: While an order is in one of these, the marketplace's order number may still arrive.
NUMBER_MAY_ARRIVE = {"placed", "submitting", "submitted", "processing", "unknown"}

_UPSTREAM_STATUS_CAUSE = re.compile(r"Upstream status (?P<status>\w*) \((?P<code>[A-Z]{2}|-)\)\.")
_CODE_IN_CAUSE = re.compile(r" \((?P<code>[A-Z]{2})\)")


def marketplace_status_words(status: str, code: str) -> str:
    """Return what the marketplace's (status, code) means, e.g. "Provisioning licences"."""
    if code in CODE_WORDS:
        return CODE_WORDS[code]
    return STATUS_WORDS.get(status, status.capitalize() if status else _("Not known yet"))


def plain_cause(cause: str) -> str:
    """Return an event's cause with the marketplace's codes put in words."""
    whole = _UPSTREAM_STATUS_CAUSE.fullmatch(cause)
    if whole:
        words = marketplace_status_words(whole["status"], whole["code"])
        return _("The marketplace's status: %(words)s.") % {"words": words}
    stored = cause
    cause = cause_in_language(stored)

    def words_for(match):
        code = match["code"]
        if code not in CODE_WORDS:
            return match[0]
        words = CODE_WORDS[code]
        # "completed the order (CP)" says it already; the code adds nothing in words.
        # Compared in English: the cause is stored in English, whatever the reader's language.
        with translation.override("en"):
            english = str(words).lower()
        if english in stored.lower() or str(words).lower() in cause.lower():
            return ""
        return f" ({words.lower()})"

    return _CODE_IN_CAUSE.sub(words_for, cause)


def marketplace_number_pending(order) -> bool:
    """Whether the marketplace's order number (its SO…) is not known yet but may still come."""
    return not order.upstream_order_number and order.status in NUMBER_MAY_ARRIVE

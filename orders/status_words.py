"""The marketplace's status codes in plain words, for readers who do not quote them upstream.

Resellers and end customers read "Provisioning licences"; support staff and admins keep
"LO", which is what the distributor asks for. Stored history is never rewritten: only
how it is shown changes, by who reads it.
"""

import re

#: The codes the marketplace documents (docs/upstream.md, "statusCode"), in words.
CODE_WORDS = {
    "SB": "Submitted",
    "AS": "Assigning",
    "LO": "Provisioning licences",
    "CP": "Completed",
    "PF": "Provisioning failed",
    "NP": "No payment method",
    "WP": "Waiting for payment",
    "HL": "On hold",
    "CL": "Cancelled",
}
#: For a code the marketplace has not explained: its status, in words.
STATUS_WORDS = {
    "submitted": "Submitted",
    "processing": "In progress",
    "completed": "Completed",
    "error": "Failed",
    "cancelled": "Cancelled",
}

#: While an order is in one of these, the marketplace's order number may still arrive.
NUMBER_MAY_ARRIVE = {"placed", "submitting", "submitted", "processing", "unknown"}

_UPSTREAM_STATUS_CAUSE = re.compile(r"Upstream status (?P<status>\w*) \((?P<code>[A-Z]{2}|-)\)\.")
_CODE_IN_CAUSE = re.compile(r" \((?P<code>[A-Z]{2})\)")


def marketplace_status_words(status: str, code: str) -> str:
    """Return what the marketplace's (status, code) means, e.g. "Provisioning licences"."""
    if code in CODE_WORDS:
        return CODE_WORDS[code]
    return STATUS_WORDS.get(status, status.capitalize() if status else "Not known yet")


def plain_cause(cause: str) -> str:
    """Return an event's cause with the marketplace's codes put in words."""
    whole = _UPSTREAM_STATUS_CAUSE.fullmatch(cause)
    if whole:
        words = marketplace_status_words(whole["status"], whole["code"])
        return f"The marketplace's status: {words}."

    def words_for(match):
        code = match["code"]
        if code not in CODE_WORDS:
            return match[0]
        words = CODE_WORDS[code]
        # "completed the order (CP)" says it already; the code adds nothing in words.
        return "" if words.lower() in cause.lower() else f" ({words.lower()})"

    return _CODE_IN_CAUSE.sub(words_for, cause)


def marketplace_number_pending(order) -> bool:
    """Whether the marketplace's order number (its SO…) is not known yet but may still come."""
    return not order.upstream_order_number and order.status in NUMBER_MAY_ARRIVE

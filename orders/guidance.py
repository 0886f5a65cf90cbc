"""Turn what the marketplace said into what the reseller should do next, in plain words.

Microsoft's and the marketplace's texts are kept verbatim on the order
(``failure_message``); this module adds the advice shown beside them.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Guidance:
    key: str
    advice: str
    #: True when the order can simply be resubmitted once the advice is followed.
    resubmittable: bool = True


_RULES: list[tuple[re.Pattern, Guidance]] = [
    (
        re.compile(r"\b20002\b|no commerce relationship", re.I),
        Guidance(
            "relationship",
            "The customer's tenant has not accepted the reseller relationship. Send the customer "
            "the "
            "relationship request link, wait until a Global Admin accepts it, then resubmit.",
        ),
    ),
    (
        re.compile(r"\b13605\b|Microsoft Customer Agreement", re.I),
        Guidance(
            "mca",
            "Microsoft has no record that the customer accepted the Microsoft Customer Agreement. "
            "Record who accepted it and when on the customer, or ask them to accept it in the "
            "Microsoft 365 admin center, then resubmit.",
        ),
    ),
    (
        re.compile(r"\b800015\b|MPN Id is not found", re.I),
        Guidance(
            "mpn_not_found",
            "Microsoft does not know your MPN ID. Check the PLA location ID in Partner Center and "
            "correct it in your partner settings, then resubmit.",
        ),
    ),
    (
        re.compile(r"\b800016\b|not a valid Indirect Reseller", re.I),
        Guidance(
            "mpn_not_reseller",
            "Your MPN ID is not registered as an indirect reseller. Use the location ID of your "
            "indirect-reseller account (Partner Center, Account settings) and resubmit.",
        ),
    ),
    (
        re.compile(r"\b900123\b|Partner Agreement has not been accepted", re.I),
        Guidance(
            "mpa",
            "Your company has not accepted the Microsoft Partner Agreement. A Partner Center "
            "global "
            "admin must accept it; then resubmit.",
        ),
    ),
    (
        re.compile(r"\b2002\b|minimum and maximum allowed quantity", re.I),
        Guidance(
            "quantity",
            "The quantity is outside what this plan allows. Place a new order with a quantity "
            "within the plan's minimum and maximum.",
            resubmittable=False,
        ),
    ),
    (
        re.compile(r"\b(900117|800090)\b|cancellation window|cannot be decreased", re.I),
        Guidance(
            "window",
            "The 7-day window for this change has closed. Seats can be reduced only at renewal.",
            resubmittable=False,
        ),
    ),
    (
        re.compile(
            r"already (exists|taken|in use)|not available|domain.*(taken|unavailable)", re.I
        ),
        Guidance(
            "domain_taken",
            "The tenant name is already taken. Place the order again with another "
            ".onmicrosoft.com name, or choose the customer's existing tenant.",
            resubmittable=False,
        ),
    ),
    (
        re.compile(r"already an? .*Order .*in status|conflicting order|same order type", re.I),
        Guidance(
            "conflicting_change",
            "Another change to this subscription is still being processed. Wait until it "
            "completes, then resubmit.",
        ),
    ),
    (
        re.compile(r"ambiguous|more than one product|specify (the )?vendor", re.I),
        Guidance(
            "ambiguous_product",
            "The marketplace could not tell which plan was meant. Contact support with the order "
            "number; the catalogue needs to be synchronised.",
            resubmittable=False,
        ),
    ),
]

GENERIC = Guidance(
    "generic",
    "The marketplace refused the order. Read its message above; if it is not clear, contact "
    "support with the order number and the correlation id.",
)
PROVISIONING_FAILED = Guidance(
    "provisioning_failed",
    "The marketplace could not provision the order and gave no reason through its API. The "
    "reason is in the distributor's reseller control panel; contact support with the "
    "upstream order number.",
)


def guidance_for(message: str | None) -> Guidance:
    """Return the advice for an upstream error ``message`` (the generic advice if unknown)."""
    if not message:
        return PROVISIONING_FAILED
    for pattern, guidance in _RULES:
        if pattern.search(message):
            return guidance
    return GENERIC

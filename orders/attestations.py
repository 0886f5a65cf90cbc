"""The words a buyer accepts, kept word for word on each order as ``Attestation`` rows.

The wizard shows these texts; a channel may send its own wording in
``OrderRequest.attestation_texts`` and then that exact wording is recorded.
"""

from .models import Attestation

DEFAULT_TEXTS = {
    Attestation.Kind.PARTNER_OF_RECORD: (
        "I confirm that my company is the Partner of Record for this customer's "
        "Microsoft subscriptions bought through this order, and that the customer "
        "has authorised us to act for it."
    ),
    Attestation.Kind.CUSTOMER_AGREEMENT: (
        "I confirm that the customer has accepted the Microsoft Customer Agreement "
        "(https://www.microsoft.com/licensing/docs/customeragreement) on the date "
        "given, through the person named."
    ),
    Attestation.Kind.TERMS: (
        "I accept the prices shown and the terms of sale. New-commerce licences can be "
        "cancelled with a prorated refund only within 7 days (168 hours) of purchase."
    ),
}


def attestation_text(kind: str, overrides: dict[str, str]) -> str:
    """Return the exact text shown for ``kind``: the channel's own, or ours."""
    return (overrides.get(kind) or "").strip() or DEFAULT_TEXTS[kind]

"""Turn the wizard's cleaned steps into the one OrderRequest every channel hands to orders."""

from collections.abc import Mapping
from decimal import Decimal

from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation
from orders.requests import AgreementAcceptance, LineRequest, OrderRequest

from .forms.attestation import offer_field_name


def build_order_request(
    *, steps: Mapping[str, Mapping], unit_prices: Mapping[int, Decimal] | None = None
) -> OrderRequest:
    """Return the OrderRequest for ``steps``: each step's cleaned data, keyed by step name.

    Skipped steps are simply absent (no agreement: the MCA is already valid; no
    qualification: "None"). The review step may be absent while the review
    page itself is being shown. ``unit_prices`` (by product id) are the selling prices the
    review page shows for the customer: each line expects its own, else the cart's.
    """
    cart = steps["cart"]["lines"]
    customer = steps["customer"]["customer"]
    tenant = steps["tenant"]
    attestation = steps.get("attestation") or {}
    agreement = steps.get("agreement")
    qualification = steps.get("qualification") or {}
    review = steps.get("review") or {}

    lines = tuple(
        LineRequest(
            product_id=line.product_id,
            quantity=line.quantity,
            expected_unit_price=(
                str(unit_prices[line.product_id])
                if unit_prices and line.product_id in unit_prices
                else line.unit_price
            ),
            offer_attestation_accepted=bool(attestation.get(offer_field_name(line.product_id))),
        )
        for line in cart
    )
    texts = {
        Attestation.Kind.PARTNER_OF_RECORD.value: DEFAULT_TEXTS[Attestation.Kind.PARTNER_OF_RECORD]
    }
    if agreement:
        texts[Attestation.Kind.CUSTOMER_AGREEMENT.value] = DEFAULT_TEXTS[
            Attestation.Kind.CUSTOMER_AGREEMENT
        ]
    if review.get("terms"):
        texts[Attestation.Kind.TERMS.value] = DEFAULT_TEXTS[Attestation.Kind.TERMS]
    return OrderRequest(
        customer_id=customer.pk,
        lines=lines,
        tenant_preference=tenant["tenant_preference"],
        microsoft_domain=tenant.get("microsoft_domain", ""),
        microsoft_tenant_id=tenant.get("microsoft_tenant_id", ""),
        partner_of_record_accepted=bool(attestation.get("partner_of_record")),
        agreement=(
            AgreementAcceptance(
                first_name=agreement["first_name"],
                last_name=agreement["last_name"],
                email=agreement["email"],
                accepted_on=agreement["accepted_on"],
            )
            if agreement
            else None
        ),
        special_qualification=qualification.get("special_qualification") or "None",
        education_segment=qualification.get("education_segment") or "",
        po_number=review.get("po_number", ""),
        terms_accepted=bool(review.get("terms")),
        attestation_texts=texts,
    )

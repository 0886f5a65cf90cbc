"""The NCE activation parameters of an order, under the exact names the marketplace reads.

Order-level parameters (``line=None``) are sent on every product line;
``offer_attestation`` belongs to the lines whose product needs it.
"""

from .checks import needs_agreement
from .requests import OrderRequest

TENANT_PREFERENCE = "tenant_preference"
MICROSOFT_DOMAIN = "microsoft_domain"
MICROSOFT_TENANT_ID = "microsoft_tenant_id"
PARTNER_OF_RECORD = "partner_on_record_attestation_accepted"
MCA_ACCEPTANCE = "mca_acceptance"
AGREEMENT_DATE = "agreement_date"
AGREEMENT_FIRST_NAME = "first_name_agreement"
AGREEMENT_LAST_NAME = "last_name_agreement"
AGREEMENT_EMAIL = "email_address_agreement"
SPECIAL_QUALIFICATIONS = "special_qualifications"
EDUCATION_SEGMENT = "education_segment"
OFFER_ATTESTATION = "offer_attestation"

#: The marketplace wants the agreement date as MM-DD-YYYY.
AGREEMENT_DATE_FORMAT = "%m-%d-%Y"


def order_parameters(request: OrderRequest, customer) -> list[dict]:
    """Return the order-level parameters, each with a ``value`` or a ``structured_value``."""
    params = [{"name": TENANT_PREFERENCE, "value": request.tenant_preference}]
    if request.microsoft_domain:
        params.append({"name": MICROSOFT_DOMAIN, "value": request.microsoft_domain.strip().lower()})
    if request.microsoft_tenant_id:
        params.append({"name": MICROSOFT_TENANT_ID, "value": request.microsoft_tenant_id.strip()})
    params.append({"name": PARTNER_OF_RECORD, "structured_value": {"attestation_accepted": True}})
    if needs_agreement(request, customer) and request.agreement is not None:
        agreement = request.agreement
        params += [
            {"name": MCA_ACCEPTANCE, "value": "yes"},
            {
                "name": AGREEMENT_DATE,
                "value": agreement.accepted_on.strftime(AGREEMENT_DATE_FORMAT),
            },
            {"name": AGREEMENT_FIRST_NAME, "value": agreement.first_name.strip()},
            {"name": AGREEMENT_LAST_NAME, "value": agreement.last_name.strip()},
            {"name": AGREEMENT_EMAIL, "value": agreement.email.strip()},
        ]
    params.append(
        {"name": SPECIAL_QUALIFICATIONS, "value": request.special_qualification or "None"}
    )
    if request.special_qualification == "Education" and request.education_segment:
        params.append({"name": EDUCATION_SEGMENT, "value": request.education_segment})
    return params


def offer_attestation_parameter(accepted: bool) -> dict:
    return {"name": OFFER_ATTESTATION, "structured_value": {"attestation_accepted": bool(accepted)}}

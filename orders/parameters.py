"""The NCE activation parameters of an order: the one place the order body's parameters are made.

Every name and value here comes from seed 004 (the Marketplace API order guide) or
the upstream notes; docs/upstream.md lists each with its source. The request speaks
the product's vocabulary (Partner Center's qualification names, ``K12``/
``HigherEducation``); this module translates it to the marketplace's.

Order-level parameters (``line=None``) are sent on every product line;
``offer_attestation`` is sent on every line, with its own verdict per product.
"""

import dataclasses

import rules
from rules.qualification import STATE_OWNED_ENTITY

from .company import company_details_clean
from .requests import CompanyDetails, LineRequest, OrderRequest

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
COMPANY_ADDRESS = "effective_address"
COMPANY_CITY = "effective_city"
COMPANY_STATE = "effective_state"
COMPANY_POSTAL_CODE = "effective_postal_code"
COMPANY_COUNTRY = "effective_country"
COMPANY_PHONE = "effective_phonenumber"
COMPANY_NAME = "customer_company_name"
COMPANY_EMAIL = "customer_email"

#: Seed 004: "only required if the company information did not pass Microsoft's validation";
#: each parameter and the CompanyDetails field it carries.
COMPANY_PARAMETERS = {
    COMPANY_ADDRESS: "street_address",
    COMPANY_CITY: "city",
    COMPANY_STATE: "state",
    COMPANY_POSTAL_CODE: "postal_code",
    COMPANY_COUNTRY: "country",
    COMPANY_PHONE: "phone",
    COMPANY_NAME: "company_name",
    COMPANY_EMAIL: "email",
}

#: The agreement parameters, all sent together or none (seed 004).
AGREEMENT_PARAMETERS = (
    MCA_ACCEPTANCE,
    AGREEMENT_DATE,
    AGREEMENT_FIRST_NAME,
    AGREEMENT_LAST_NAME,
    AGREEMENT_EMAIL,
)

#: The marketplace wants the agreement date as MM-DD-YYYY (seed 004, "agreement_date").
AGREEMENT_DATE_FORMAT = "%m-%d-%Y"

#: Seed 004: special_qualifications is "None" or "soe", nothing else.
QUALIFICATION_NONE = "None"
QUALIFICATION_SOE = "soe"


def upstream_qualification(qualification: str) -> str:
    """Return the marketplace's ``special_qualifications`` value for a request's qualification.

    Only a state-owned entity is qualified through this parameter (seed 004). An
    education customer is ``None`` here: its segment travels in ``education_segment``.
    """
    try:
        name = rules.normalise_qualification(qualification)
    except rules.RuleViolation:
        name = QUALIFICATION_NONE
    return QUALIFICATION_SOE if name == STATE_OWNED_ENTITY else QUALIFICATION_NONE


def order_parameters(request: OrderRequest) -> list[dict]:
    """Return the order-level parameters, each with a ``value`` or a ``structured_value``.

    The agreement goes with the order whenever the request carries one: a new
    tenant always needs it, and an existing tenant needs it when the marketplace
    says its MCA is not in place (seed 004, "mca_acceptance"; seed 001 step 9).
    """
    params = [{"name": TENANT_PREFERENCE, "value": request.tenant_preference}]
    if request.microsoft_domain:
        params.append({"name": MICROSOFT_DOMAIN, "value": request.microsoft_domain.strip().lower()})
    if request.microsoft_tenant_id:
        params.append({"name": MICROSOFT_TENANT_ID, "value": request.microsoft_tenant_id.strip()})
    params.append(
        {
            "name": PARTNER_OF_RECORD,
            "structured_value": {"attestation_accepted": bool(request.partner_of_record_accepted)},
        }
    )
    if request.agreement is not None:
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
    qualification = upstream_qualification(request.special_qualification)
    params.append({"name": SPECIAL_QUALIFICATIONS, "value": qualification})
    segment = _education_segment(request)
    if segment:
        params.append({"name": EDUCATION_SEGMENT, "value": segment})
    if request.company is not None:
        params += company_parameters(request.company)
    return params


def company_parameters(company: CompanyDetails) -> list[dict]:
    """Return seed 004's company parameters for ``company``, every one of them, each value in
    the form its rule gives it (an E.164 phone number, an upper-case country code)."""
    given = dataclasses.asdict(company)
    cleaned, _ = company_details_clean(given)
    return [
        {"name": name, "value": str(cleaned.get(field, given[field])).strip()}
        for name, field in COMPANY_PARAMETERS.items()
    ]


def _education_segment(request: OrderRequest) -> str:
    try:
        return rules.check_education_segment(
            request.education_segment, qualification=request.special_qualification
        )
    except rules.RuleViolation:
        return ""


def line_parameters(line: LineRequest, product) -> list[dict]:
    """Return the parameters of one line: its ``offer_attestation`` (seed 004, every line).

    A product that needs no attestation is sent ``false``, as seed 004's example does
    for "an item that does not require offer attestation".
    """
    accepted = bool(product.offer_attestation_required and line.offer_attestation_accepted)
    return [offer_attestation_parameter(accepted)]


def offer_attestation_parameter(accepted: bool) -> dict:
    return {"name": OFFER_ATTESTATION, "structured_value": {"attestation_accepted": bool(accepted)}}

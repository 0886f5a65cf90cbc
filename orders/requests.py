"""The order request: everything needed to place one order, from any channel.

The wizard, the self-service wizard and the JSON API each build an
``OrderRequest`` and hand it to ``orders.services.order_place``; nothing else
creates sales orders.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int
    #: The unit price the buyer saw at review; placing fails if it changed since.
    expected_unit_price: str | None = None
    #: True when the buyer accepted this product's offer attestation (only
    #: products with ``offer_attestation_required`` need it).
    offer_attestation_accepted: bool = False


@dataclass(frozen=True)
class AgreementAcceptance:
    """Who accepted the Microsoft Customer Agreement for the customer, and when."""

    first_name: str
    last_name: str
    email: str
    accepted_on: date


@dataclass(frozen=True)
class CompanyDetails:
    """The customer's company as Microsoft should know it, sent when Microsoft could not
    validate the company information on record (seed 004, the ``effective_*``,
    ``customer_company_name`` and ``customer_email`` parameters)."""

    company_name: str
    email: str
    street_address: str
    city: str
    state: str
    postal_code: str
    #: ISO 3166 alpha-2, e.g. "US".
    country: str
    phone: str


@dataclass(frozen=True)
class OrderRequest:
    customer_id: int
    lines: tuple[LineRequest, ...]
    #: "new" (a new .onmicrosoft.com tenant) or "existing".
    tenant_preference: str
    #: The full *.onmicrosoft.com domain; may be empty for an existing tenant given by id.
    microsoft_domain: str = ""
    #: The tenant GUID of an existing tenant, instead of or beside the domain.
    microsoft_tenant_id: str = ""
    partner_of_record_accepted: bool = False
    #: Required for a new tenant; None for an existing tenant whose MCA the marketplace
    #: says is in place (orders.readiness asks it).
    agreement: AgreementAcceptance | None = None
    #: "None", "StateOwnedEntity" or "Education" (PC's SpecialQualification names);
    #: orders.parameters translates them to the marketplace's "None"/"soe".
    special_qualification: str = "None"
    #: "K12" or "HigherEducation" with special_qualification == "Education".
    education_segment: str = ""
    po_number: str = ""
    terms_accepted: bool = False
    #: Only when Microsoft refused the company information on record (seed 004).
    company: CompanyDetails | None = None
    #: The exact texts shown for each attestation, keyed by Attestation.Kind
    #: (offer texts come from the products themselves).
    attestation_texts: dict[str, str] = field(default_factory=dict)
    #: Co-terming (orders.coterming): the id of the customer's subscription whose end date the
    #: new subscriptions take, or the end of a calendar month; neither leaves them on their term.
    coterm_subscription_id: int | None = None
    coterm_end_of_month: bool = False

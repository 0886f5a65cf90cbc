"""What integrators send: typed schemas (the OpenAPI document is made from them).

The schemas check the shape (types, lengths, known fields) and call the same
``rules`` functions as the wizard's forms where a value can be judged on its
own (tenant preference, agreement date, qualification, education segment).
What depends on the reseller, the customer or the products is decided by
``orders.readiness``, as for the wizard.
"""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from django.core import signing
from django.utils.translation import gettext_lazy as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

import rules
from catalog.models import Period, Product, Segment
from orders.attestations import DEFAULT_TEXTS
from orders.checks import RequestRows
from orders.models import Attestation, Order
from orders.requests import AgreementAcceptance, CompanyDetails, LineRequest, OrderRequest

from .problems import ApiError, field_error

#: Largest id PostgreSQL's bigint holds; larger numbers are refused before any query.
MAX_ID = 2**63 - 1
#: Largest quantity a PostgreSQL integer column holds.
MAX_QUANTITY = 2**31 - 1
MAX_LINES = 100
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
CURSOR_SALT = "api.cursor"
PRICE_MESSAGE = 'Give the unit price you expect as a string, e.g. "12.50".'


def _rule(check, **kwargs):
    """Return a validator that runs a ``rules`` check and reports its message unchanged."""

    def validate(value):
        try:
            return check(value, **kwargs)
        except rules.RuleViolation as violation:
            raise PydanticCustomError("rule", "{message}", {"message": violation.message}) from None

    return AfterValidator(validate)


def _plain_text(value: str) -> str:
    """Refuse what no database column should hold (control characters, lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("text", "Remove the invalid characters from this text.") from None
    if any(ord(c) < 32 and c != "\t" for c in value):
        raise PydanticCustomError("text", "Remove the control characters from this text.")
    return value.strip()


def _price(value: str) -> str:
    text = value.strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite() or price < 0:
        raise PydanticCustomError("price", PRICE_MESSAGE)
    return text


def Text(max_length: int, **field):  # noqa: N802 (reads as a type)
    return Annotated[
        str,
        StringConstraints(max_length=max_length),
        AfterValidator(_plain_text),
        Field(**field),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID, description="A whole number, 1 or more.")]
PeriodCode = Literal[tuple(Period.values)]


class Strict(BaseModel):
    """A request body: unknown fields are refused, and no type is guessed ("3" is not 3)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class LineIn(Strict):
    product_id: Id | None = Field(None, description="The product's id; or give mpn.")
    mpn: Text(64, description="The product's MPN, with term and billing.") | None = None
    term: PeriodCode | None = None
    billing: PeriodCode | None = None
    quantity: int = Field(ge=1, le=MAX_QUANTITY, description="Seats, within the product's range.")
    expected_unit_price: (
        Annotated[
            str,
            StringConstraints(max_length=20),
            AfterValidator(_price),
            Field(
                description="The unit price you expect; the order is refused if it changed.",
                examples=["12.50"],
            ),
        ]
        | None
    ) = None
    offer_attestation_accepted: bool | None = Field(
        None, description="Needed on products with offer_attestation_required."
    )

    @model_validator(mode="after")
    def _one_product(self):
        if (self.mpn is None) == (self.product_id is None):
            raise PydanticCustomError(
                "line", "Give either mpn (with term and billing) or product_id."
            )
        if self.mpn is not None and not (self.term and self.billing):
            raise PydanticCustomError(
                "line", "A line given by mpn also needs its term and billing."
            )
        return self


class TenantIn(Strict):
    preference: Annotated[
        str,
        StringConstraints(max_length=20),
        _rule(rules.check_tenant_preference),
        Field(description='"new" (a new .onmicrosoft.com tenant) or "existing".'),
    ]
    domain: Text(255, description="The tenant's *.onmicrosoft.com domain.") | None = None
    tenant_id: Text(64, description="An existing tenant's id (a GUID).") | None = None


class AgreementIn(Strict):
    """The Microsoft Customer Agreement acceptance: who accepted it for the customer, and when."""

    first_name: Text(50)
    last_name: Text(50)
    email: Text(254)
    accepted_on: Annotated[
        str,
        StringConstraints(max_length=10),
        _rule(rules.check_agreement_date),
        Field(
            description="MM-DD-YYYY, not in the future.",
            examples=["01-31-2026"],
            # Documented only: rules.check_agreement_date judges it, with its own words.
            json_schema_extra={"pattern": r"^\d{2}-\d{2}-\d{4}$"},
        ),
    ]


class CompanyIn(Strict):
    """Seed 004's company details: send them only when the marketplace refused an order because
    Microsoft did not validate the customer's company information. Each becomes one of the
    ``effective_*``, ``customer_company_name`` and ``customer_email`` parameters."""

    company_name: Text(255, description="customer_company_name: the company's full name.")
    email: Text(254, description="customer_email: not @microsoft.com, not your own domain.")
    street_address: Text(200, description="effective_address.")
    city: Text(100, description="effective_city.")
    state: Text(100, description="effective_state: two letters in the US and Canada.") = ""
    postal_code: Text(20, description="effective_postal_code.")
    country: Text(2, description="effective_country: two letters, e.g. US.")
    phone: Text(40, description="effective_phonenumber.")


class CotermIn(Strict):
    subscription_id: Id | None = Field(
        None, description="End with this active subscription of the customer (its id here)."
    )
    end_of_month: bool = Field(False, description="End at the end of a calendar month instead.")


class OrderIn(Strict):
    customer_id: Id
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    tenant: TenantIn
    partner_of_record_accepted: bool | None = None
    agreement: AgreementIn | None = Field(
        None, description="Needed for a new tenant or a customer with no valid MCA on record."
    )
    special_qualification: (
        Annotated[
            str,
            StringConstraints(max_length=40),
            _rule(rules.normalise_qualification),
            Field(description='"None", "StateOwnedEntity" or "Education".'),
        ]
        | None
    ) = None
    education_segment: (
        Annotated[
            str,
            StringConstraints(max_length=20),
            Field(description='"K12" or "HigherEducation", with the Education qualification.'),
        ]
        | None
    ) = None
    po_number: (
        Text(
            rules.PO_NUMBER_MAX_LENGTH,
            description=(
                "The reseller's purchase order number: letters, digits, spaces and - _ / . #; "
                "it travels whole in the marketplace's poNumber after our reference."
            ),
        )
        | None
    ) = None
    terms_accepted: bool | None = None
    company: CompanyIn | None = Field(
        None,
        description="Only when Microsoft did not validate the customer's company information.",
    )
    coterm: CotermIn | None = Field(
        None,
        description=(
            "Co-terming: align the new subscriptions' end with an existing subscription or a "
            "month's end, where each product's coterming rule allows it (MANDATORY requires it)."
        ),
    )

    @field_validator("po_number")
    @classmethod
    def _po_number(cls, value):
        try:
            return rules.check_po_number(value) if value is not None else None
        except rules.RuleViolation as violation:
            raise PydanticCustomError("rule", "{message}", {"message": violation.message}) from None

    @field_validator("education_segment")
    @classmethod
    def _education_segment(cls, value, info):
        qualification = info.data.get("special_qualification") or "None"
        try:
            return rules.check_education_segment(value, qualification=qualification)
        except rules.RuleViolation as violation:
            raise PydanticCustomError("rule", "{message}", {"message": violation.message}) from None


# Query strings


class Paging(BaseModel):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
    cursor: Annotated[
        str, StringConstraints(max_length=200), Field(description="A previous next_cursor.")
    ] = ""

    @field_validator("cursor")
    @classmethod
    def _signed(cls, value):
        if not value:
            return value
        try:
            after = signing.loads(value, salt=CURSOR_SALT)
        except signing.BadSignature:
            after = None
        if not isinstance(after, int) or isinstance(after, bool):
            raise PydanticCustomError(
                "cursor", "Use the next_cursor of a previous page, unchanged."
            )
        return value

    def after(self) -> int | None:
        return signing.loads(self.cursor, salt=CURSOR_SALT) if self.cursor else None


def make_cursor(last_id: int) -> str:
    return signing.dumps(last_id, salt=CURSOR_SALT)


SearchText = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(lambda v: " ".join(v.replace("\x00", "").split())[:100]),
]


class ProductFilters(Paging):
    segment: Literal[tuple(Segment.values)] = Segment.COMMERCIAL.value
    term: PeriodCode | None = None
    billing: PeriodCode | None = None
    q: SearchText = Field("", description="An MPN prefix or a word of the name.")
    customer_id: Id | None = Field(
        None,
        description=(
            "Price for this customer of yours (its own price-book rules as well); without it, "
            "the price for any customer."
        ),
    )


class CustomerFilters(Paging):
    q: SearchText = Field(
        "", description="Company name, tenant domain (from its start) or marketplace customer id."
    )


class OrderFilters(Paging):
    status: Literal[tuple(Order.Status.values)] | None = None
    customer_id: Id | None = None


# From the body to the order request


def order_request(payload: OrderIn, rows: RequestRows | None = None) -> OrderRequest:
    """Return the OrderRequest ``payload`` describes, as the wizard would build it.

    Raises ApiError 422 for a product that is not sold. ``rows`` is told the products
    found, so the checks and the placement after this do not read them again.
    """
    agreement = payload.agreement
    terms = bool(payload.terms_accepted)
    texts = {
        Attestation.Kind.PARTNER_OF_RECORD.value: DEFAULT_TEXTS[Attestation.Kind.PARTNER_OF_RECORD]
    }
    if agreement is not None:
        texts[Attestation.Kind.CUSTOMER_AGREEMENT.value] = DEFAULT_TEXTS[
            Attestation.Kind.CUSTOMER_AGREEMENT
        ]
    if terms:
        texts[Attestation.Kind.TERMS.value] = DEFAULT_TEXTS[Attestation.Kind.TERMS]
    return OrderRequest(
        customer_id=payload.customer_id,
        lines=_resolve_products(payload.lines, rows),
        tenant_preference=payload.tenant.preference,
        microsoft_domain=payload.tenant.domain or "",
        microsoft_tenant_id=payload.tenant.tenant_id or "",
        partner_of_record_accepted=bool(payload.partner_of_record_accepted),
        agreement=(
            AgreementAcceptance(
                first_name=agreement.first_name,
                last_name=agreement.last_name,
                email=agreement.email,
                accepted_on=rules.check_agreement_date(agreement.accepted_on),
            )
            if agreement is not None
            else None
        ),
        special_qualification=payload.special_qualification or "None",
        education_segment=payload.education_segment or "",
        po_number=payload.po_number or "",
        terms_accepted=terms,
        company=CompanyDetails(**payload.company.model_dump()) if payload.company else None,
        attestation_texts=texts,
        coterm_subscription_id=payload.coterm.subscription_id if payload.coterm else None,
        coterm_end_of_month=bool(payload.coterm and payload.coterm.end_of_month),
    )


def _resolve_products(lines: list[LineIn], rows: RequestRows | None) -> tuple[LineRequest, ...]:
    """Find each line's product by id or by MPN, term and billing; 422 for any not sold."""
    errors, resolved, products = [], [], []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        product, problem = _line_product(line, field)
        if problem:
            errors.append(problem)
            continue
        products.append(product)
        resolved.append(
            LineRequest(
                product_id=product.pk,
                quantity=line.quantity,
                expected_unit_price=line.expected_unit_price,
                offer_attestation_accepted=bool(line.offer_attestation_accepted),
            )
        )
    if errors:
        raise ApiError(422, _("Some lines name no product that is sold."), errors=errors)
    if rows is not None:
        rows.know(products=products)
    return tuple(resolved)


def _line_product(line: LineIn, field: str):
    if line.product_id is not None:
        product = Product.objects.active().filter(pk=line.product_id).first()
        if product is None:
            return None, field_error(f"{field}.product_id", _("No product with this id is sold."))
        for name, attribute in (("term", "term"), ("billing", "billing_period")):
            given, sold = getattr(line, name), getattr(product, attribute)
            if given and given != sold:
                return None, field_error(
                    f"{field}.{name}",
                    _("Product %(product)s is sold with %(name)s %(sold)s, not %(given)s.")
                    % {"product": product.pk, "name": name, "sold": sold, "given": given},
                )
        return product, None
    matches = list(
        Product.objects.active().filter(mpn=line.mpn, term=line.term, billing_period=line.billing)[
            :2
        ]
    )
    if not matches:
        return None, field_error(
            f"{field}.mpn",
            _("No product %(mpn)s is sold with term %(term)s and billing %(billing)s.")
            % {"mpn": line.mpn, "term": line.term, "billing": line.billing},
        )
    if len(matches) > 1:
        return None, field_error(
            f"{field}.mpn",
            _("%(mpn)s names more than one product; give its product_id instead.")
            % {"mpn": line.mpn},
        )
    return matches[0], None

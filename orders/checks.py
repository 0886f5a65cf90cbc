"""Check a whole order request against what we know, all at once.

``request_problems`` is what ``order_place`` revalidates before it creates an
order; ``orders.readiness`` adds the checks that need the marketplace. Each
problem names the request field it concerns, what to do about it and the
wizard step where it is fixed. The rules themselves live in ``rules``.
"""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rules
from catalog.models import Product
from catalog.money import format_money
from customers.models import Customer
from pricing.selectors import ResolvedPrice, price_resolve_many

from .company import company_details_clean
from .coterming import MANDATORY, coterm_problems
from .requests import OrderRequest
from .upstream_mapping import coterm_target

STEPS = (
    "cart",
    "customer",
    "partner",
    "tenant",
    "attestation",
    "agreement",
    "qualification",
    "review",
)


COMPANY_FIX = _("Give the customer's company details as the customer uses them.")
GOVERNMENT_EXISTING_MESSAGE = _(
    "Microsoft does not provision these offers to an existing government tenant: "
    "order them for a new tenant."
)


@dataclass(frozen=True)
class Problem:
    """One thing that stops the order, in words the buyer can act on."""

    field: str
    message: str
    fix: str
    step: str

    def as_pair(self) -> tuple[str, str]:
        return (self.field, self.message)


def needs_agreement(request: OrderRequest, customer: Customer | None = None) -> bool:
    """Return True when the order must carry the MCA acceptance whatever the marketplace says.

    A new tenant always needs it (seed 004, "mca_acceptance"). For an existing
    tenant only the marketplace knows whether the MCA is in place (seed 001 step
    9): ``orders.readiness`` asks it, and our own history is never taken as proof.
    """
    return request.tenant_preference == "new"


def request_customer(request: OrderRequest, reseller) -> Customer | None:
    return Customer.objects.filter(pk=request.customer_id, reseller=reseller).first()


def request_products(request: OrderRequest) -> dict[int, Product]:
    return Product.objects.in_bulk([line.product_id for line in request.lines])


class RequestRows:
    """The customers and products order requests name, each read once.

    Checking, asking the marketplace and placing all need them; one of these
    handed along within a web request keeps it from reading the same rows again.
    """

    def __init__(self, reseller):
        self.reseller = reseller
        self._customers = {}
        self._products = {}
        self._prices = {}

    def know(self, *, customer: Customer | None = None, products=(), prices=None) -> None:
        """Take rows the caller has already read (the reseller's own customer, products),
        and the prices it resolved for that customer and those products."""
        if customer is not None and customer.reseller_id == self.reseller.pk:
            self._customers[customer.pk] = customer
        known = {product.pk: product for product in products}
        if known:
            self._products[tuple(sorted(known))] = known
        if prices and customer is not None and set(prices) == set(known):
            self._prices[(customer.pk, tuple(sorted(known)))] = prices

    def customer(self, request: OrderRequest) -> Customer | None:
        if request.customer_id not in self._customers:
            self._customers[request.customer_id] = request_customer(request, self.reseller)
        return self._customers[request.customer_id]

    def products(self, request: OrderRequest) -> dict[int, Product]:
        ids = tuple(sorted({line.product_id for line in request.lines}))
        if ids not in self._products:
            self._products[ids] = request_products(request)
        return self._products[ids]

    def prices(self, request: OrderRequest) -> dict[int, ResolvedPrice]:
        """The reseller's selling prices of the request's products for its customer."""
        products = self.products(request)
        key = (request.customer_id, tuple(sorted(products)))
        if key not in self._prices:
            self._prices[key] = price_resolve_many(
                reseller=self.reseller,
                customer=self.customer(request),
                products=products.values(),
            )
        return self._prices[key]


def request_problems(*, request: OrderRequest, reseller, rows=None) -> list[Problem]:
    """Return every problem of ``request`` that can be seen without asking the marketplace."""
    rows = rows or RequestRows(reseller)
    products = rows.products(request)
    problems = []
    if reseller.tier_status == reseller.TierStatus.INQUIRING:
        problems.append(
            Problem(
                "partner",
                _("Your partner details are not confirmed: %(reason)s.")
                % {"reason": reseller.tier_reason or "INQUIRING"},
                _("Check your MPN ID and indirect-reseller tenant domain."),
                "partner",
            )
        )
    customer = rows.customer(request)
    if customer is None:
        problems.append(
            Problem(
                "customer_id",
                _("This customer does not exist or is not one of yours."),
                _("Choose one of your customers or create a new one."),
                "customer",
            )
        )
        return problems + _line_problems(request, products, rows.prices(request))
    return (
        problems
        + _line_problems(request, products, rows.prices(request))
        + _tenant_problems(request, customer, products)
        + _attestation_problems(request)
        + _agreement_problems(request, customer, reseller)
        + _coterm_problems(request, customer, products)
        + _qualification_problems(request, customer, products)
        + _company_problems(request, reseller)
    )


def _company_problems(request: OrderRequest, reseller) -> list[Problem]:
    """Seed 004's company details, when the request carries them, checked field by field."""
    if request.company is None:
        return []
    _, violations = company_details_clean(
        dataclasses.asdict(request.company),
        reseller_domain=reseller.staff_email_domain,
        prefix="company.",
    )
    return [Problem(v.field, v.message, COMPANY_FIX, "company") for v in violations]


def _line_problems(request: OrderRequest, products, prices) -> list[Problem]:
    if not request.lines:
        return [Problem("lines", _("The cart is empty."), _("Add a plan to the cart."), "cart")]
    problems = []
    seen = set()
    for index, line in enumerate(request.lines):
        field = f"lines[{index}]"
        product = products.get(line.product_id)
        if product is None or not product.active:
            problems.append(
                Problem(
                    f"{field}.product_id",
                    _("This plan is no longer sold."),
                    _("Remove it from the cart and choose a current plan."),
                    "cart",
                )
            )
            continue
        if product.pk in seen:
            problems.append(
                Problem(
                    f"{field}.product_id",
                    _("%(product)s is in the cart twice.") % {"product": product.name},
                    _("Keep one line and set its quantity."),
                    "cart",
                )
            )
        seen.add(product.pk)
        problems += _rule_problems(
            lambda p=product, q=line.quantity, f=field: rules.check_quantity(
                q, minimum=p.minimum_quantity, maximum=p.maximum_quantity, field=f"{f}.quantity"
            ),
            _("Change the quantity in the cart."),
            "cart",
        )
        problems += _rule_problems(
            lambda p=product, f=field: rules.check_billing_period(
                p.billing_period, term=p.term, field=f"{f}.product_id"
            ),
            _("Choose the plan with a billing frequency its term allows."),
            "cart",
        )
        problems += _price_problems(line, product, prices[product.pk].price, field)
        if product.offer_attestation_required and not line.offer_attestation_accepted:
            problems.append(
                Problem(
                    f"{field}.offer_attestation_accepted",
                    _("%(product)s can only be bought with its offer attestation accepted.")
                    % {"product": product.name},
                    _("Read and accept the offer attestation."),
                    "attestation",
                )
            )
    return problems


def _price_problems(line, product, price, field) -> list[Problem]:
    if line.expected_unit_price in (None, ""):
        return []
    try:
        expected = Decimal(str(line.expected_unit_price))
    except InvalidOperation:
        return [
            Problem(
                f"{field}.expected_unit_price",
                _("The price shown could not be read."),
                _("Review the cart again."),
                "review",
            )
        ]
    if expected == price:
        return []
    return [
        Problem(
            f"{field}.expected_unit_price",
            _("The price of %(product)s changed from %(old)s to %(new)s.")
            % {
                "product": product.name,
                "old": format_money(expected, product.currency),
                "new": format_money(price, product.currency),
            },
            _("Review the new price and buy again."),
            "review",
        )
    ]


def _tenant_problems(request: OrderRequest, customer: Customer, products) -> list[Problem]:
    fix = _("Choose a new tenant name or the customer's existing tenant.")
    problems = _rule_problems(
        lambda: rules.check_tenant_preference(request.tenant_preference), fix, "tenant"
    )
    if problems:
        return problems
    if request.tenant_preference == "new":
        if customer.has_tenant:
            problems.append(
                Problem(
                    "tenant_preference",
                    _("%(customer)s already has the tenant %(tenant)s.")
                    % {
                        "customer": customer.company_name,
                        "tenant": customer.tenant_domain or customer.tenant_id,
                    },
                    _("Choose its existing tenant."),
                    "tenant",
                )
            )
        domain = request.microsoft_domain.strip().lower()
        if domain and not domain.endswith(rules.ONMICROSOFT_SUFFIX):
            problems.append(
                Problem(
                    "microsoft_domain",
                    _("A new tenant's domain ends in .onmicrosoft.com."),
                    fix,
                    "tenant",
                )
            )
        else:
            problems += _rule_problems(
                lambda: rules.check_tenant_prefix(domain, field="microsoft_domain"), fix, "tenant"
            )
        for segment in sorted({p.segment for p in products.values()}):
            problems += _rule_problems(
                lambda s=segment: rules.check_new_tenant_allowed(s),
                _("Choose the customer's existing tenant."),
                "tenant",
            )
        return problems
    if "government" in {p.segment for p in products.values()}:
        # Seed 002, useful links: Microsoft does not provision these to existing government
        # tenants; a government customer gets a new tenant, as in the commercial workflow.
        return [
            Problem(
                "tenant_preference",
                GOVERNMENT_EXISTING_MESSAGE,
                _("Choose a new tenant and give it a name."),
                "tenant",
            )
        ]
    if not (request.microsoft_domain or request.microsoft_tenant_id):
        return [
            Problem(
                "microsoft_domain",
                _("Give the existing tenant's domain or tenant ID."),
                fix,
                "tenant",
            )
        ]
    if request.microsoft_domain:
        problems += _rule_problems(
            lambda: rules.check_existing_tenant(request.microsoft_domain), fix, "tenant"
        )
    if request.microsoft_tenant_id:
        problems += _rule_problems(
            lambda: rules.check_tenant_id(request.microsoft_tenant_id), fix, "tenant"
        )
    return problems


def _attestation_problems(request: OrderRequest) -> list[Problem]:
    problems = []
    if not request.partner_of_record_accepted:
        problems.append(
            Problem(
                "partner_of_record_accepted",
                _("The Partner of Record attestation is required."),
                _("Read and accept the Partner of Record attestation."),
                "attestation",
            )
        )
    if not request.terms_accepted:
        problems.append(
            Problem(
                "terms_accepted",
                _("Accept the prices and terms of sale to buy."),
                _("Tick the terms box on the review page."),
                "review",
            )
        )
    return problems


def _coterm_problems(request: OrderRequest, customer: Customer, products) -> list[Problem]:
    target = coterm_target(request, customer)
    if request.coterm_subscription_id is not None and target is None:
        message = str(_("That subscription is not an active subscription of this customer."))
        fix = str(_("Choose one of its active subscriptions."))
        return [Problem("coterm", message, fix, "review")]
    aligned = target is not None or request.coterm_end_of_month
    if not aligned and all(p.coterming_required != MANDATORY for p in products.values()):
        return []  # nothing to check, and no query for it
    active = list(customer.subscriptions.filter(status="active"))
    today = timezone.localdate()
    return [
        Problem("coterm", str(message), str(_("Choose how the new subscription ends.")), "review")
        for product in products.values()
        for message in coterm_problems(
            product=product,
            target=target,
            end_of_month=request.coterm_end_of_month,
            customer_subscriptions=active,
            today=today,
        )
    ]


def _agreement_problems(request: OrderRequest, customer: Customer, reseller) -> list[Problem]:
    agreement = request.agreement
    fix = _("Give the name, e-mail and date of the person who accepted the agreement.")
    if agreement is None:
        if not needs_agreement(request, customer):
            return []
        return [
            Problem(
                "agreement",
                _("The customer's acceptance of the Microsoft Customer Agreement is required."),
                fix,
                "agreement",
            )
        ]
    problems = []
    for part, value in (("first_name", agreement.first_name), ("last_name", agreement.last_name)):
        problems += _rule_problems(
            lambda p=part, v=value: rules.check_contact_name(v, field=f"agreement.{p}"),
            fix,
            "agreement",
        )
    problems += _rule_problems(
        lambda: rules.check_email(
            agreement.email,
            reseller_domain=reseller.staff_email_domain or None,
            field="agreement.email",
        ),
        fix,
        "agreement",
    )
    problems += _rule_problems(
        lambda: rules.check_agreement_date(agreement.accepted_on, field="agreement.accepted_on"),
        fix,
        "agreement",
    )
    return problems


def _qualification_problems(request: OrderRequest, customer: Customer, products) -> list[Problem]:
    fix = _("Choose the qualification that applies to the customer.")
    wanted = request.special_qualification
    for segment in sorted({p.segment for p in products.values()}):
        problems = _rule_problems(
            lambda s=segment: rules.check_special_qualification(wanted, segment=s),
            fix,
            "qualification",
        )
        if problems:
            return problems
    problems = _rule_problems(
        lambda: rules.check_education_segment(request.education_segment, qualification=wanted),
        fix,
        "qualification",
    )
    if rules.normalise_qualification(wanted) != "None":
        # "None" asks for nothing new; a qualification already held stays as it is.
        problems += _rule_problems(
            lambda: rules.check_qualification_change(customer.qualification, wanted),
            _("Keep the customer's current qualification."),
            "qualification",
        )
    return problems


def _rule_problems(check, fix, step) -> list[Problem]:
    """Run one rules-package check and turn its violation into a problem at its field."""
    try:
        check()
    except rules.RuleViolation as violation:
        return [Problem(violation.field, message, fix, step) for message in violation.messages]
    return []

"""What the wizard asks of the marketplace while the reseller fills it in.

Each function goes through the reseller's marketplace client, records only what
belongs to what the reseller is saving (a new customer, the reseller's own partner
status; never another record) and turns an upstream failure into a ValidationError whose
message tells the reseller what to do next.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from customers.credentials import account_password_keep, generate_password
from customers.models import Contact, Customer, Reseller
from customers.tenant_names import tenant_name_check
from customers.upstream import client_for
from marketplace.exceptions import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    GatewayError,
    MarketplaceError,
)
from marketplace.types import (
    Address,
    ContactPerson,
    CustomerInput,
    DomainCheck,
    PartnerCheck,
    TenantCheck,
)
from marketplace.wording import is_busy, marketplace_failure_message

logger = logging.getLogger(__name__)

UNREACHABLE_NEXT_STEP = _("Wait a minute and press Next again.")
#: After an answer that may have come after the customer was created upstream.
MAYBE_CREATED = (
    "The marketplace did not answer clearly whether it created the customer, so it may "
    "have. Wait a minute and press Next again: the customer is looked up first, and created "
    "only if the marketplace does not have it."
)


def _unreachable(action: str, error: MarketplaceError) -> ValidationError:
    logger.warning("Marketplace call failed while %s: %s", action, error, exc_info=True)
    message = marketplace_failure_message(
        error, outcome=_("nothing was changed"), next_step=UNREACHABLE_NEXT_STEP
    )
    return ValidationError(message, code="busy" if is_busy(error) else "unreachable")


def login_taken(login: str) -> bool:
    """Return True if any customer already has ``login`` (logins are unique marketplace-wide)."""
    return Contact.objects.filter(login__iexact=login).exists()


def new_customer_key(*, wizard_key, login: str) -> str:
    """Return our key for a customer the wizard creates, sent upstream as its ``externalId``.

    The same wizard creating the same account (its login, unique marketplace-wide) gets the
    same key however often Next is pressed, so an earlier attempt is found, not repeated.
    """
    account = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:12]
    return f"nce-{str(wizard_key).replace('-', '')[:16]}-{account}"


def _may_have_arrived(error: MarketplaceError) -> bool:
    """Tell whether a failed POST may still have created the customer upstream."""
    if isinstance(error, APIConnectionError):
        return error.request_sent
    return isinstance(error, APITimeoutError | GatewayError)


def customer_find(client, external_id: str):
    """Return the upstream customer carrying ``external_id``, or None when it has none.

    The verdict comes from the whole list (every page, or ListIncomplete is raised), and a
    row counts only if its own ``externalId`` is ours: an upstream that ignored the filter
    answers with every customer.
    """
    found = [
        c for c in client.list_customers(external_id=external_id) if c.external_id == external_id
    ]
    return found[0] if found else None


@sensitive_variables("password", "admin", "customer_input")
def customer_create(*, reseller: Reseller, data: dict, external_id: str = "") -> Customer:
    """Create a customer upstream, then here; raise ValidationError if the marketplace refuses.

    With ``external_id`` (``new_customer_key``) the customer is looked up by it before it is
    created, and again after an answer that may have come after it was created: a lost or
    late answer, or a web process that died mid-request, never creates it twice.

    The account's password is generated here and kept encrypted with the
    customer (seed 002: "you will be able to access the password later").
    """
    password = generate_password()
    admin = ContactPerson(
        type="admin",
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone_number=data["phone"],
        login=data["login"],
        password=password,
    )
    customer_input = CustomerInput(
        name=data["company_name"],
        address=Address(
            street_address=data["street_address"],
            address_extension=data["address_extension"],
            city=data["city"],
            state=data["state"],
            postal_code=data["postal_code"],
            country_code=data["country"],
        ),
        contact_persons=(admin,),
        language=data["language"],
        tax_reg_id=data["registration_number"],
        external_id=external_id,
    )
    sent = False
    try:
        with client_for(reseller) as client:
            # An earlier attempt (its answer lost, its web process gone) created it already.
            upstream = customer_find(client, external_id) if external_id else None
            if upstream is None:
                sent = True
                try:
                    upstream = client.create_customer(customer=customer_input)
                except MarketplaceError as error:
                    if not (external_id and _may_have_arrived(error)):
                        raise
                    logger.warning("Creating a customer: %s; looking it up", error)
                    try:
                        upstream = customer_find(client, external_id)
                    except MarketplaceError:
                        upstream = None  # not known either way: never "nothing was changed"
                    if upstream is None:
                        raise _maybe_created(error) from error
    except BadRequestError as refusal:
        field = "login" if "login" in refusal.message.lower() else None
        error = ValidationError(
            _("The marketplace refused the new customer: %(reason)s"),
            code="refused",
            params={"reason": refusal.message},
        )
        error.field = field
        raise error from refusal
    except MarketplaceError as error:
        if sent and _may_have_arrived(error):
            raise _maybe_created(error) from error
        raise _unreachable("creating a customer", error) from error
    with transaction.atomic():
        customer = Customer.objects.create(
            reseller=reseller,
            upstream_customer_id=upstream.id,
            company_name=data["company_name"],
            street_address=data["street_address"],
            address_extension=data["address_extension"],
            city=data["city"],
            state=data["state"],
            postal_code=data["postal_code"],
            country=data["country"],
            registration_number=data["registration_number"],
            language=data["language"],
        )
        Contact.objects.create(
            customer=customer,
            kind=Contact.Kind.ADMIN,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            login=data["login"],
        )
        if sent:
            account_password_keep(customer=customer, login=data["login"], password=password)
        else:
            # Created by an earlier attempt, with a password that attempt did not keep.
            logger.warning(
                "Customer %s (%s) found upstream by its key; its account password is not known",
                upstream.id,
                external_id,
            )
    return customer


def _maybe_created(error: MarketplaceError) -> ValidationError:
    logger.warning("Creating a customer: outcome unknown: %s", error, exc_info=True)
    return ValidationError(MAYBE_CREATED, code="maybe_created")


def partner_check(
    *, reseller: Reseller, mpn_id: str, domain: str, fresh_for: timedelta | None = None
) -> PartnerCheck:
    """Check the reseller's tier configuration upstream and save it, READY or not, for next time.

    With ``fresh_for``, the same details confirmed READY that recently are taken as they are,
    without asking again: every order through the wizard would otherwise ask twice (a customer
    to probe with, then the validation) about details that have not changed.
    """
    if fresh_for is not None and reseller.is_partner_ready_with(
        mpn_id, domain, since=timezone.now() - fresh_for
    ):
        return PartnerCheck(mpn_id, domain, ready=True)
    try:
        with client_for(reseller) as client:
            result = client.check_partner(mpn_id=mpn_id, reseller_domain=domain)
    except MarketplaceError as error:
        raise _unreachable("checking the partner details", error) from error
    reseller.mpn_id = mpn_id
    reseller.indirect_reseller_domain = domain
    reseller.tier_status = (
        Reseller.TierStatus.READY if result.ready else Reseller.TierStatus.INQUIRING
    )
    reseller.tier_reason = "" if result.ready else result.reason
    reseller.tier_checked_at = timezone.now()
    reseller.save(
        update_fields=[
            "mpn_id",
            "indirect_reseller_domain",
            "tier_status",
            "tier_reason",
            "tier_checked_at",
        ]
    )
    return result


def domain_check(
    *, reseller: Reseller, domain: str, customer: Customer | None = None
) -> DomainCheck:
    """Ask whether a new tenant can be created as ``domain``."""
    return tenant_name_check(
        reseller=reseller, domain=domain, customer=customer, next_step=UNREACHABLE_NEXT_STEP
    )


def tenant_checkable(*, customer: Customer, tenant: str) -> bool:
    """Return True if ``tenant`` may be checked for ``customer``: its own recorded tenant, or
    any tenant while it has none recorded (the tenant is being entered for it).

    Anything else would tell the caller about a tenant that is not theirs to order for.
    """
    if not customer.has_tenant:
        return True
    typed = tenant.strip().lower()
    return typed in {customer.tenant_domain.strip().lower(), str(customer.tenant_id or "")}


def tenant_check(*, reseller: Reseller, customer: Customer | None, tenant: str) -> TenantCheck:
    """Ask the marketplace about an existing tenant: relationship and MCA. Writes nothing.

    A check is a question, not a change: whatever tenant is typed (another
    customer's, a mistyped one), no customer's relationship or tenant changes
    here. What the answer means for the order being prepared is kept with the
    wizard's draft, and what the order establishes is recorded when it completes.
    """
    try:
        with client_for(reseller) as client:
            return client.check_tenant(
                customer_id=customer.upstream_customer_id if customer else "", tenant=tenant
            )
    except MarketplaceError as error:
        raise _unreachable("checking the customer's tenant", error) from error

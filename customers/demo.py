"""Demo data: a reseller, its staff and customers, a support user and an admin.

Every function here can run again and again: rows are found by a natural key
(name, username) and brought back to the demo values. The reseller, its MPN ID
and tenant, and the customers Woodgrove Bank, Tailspin Toys and Litware are
the ones the simulator seeds (simulator/seed.py), so orders placed for them go
through upstream as they would for a real partner.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from marketplace.exceptions import NotFoundError
from marketplace.types import Address, ContactPerson, CustomerInput

from .credentials import account_password_keep, generate_password
from .models import Contact, Customer, MarketplaceConnection, Reseller, User
from .two_factor import enrol_with_secret

RESELLER_NAME = "Northwind IT"
RESELLER_VALUES = {
    "upstream_reseller_id": "1000001",
    "mpn_id": "1234567",
    "indirect_reseller_domain": "northwindit.onmicrosoft.com",
    "staff_email_domain": "northwind-it.example",
    "self_service_enabled": True,
}


@dataclass(frozen=True)
class DemoContact:
    first_name: str
    last_name: str
    email: str
    phone: str
    login: str


@dataclass(frozen=True)
class DemoCustomer:
    company_name: str
    street_address: str
    city: str
    postal_code: str
    country: str
    contact: DemoContact
    state: str = ""
    language: str = Customer.Language.EN_US
    #: The id the simulator seeds the customer with; empty: created upstream.
    upstream_customer_id: str = ""
    tenant_domain: str = ""
    tenant_id: str = ""
    relationship: str = Customer.Relationship.UNKNOWN
    mca_accepted_on: datetime.date | None = None
    qualification: str = Customer.Qualification.NONE
    education_segment: str = ""


CUSTOMERS = [
    DemoCustomer(  # existing tenant, relationship and MCA: ready to order
        company_name="Woodgrove Bank",
        street_address="200 Madison Street",
        city="Seattle",
        state="WA",
        postal_code="98104",
        country="US",
        contact=DemoContact(
            "Ava", "Reyes", "ava.reyes@woodgrove.example", "+12065550142", "avareyes"
        ),
        upstream_customer_id="1000101",
        tenant_domain="woodgrovebank.onmicrosoft.com",
        tenant_id="0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6",
        relationship=Customer.Relationship.ACCEPTED,
        mca_accepted_on=datetime.date(2025, 3, 14),
    ),
    DemoCustomer(  # existing tenant with relationship, no MCA yet
        company_name="Tailspin Toys",
        street_address="77 Alder Avenue",
        city="Portland",
        state="OR",
        postal_code="97204",
        country="US",
        contact=DemoContact(
            "Liam", "Okafor", "liam@tailspintoys.example", "+15035550187", "liamokafor"
        ),
        upstream_customer_id="1000102",
        tenant_domain="tailspintoys.onmicrosoft.com",
        tenant_id="1d7f2a3b-4c5e-4d6f-9a01-b2c3d4e5f6a7",
        relationship=Customer.Relationship.ACCEPTED,
    ),
    DemoCustomer(  # a new customer in Germany: no tenant, no MCA
        company_name="Alpine Ski House GmbH",
        street_address="Leopoldstraße 42",
        city="München",
        postal_code="80802",
        country="DE",
        language=Customer.Language.DE_DE,
        contact=DemoContact(
            "Lena",
            "Hofmann",
            "lena.hofmann@alpineskihouse.example",
            "+4989123456780",
            "lenahofmann",
        ),
    ),
    DemoCustomer(  # an education customer (K-12) in the United Kingdom, with its own tenant
        company_name="Fourth Coffee Academy",
        street_address="18 Market Street",
        city="Leeds",
        postal_code="LS1 6DT",
        country="GB",
        contact=DemoContact(
            "Oliver",
            "Grant",
            "o.grant@fourthcoffee-academy.example",
            "+441132345678",
            "olivergrant",
        ),
        # Microsoft verifies a school before it gets a tenant: it brings its own.
        tenant_domain="fourthcoffeeacademy.onmicrosoft.com",
        tenant_id="4a0c5d6e-7f8b-4a9c-8d34-e5f6a7b8c9d0",
        relationship=Customer.Relationship.ACCEPTED,
        mca_accepted_on=datetime.date(2025, 9, 1),
        qualification=Customer.Qualification.EDUCATION,
        education_segment=Customer.EducationSegment.K12,
    ),
    DemoCustomer(  # a nonprofit with its own verified tenant; its MCA is still to be accepted
        company_name="Lamna Healthcare Foundation",
        street_address="310 Pine Street",
        city="Spokane",
        state="WA",
        postal_code="99201",
        country="US",
        contact=DemoContact(
            "Priya", "Desai", "priya.desai@lamnafoundation.example", "+15095550123", "priyadesai"
        ),
        tenant_domain="lamnafoundation.onmicrosoft.com",
        tenant_id="5b1d6e7f-8a9c-4bad-9e45-f6a7b8c9d0e1",
        relationship=Customer.Relationship.ACCEPTED,
        qualification=Customer.Qualification.NONPROFIT,
    ),
    DemoCustomer(  # a tenant that has not accepted the reseller relationship yet
        company_name="Trey Research Pty Ltd",
        street_address="5 Collins Street",
        city="Melbourne",
        state="VIC",
        postal_code="3000",
        country="AU",
        contact=DemoContact(
            "Chloe", "Nguyen", "chloe.nguyen@treyresearch.example", "+61390001234", "chloenguyen"
        ),
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str
    email: str
    description: str
    #: The authenticator's secret (base32), printed beside the password: the demo's logins
    #: are enrolled, so an authenticator app (or ``manage.py demo_code``) gives the code.
    totp_secret: str = ""


USERS = [
    DemoUser(
        "reseller",
        "reseller-demo-2026",
        User.Role.RESELLER_STAFF,
        "Nora",
        "Whitfield",
        "nora@northwind-it.example",
        f"reseller staff of {RESELLER_NAME}",
        "CKBC7ZTWPVUGA3AOXQUZZSALDG6HNGTT",
    ),
    DemoUser(
        "support",
        "support-demo-2026",
        User.Role.SUPPORT,
        "Sam",
        "Keller",
        "sam.keller@nce-orders.example",
        "support staff: reads everything, changes nothing",
        "PA63SR4GODVTBZPUGDXHJWA2ESIEFGWP",
    ),
    DemoUser(
        "admin",
        "admin-demo-2026",
        User.Role.ADMIN,
        "Ada",
        "Brooks",
        "ada.brooks@nce-orders.example",
        "administrator (Django admin)",
        "7J4THRZ5Q5ZMAKCNQGT7G6FX7SEHL52H",
    ),
    DemoUser(
        "customer",
        "customer-demo-2026",
        User.Role.CUSTOMER_USER,
        "Ava",
        "Reyes",
        "ava.reyes@woodgrove.example",
        "end customer Woodgrove Bank (self-service)",
        "IU3GPMWDMLK3B6LOOCGZCKZJKIRUALBE",
    ),
]
#: The customer whose user the end-customer login is.
CUSTOMER_USER_COMPANY = "Woodgrove Bank"


def demo_reseller(*, connection: MarketplaceConnection) -> Reseller:
    """Return the demo reseller on ``connection``, created or reset to its demo values."""
    reseller, _ = Reseller.objects.update_or_create(
        name=RESELLER_NAME, defaults={"connection": connection, **RESELLER_VALUES}
    )
    return reseller


def demo_customer(*, reseller: Reseller, spec: DemoCustomer) -> Customer:
    """Return the demo customer ``spec`` of ``reseller`` with its administrative contact."""
    values = {
        "street_address": spec.street_address,
        "city": spec.city,
        "state": spec.state,
        "postal_code": spec.postal_code,
        "country": spec.country,
        "language": spec.language,
    }
    # What orders establish (tenant, relationship, qualification, MCA history) is the
    # demo's starting point only: a restart must not undo what completed orders recorded.
    starting_state = {
        "tenant_domain": spec.tenant_domain,
        "tenant_id": uuid.UUID(spec.tenant_id) if spec.tenant_id else None,
        "relationship": spec.relationship,
        "qualification": spec.qualification,
        "education_segment": spec.education_segment,
        "mca_accepted_on": spec.mca_accepted_on,
        "mca_accepted_first_name": spec.contact.first_name if spec.mca_accepted_on else "",
        "mca_accepted_last_name": spec.contact.last_name if spec.mca_accepted_on else "",
        "mca_accepted_email": spec.contact.email if spec.mca_accepted_on else "",
    }
    customer = Customer.objects.filter(reseller=reseller, company_name=spec.company_name).first()
    if customer is None:
        customer = Customer(
            reseller=reseller,
            company_name=spec.company_name,
            upstream_customer_id=spec.upstream_customer_id,
        )
        values.update(starting_state)
    elif spec.tenant_domain and not customer.has_tenant:
        # An older demo database: the customer was loaded before it had its own tenant.
        values.update(
            {key: starting_state[key] for key in ("tenant_domain", "tenant_id", "relationship")}
        )
    for name, value in values.items():
        setattr(customer, name, value)
    customer.save()
    Contact.objects.update_or_create(
        customer=customer,
        kind=Contact.Kind.ADMIN,
        defaults={
            "first_name": spec.contact.first_name,
            "last_name": spec.contact.last_name,
            "email": spec.contact.email,
            "phone": spec.contact.phone,
            "login": spec.contact.login,
        },
    )
    return customer


def customer_input(customer: Customer, *, password: str = "") -> CustomerInput:
    """Return what the marketplace needs to create ``customer`` (its account's ``password``)."""
    contacts = tuple(
        ContactPerson(
            type=contact.kind,
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            phone_number=str(contact.phone),
            login=contact.login if contact.kind == Contact.Kind.ADMIN else "",
            password=password if contact.kind == Contact.Kind.ADMIN else "",
        )
        for contact in customer.contacts.all()
    )
    return CustomerInput(
        name=customer.company_name,
        address=Address(
            street_address=customer.street_address,
            address_extension=customer.address_extension,
            city=customer.city,
            state=customer.state,
            postal_code=customer.postal_code,
            country_code=str(customer.country),
        ),
        contact_persons=contacts,
        language=customer.language,
        external_id=f"nce-{customer.pk}",
        tax_reg_id=customer.registration_number,
    )


def ensure_upstream_customer(*, customer: Customer, client) -> bool:
    """Make sure ``customer`` exists upstream; return True if it was created now.

    A customer whose saved id the marketplace no longer knows (a simulator that
    was reset) is created again.
    """
    if customer.upstream_customer_id:
        try:
            client.get_customer(customer_id=customer.upstream_customer_id)
            return False
        except NotFoundError:
            pass
    password = generate_password()
    created = client.create_customer(customer=customer_input(customer, password=password))
    customer.upstream_customer_id = created.id
    customer.save(update_fields=["upstream_customer_id", "updated_at"])
    admin = customer.contacts.filter(kind=Contact.Kind.ADMIN).first()
    if admin is not None:
        account_password_keep(customer=customer, login=admin.login, password=password)
    return True


def demo_user(*, spec: DemoUser, reseller: Reseller, customers: dict[str, Customer]) -> User:
    """Return the demo user ``spec``, created or reset to its demo role.

    The password is set when the user is created only: hashing it takes about a
    second, and a password someone changed on purpose is theirs to keep.
    """
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(username=spec.username)
        user.set_password(spec.password)
    user.first_name = spec.first_name
    user.last_name = spec.last_name
    user.email = spec.email
    user.role = spec.role
    user.is_active = True
    user.reseller = reseller if spec.role == User.Role.RESELLER_STAFF else None
    user.customer = (
        customers[CUSTOMER_USER_COMPANY] if spec.role == User.Role.CUSTOMER_USER else None
    )
    user.is_staff = user.is_superuser = spec.role == User.Role.ADMIN
    user.save()
    if spec.totp_secret:
        enrol_with_secret(user=user, base32_secret=spec.totp_secret)
    return user

"""Order parameters for tests that drive the Marketplace client directly (one copy, shared).

The product's own builder (orders/upstream_mapping.py) makes these for real
orders; client and contract tests below that seam name them here.
"""

from datetime import date

from marketplace.types import Address, ContactPerson, CustomerInput, ParameterValue

POR_ATTESTATION = ParameterValue(
    "partner_on_record_attestation_accepted", structured_value={"attestation_accepted": True}
)
#: Seed 004: every line carries offer_attestation, false for an offer that needs none.
NO_OFFER_ATTESTATION = ParameterValue(
    "offer_attestation", structured_value={"attestation_accepted": False}
)


def new_tenant_parameters(domain):
    """Return the parameters of an order for a new tenant, with today's MCA acceptance."""
    return (
        ParameterValue("tenant_preference", "new"),
        ParameterValue("microsoft_domain", domain),
        POR_ATTESTATION,
        NO_OFFER_ATTESTATION,
        ParameterValue("mca_acceptance", "yes"),
        ParameterValue("agreement_date", date.today().strftime("%m-%d-%Y")),
        ParameterValue("first_name_agreement", "Ava"),
        ParameterValue("last_name_agreement", "Reyes"),
        ParameterValue("email_address_agreement", "ava.reyes@woodgrove.example"),
        ParameterValue("special_qualifications", "None"),
    )


def existing_tenant_parameters(domain):
    """Return the parameters of an order for a tenant that already exists."""
    return (
        ParameterValue("tenant_preference", "existing"),
        ParameterValue("microsoft_domain", domain),
        POR_ATTESTATION,
        NO_OFFER_ATTESTATION,
    )


def customer_input(name):
    """Return a new customer named ``name`` in Seattle, with one admin contact."""
    return CustomerInput(
        name=name,
        address=Address(
            street_address="1 Main Street",
            city="Seattle",
            postal_code="98101",
            country_code="US",
            state="WA",
        ),
        contact_persons=(
            ContactPerson(
                type="admin",
                first_name="Jane",
                last_name="Doe",
                email="jane@contoso.example",
                phone_number="+12065550100",
            ),
        ),
    )

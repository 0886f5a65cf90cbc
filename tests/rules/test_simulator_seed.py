"""The simulator's seed data is what a reseller would type: our rules must accept all of it.

If a rule refused a seeded tenant, partner or customer, the demo and the end-to-end
tests would stop at our own form instead of reaching the (simulated) marketplace.
"""

import pytest

import rules
from simulator import seed

VALID_PARTNER_PAIRS = [
    (mpn_id, tenant)
    for mpn_id, tenants in sorted(seed.VALID_PARTNERS.items())
    for tenant in sorted(tenants)
]


@pytest.mark.parametrize(("mpn_id", "tenant"), VALID_PARTNER_PAIRS)
def test_ready_partners_pass_the_rules(mpn_id, tenant):
    assert rules.check_mpn_id(mpn_id) == mpn_id
    assert rules.check_reseller_domain(tenant) == tenant


@pytest.mark.parametrize(
    "mpn_id",
    sorted(seed.MPN_NOT_FOUND | seed.MPN_NOT_INDIRECT_RESELLER | seed.MPN_AGREEMENT_UNSIGNED),
)
def test_refused_partners_are_well_formed_so_the_marketplace_decides(mpn_id):
    assert rules.check_mpn_id(mpn_id) == mpn_id


@pytest.mark.parametrize("prefix", sorted(seed.TAKEN_PREFIXES))
def test_taken_prefixes_are_well_formed_so_the_marketplace_decides(prefix):
    assert rules.check_tenant_prefix(prefix) == prefix


@pytest.mark.parametrize("tenant", seed.EXISTING_TENANTS, ids=lambda t: t["domain"])
def test_existing_tenants_pass_by_domain_and_by_id(tenant):
    assert rules.check_existing_tenant(tenant["domain"]) == tenant["domain"]
    assert rules.check_existing_tenant(tenant["tenantId"]) == tenant["tenantId"]


@pytest.mark.parametrize("customer", seed.CUSTOMERS, ids=lambda c: c["name"])
def test_seeded_customers_pass_the_rules(customer):
    address = customer["address"]
    country = rules.check_country(address["countryCode"])
    assert rules.check_company_name(customer["name"]) == customer["name"]
    assert rules.check_address_line(address["streetAddress"]) == address["streetAddress"]
    assert rules.check_city(address["city"]) == address["city"]
    assert rules.check_state(address["state"], country=country) == address["state"]
    assert rules.check_postal_code(address["postalCode"], country=country) == address["postalCode"]
    for person in customer["contactPersons"]:
        assert rules.check_contact_name(person["firstName"]) == person["firstName"]
        assert rules.check_contact_name(person["lastName"]) == person["lastName"]
        assert rules.check_email(person["email"]) == person["email"]
        assert rules.check_phone(person["phoneNumber"], country=country) == person["phoneNumber"]
    login = rules.suggest_login(customer["name"])
    assert rules.check_login(login) == login

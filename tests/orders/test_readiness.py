"""order_readiness: every blocker at once, including the marketplace's own domain check."""

from datetime import date

import pytest

from orders.readiness import order_readiness
from tests.factories import CustomerFactory

from .helpers import order_request
from .simulated import plain_products

pytestmark = pytest.mark.django_db


def test_a_ready_request_has_no_problems(upstream_customer, upstream_reseller):
    request = order_request(
        upstream_customer, plain_products(), microsoft_domain="freshname20260321.onmicrosoft.com"
    )
    assert order_readiness(request=request, reseller=upstream_reseller) == []


def test_every_blocker_is_listed_with_its_fix_and_step(upstream_reseller):
    upstream_reseller.tier_status = "unchecked"
    upstream_reseller.save()
    # Tailspin Toys' tenant (seeded upstream) has no MCA yet: only the marketplace knows.
    customer = CustomerFactory(
        reseller=upstream_reseller, upstream_customer_id="1000102", mca_accepted_on=date.today()
    )
    request = order_request(
        customer,
        plain_products(),
        tenant_preference="existing",
        microsoft_domain="tailspintoys.onmicrosoft.com",
        agreement=None,
        partner_of_record_accepted=False,
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [
        ("partner_of_record_accepted", "attestation"),
        ("partner", "partner"),
        ("agreement", "agreement"),
    ]
    assert "Microsoft Customer Agreement" in problems[-1].message
    assert all(p.message and p.fix for p in problems)


def test_a_tenant_without_relationship_is_found_before_buy(upstream_reseller):
    customer = CustomerFactory(
        reseller=upstream_reseller, upstream_customer_id="1000103", relationship="accepted"
    )
    request = order_request(
        customer,
        plain_products(),
        tenant_preference="existing",
        microsoft_domain="litware.onmicrosoft.com",
        agreement=None,
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [("microsoft_domain", "tenant")]
    assert "no commerce relationship" in problems[0].message
    assert "relationship link" in problems[0].fix


def test_a_taken_tenant_name_is_found_before_buy(upstream_customer, upstream_reseller):
    request = order_request(
        upstream_customer, plain_products(), microsoft_domain="contoso.onmicrosoft.com"
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [("microsoft_domain", "tenant")]

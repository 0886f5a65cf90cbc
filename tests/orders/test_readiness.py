"""order_readiness: every blocker at once, including the marketplace's own domain check."""

import dataclasses
from datetime import date

import pytest

from catalog.models import Product
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
    assert "Free names" in problems[0].fix


def test_the_whole_order_is_validated_and_estimated_as_buy_would_send_it(
    upstream_customer, upstream_reseller, simulator
):
    request = order_request(
        upstream_customer,
        plain_products(),
        microsoft_domain="freshname20260322.onmicrosoft.com",
        special_qualification="StateOwnedEntity",
    )
    assert order_readiness(request=request, reseller=upstream_reseller) == []
    asked = simulator.stats()["requests"]
    assert asked.get("POST /validation/parameters") == 1
    assert asked.get("POST /orders/estimate") == 1
    assert not asked.get("POST /orders")


def test_a_missing_offer_attestation_is_shown_once_at_its_line(
    upstream_customer, upstream_reseller
):
    attested = Product.objects.filter(active=True, offer_attestation_required=True).first()
    request = order_request(
        upstream_customer,
        [*plain_products(), attested],
        microsoft_domain="freshname20260323.onmicrosoft.com",
    )
    # Our rule and the marketplace both refuse it: the reseller reads it once, at its line.
    request = dataclasses.replace(
        request,
        lines=tuple(
            dataclasses.replace(line, offer_attestation_accepted=False) for line in request.lines
        ),
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert {(p.field, p.step) for p in problems} == {
        ("lines[1].offer_attestation_accepted", "attestation")
    }


def test_an_unreachable_marketplace_is_never_ready(upstream_customer, upstream_reseller, simulator):
    simulator.fail(kind="status", status=503, method="POST", path="/validation/parameters")
    request = order_request(
        upstream_customer, plain_products(), microsoft_domain="freshname20260324.onmicrosoft.com"
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [("marketplace", "review")]
    assert "not confirmed ready" in problems[0].message


def test_a_rate_limit_is_busy_with_when_to_try_again_never_a_refusal(
    upstream_customer, upstream_reseller, simulator
):
    simulator.fail(
        kind="status", status=429, retryAfter=45, method="POST", path="/validation/parameters"
    )
    request = order_request(
        upstream_customer, plain_products(), microsoft_domain="freshname20260325.onmicrosoft.com"
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [("marketplace", "review")]
    message = problems[0].message
    assert "The marketplace is busy just now" in message and "Try again in 45 seconds" in message
    assert "refused" not in message and "could not be reached" not in message


def test_an_estimate_refusal_is_shown_with_the_marketplaces_words(
    upstream_customer, upstream_reseller, simulator
):
    simulator.fail(kind="business", error="quantity", method="POST", path="/orders/estimate")
    request = order_request(
        upstream_customer, plain_products(), microsoft_domain="freshname20260325.onmicrosoft.com"
    )
    problems = order_readiness(request=request, reseller=upstream_reseller)
    assert [(p.field, p.step) for p in problems] == [("order", "review")]
    assert "minimum and maximum allowed quantity" in problems[0].message

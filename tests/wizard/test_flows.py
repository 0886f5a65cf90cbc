"""Every branch of the order wizard, walked with the test client against the simulator.

Each test places an order (or is refused) and asserts what the order carries,
parameter by parameter, under the names of README §1.9 and §2.1.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Segment
from customers.models import Contact, Customer, Reseller
from orders.models import Attestation, Order

from .conftest import product
from .journey import (
    PARTNER,
    TODAY,
    agree,
    attest,
    buy,
    choose_tenant,
    existing_customer_until_attestation,
    follow,
    line_params,
    params,
    qualify,
    shown_steps,
    until_partner,
    until_tenant,
)
from .simulated import TAILSPIN, post_step

pytestmark = pytest.mark.django_db


def test_new_customer_new_tenant(client, buyer, add_to_cart, simulator):
    plan = product()
    add_to_cart(plan, 5)

    partner = until_partner(client)
    customer = Customer.objects.get(company_name="Fourth Coffee Roasters")
    assert customer.upstream_customer_id and customer.reseller == buyer.reseller
    admin = customer.contacts.get()
    assert (admin.kind, admin.login, str(admin.phone)) == (
        Contact.Kind.ADMIN,
        "fourth-coffee-roasters",
        "+12065550199",
    )
    assert (customer.state, customer.country.code) == ("WA", "US")
    assert "READY" in partner.content.decode()

    tenant = follow(client, post_step(client, "partner", PARTNER), "tenant")
    assert tenant.context["wizard"]["form"]["tenant_preference"].value() == "new"
    attestation = choose_tenant(client, tenant_preference="new", tenant_prefix="fourthcoffee2026")
    assert shown_steps(attestation) == [
        "cart",
        "customer",
        "partner",
        "tenant",
        "attestation",
        "agreement",
        "qualification",
        "review",
    ]
    attest(client, "agreement")
    agree(client, "qualification")
    qualify(client)
    order = buy(client)

    assert order.customer == customer and order.po_number == "PO-4711"
    assert order.idempotency_key is not None and order.channel == Order.Channel.WIZARD
    assert params(order) == {
        "tenant_preference": "new",
        "microsoft_domain": "fourthcoffee2026.onmicrosoft.com",
        "partner_on_record_attestation_accepted": {"attestation_accepted": True},
        "mca_acceptance": "yes",
        "agreement_date": TODAY.strftime("%m-%d-%Y"),
        "first_name_agreement": "Grace",
        "last_name_agreement": "Hopper",
        "email_address_agreement": "grace@fourthcoffee.example",
        "special_qualifications": "None",
    }
    line = order.lines.get()
    assert (line.product, line.quantity, line.unit_price) == (plan, 5, plan.price)
    # Seed 004: offer_attestation on every line, false for an item that needs none.
    assert line_params(order) == {plan.mpn: {"offer_attestation": {"attestation_accepted": False}}}
    kinds = set(order.attestations.values_list("kind", flat=True))
    assert kinds == {"partner_of_record", "customer_agreement", "terms"}
    assert not buyer.cart.lines.exists()


def test_existing_customer_existing_tenant_with_mca(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product(), 2)

    tenant = until_tenant(client, woodgrove)
    assert tenant.context["wizard"]["form"]["existing_tenant"].value() == woodgrove.tenant_domain
    choose_tenant(client, tenant_preference="existing", existing_tenant=woodgrove.tenant_domain)
    qualification = attest(client, "qualification")
    assert "agreement" not in shown_steps(qualification)
    qualify(client)
    order = buy(client, po_number="")

    woodgrove.refresh_from_db()
    # The tenant step's check is a question: it changes nothing on the customer.
    assert woodgrove.relationship == Customer.Relationship.UNKNOWN
    assert params(order) == {
        "tenant_preference": "existing",
        "microsoft_domain": "woodgrovebank.onmicrosoft.com",
        "partner_on_record_attestation_accepted": {"attestation_accepted": True},
        "special_qualifications": "None",
    }


def test_existing_tenant_without_mca_asks_for_the_agreement(client, buyer, add_to_cart, tailspin):
    add_to_cart(product())

    attestation = existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    assert "agreement" in shown_steps(attestation)
    attest(client, "agreement")
    agree(client, "qualification")
    qualify(client)
    order = buy(client)

    assert params(order)["mca_acceptance"] == "yes"
    assert params(order)["agreement_date"] == TODAY.strftime("%m-%d-%Y")
    assert params(order)["tenant_preference"] == "existing"


def test_state_owned_entity(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())

    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client, "StateOwnedEntity")
    order = buy(client)

    # Seed 004: "You must either use 'None' or 'soe'".
    assert params(order)["special_qualifications"] == "soe"
    assert "education_segment" not in params(order)


@pytest.mark.parametrize(
    ("segment", "named"),
    [("K12", "Education (K-12, primary and secondary)"), ("HigherEducation", "Education (higher")],
)
def test_the_review_names_the_qualification_in_words(
    client, buyer, add_to_cart, tailspin, woodgrove, segment, named
):
    add_to_cart(product())
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    state_owned = qualify(client, "StateOwnedEntity").content.decode()
    assert "State-owned entity" in state_owned
    assert "StateOwnedEntity" not in state_owned

    add_to_cart(product(Segment.EDUCATION))
    existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    attest(client, "agreement")
    agree(client, "qualification")
    school = follow(
        client, post_step(client, "qualification", {"education_segment": segment}), "review"
    )
    shown = school.content.decode()
    assert named in shown
    assert segment not in shown.replace(f'value="{segment}"', "")


@pytest.mark.parametrize(("segment", "label"), [("K12", "K-12"), ("HigherEducation", "Higher")])
def test_education_offers_ask_for_the_segment(client, buyer, add_to_cart, tailspin, segment, label):
    add_to_cart(product(Segment.EDUCATION))

    attestation = existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    attest(client, "agreement")
    qualification = agree(client, "qualification")
    assert label in qualification.content.decode()
    refused = post_step(client, "qualification", {})
    assert "K-12 or higher education" in str(refused.context["wizard"]["form"].errors)
    follow(client, post_step(client, "qualification", {"education_segment": segment}), "review")
    order = buy(client)

    assert shown_steps(attestation)[-3:] == ["agreement", "qualification", "review"]
    # Seed 004 allows only None or soe; the segment travels in education_segment
    # (the assumption recorded in docs/upstream.md).
    assert params(order)["special_qualifications"] == "None"
    assert params(order)["education_segment"] == segment


def test_offer_attestation_is_asked_with_the_offers_own_text(client, buyer, add_to_cart, woodgrove):
    plain, attested = product(), product(attestation=True)
    add_to_cart(plain)
    add_to_cart(attested)

    page = existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    assert attested.offer_attestation_text in page.content.decode()
    refused = post_step(client, "attestation", {"partner_of_record": "on"})
    assert refused.status_code == 200
    assert f"offer_{attested.pk}" in refused.context["wizard"]["form"].errors
    attest(client, "qualification", **{f"offer_{attested.pk}": "on"})
    qualify(client)
    order = buy(client)

    assert line_params(order) == {
        plain.mpn: {"offer_attestation": {"attestation_accepted": False}},
        attested.mpn: {"offer_attestation": {"attestation_accepted": True}},
    }
    offer = order.attestations.get(kind=Attestation.Kind.OFFER)
    assert (offer.product, offer.text) == (attested, attested.offer_attestation_text)
    assert offer.accepted_by == buyer and offer.ip_address == "127.0.0.1"


def test_without_offer_attestation_the_step_asks_only_partner_of_record(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product())

    page = existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)

    form = page.context["wizard"]["form"]
    assert list(form.fields) == ["partner_of_record"]


def test_inquiring_partner_shows_the_reason_and_is_saved_once_ready(
    client, buyer, add_to_cart, northwind
):
    northwind.tier_status = Reseller.TierStatus.INQUIRING
    northwind.mpn_id = "9999999"
    northwind.tier_reason = "MPN Id is not found"
    northwind.save()
    add_to_cart(product())

    page = until_partner(client)
    assert "INQUIRING" in page.content.decode()
    assert "partnercenter.microsoft.com" in page.content.decode()
    refused = post_step(client, "partner", {**PARTNER, "mpn_id": "2222222"})
    assert refused.status_code == 200
    assert refused.context["wizard"]["form"].non_field_errors()
    northwind.refresh_from_db()
    assert northwind.tier_status == Reseller.TierStatus.INQUIRING
    follow(client, post_step(client, "partner", PARTNER), "tenant")

    northwind.refresh_from_db()
    assert (northwind.tier_status, northwind.mpn_id) == (Reseller.TierStatus.READY, "1234567")
    assert northwind.tier_checked_at is not None


def test_partner_details_confirmed_ready_minutes_ago_are_not_asked_again(
    client, buyer, add_to_cart, northwind, woodgrove, simulator
):
    def partner_checks():
        return simulator.stats()["requests"].get("POST /validation/parameters", 0)

    northwind.mpn_id = PARTNER["mpn_id"]
    northwind.indirect_reseller_domain = PARTNER["indirect_reseller_domain"]
    northwind.tier_status = Reseller.TierStatus.READY
    northwind.tier_checked_at = timezone.now() - timedelta(minutes=5)
    northwind.save()
    add_to_cart(product())
    until_partner(client, woodgrove)

    asked = partner_checks()
    follow(client, post_step(client, "partner", PARTNER), "tenant")
    assert partner_checks() == asked  # READY five minutes ago, same details: taken as they are

    other_tenant = {**PARTNER, "indirect_reseller_domain": "northwind2.onmicrosoft.com"}
    post_step(client, "partner", other_tenant)
    assert partner_checks() == asked + 1  # other details: asked

    northwind.refresh_from_db()
    northwind.mpn_id = PARTNER["mpn_id"]
    northwind.indirect_reseller_domain = PARTNER["indirect_reseller_domain"]
    northwind.tier_status = Reseller.TierStatus.READY
    northwind.tier_checked_at = timezone.now() - timedelta(minutes=20)
    northwind.save()
    follow(client, post_step(client, "partner", PARTNER), "tenant")
    assert partner_checks() == asked + 2  # confirmed too long ago: asked again
    northwind.refresh_from_db()
    assert northwind.tier_checked_at > timezone.now() - timedelta(minutes=1)

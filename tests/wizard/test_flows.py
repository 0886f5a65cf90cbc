"""Every branch of the order wizard, walked with the test client against the simulator.

Each test places an order (or is refused) and asserts what the order carries,
parameter by parameter, under the names of README §1.9 and §2.1.
"""

import pytest
from django.utils import timezone

from catalog.models import Segment
from customers.models import Contact, Customer, Reseller
from orders.models import Attestation, Order

from .conftest import product
from .simulated import LITWARE, TAILSPIN, post_step, step_url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEW_CUSTOMER = {
    "mode": "new",
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@fourthcoffee.example",
    "phone": "(206) 555-0199",
    "company_name": "Fourth Coffee Roasters",
    "street_address": "500 Union Street",
    "city": "Seattle",
    "state": "wa",
    "postal_code": "98101",
    "country": "United States",
    "language": "en_US",
    "login": "",
}
AGREEMENT = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@fourthcoffee.example",
    "accepted_on": TODAY.strftime("%m-%d-%Y"),
}


def params(order):
    """Return the order-level parameters as {name: value or structured_value}."""
    return {
        p.name: p.structured_value if p.structured_value is not None else p.value
        for p in order.parameters.filter(line=None)
    }


def line_params(order):
    return {
        line.mpn: {
            p.name: p.structured_value if p.structured_value is not None else p.value
            for p in line.parameters.all()
        }
        for line in order.lines.all()
    }


def shown_steps(response):
    return [item["name"] for item in response.context["progress"]]


def start(client):
    response = client.get(step_url("cart"))
    assert response.status_code == 200
    return post_step(
        client, "cart", {"lines": response.context["wizard"]["form"].current_signature}
    )


def follow(client, response, expected_step):
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == step_url(expected_step), response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def _errors(response):
    context = getattr(response, "context", None)
    if context and "wizard" in context:
        return context["wizard"]["form"].errors
    return response.content.decode()[:500]


def pick(client, customer):
    return post_step(client, "customer", {"mode": "existing", "customer": customer.pk})


def buy(client, po_number="PO-4711"):
    review = client.get(step_url("review"))
    assert review.context["problems"] == [], review.context["problems"]
    response = post_step(client, "review", {"po_number": po_number, "terms": "on"})
    assert response.status_code == 302, _errors(response)
    done = client.get(response["Location"])
    assert done.status_code == 302, _errors(done)
    confirmation = client.get(done["Location"])
    assert confirmation.status_code == 200
    return confirmation.context["order"]


def test_new_customer_new_tenant(client, buyer, add_to_cart, simulator):
    plan = product()
    add_to_cart(plan, 5)

    follow(client, start(client), "customer")
    partner = follow(client, post_step(client, "customer", NEW_CUSTOMER), "partner")
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

    tenant = follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )
    assert tenant.context["wizard"]["form"]["tenant_preference"].value() == "new"
    attestation = follow(
        client,
        post_step(
            client,
            "tenant",
            {
                "tenant_preference": "new",
                "tenant_prefix": "fourthcoffee2026",
            },
        ),
        "attestation",
    )
    assert shown_steps(attestation) == [
        "cart",
        "customer",
        "partner",
        "tenant",
        "attestation",
        "agreement",
        "review",
    ]
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), "agreement")
    follow(client, post_step(client, "agreement", AGREEMENT), "review")
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
    assert line_params(order) == {plan.mpn: {}}
    kinds = set(order.attestations.values_list("kind", flat=True))
    assert kinds == {"partner_of_record", "customer_agreement", "terms"}
    assert not buyer.cart.lines.exists()


def test_existing_customer_existing_tenant_with_mca(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product(), 2)

    follow(client, start(client), "customer")
    follow(client, pick(client, woodgrove), "partner")
    tenant = follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )
    assert tenant.context["wizard"]["form"]["existing_tenant"].value() == woodgrove.tenant_domain
    follow(
        client,
        post_step(
            client,
            "tenant",
            {
                "tenant_preference": "existing",
                "existing_tenant": woodgrove.tenant_domain,
            },
        ),
        "attestation",
    )
    qualification = follow(
        client, post_step(client, "attestation", {"partner_of_record": "on"}), "qualification"
    )
    assert "agreement" not in shown_steps(qualification)
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    order = buy(client, po_number="")

    woodgrove.refresh_from_db()
    assert woodgrove.relationship == Customer.Relationship.ACCEPTED
    assert params(order) == {
        "tenant_preference": "existing",
        "microsoft_domain": "woodgrovebank.onmicrosoft.com",
        "partner_on_record_attestation_accepted": {"attestation_accepted": True},
        "special_qualifications": "None",
    }


def existing_customer_until_attestation(client, customer, tenant):
    follow(client, start(client), "customer")
    follow(client, pick(client, customer), "partner")
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )
    return follow(
        client,
        post_step(
            client,
            "tenant",
            {
                "tenant_preference": "existing",
                "existing_tenant": tenant,
            },
        ),
        "attestation",
    )


@pytest.fixture
def tailspin(northwind):
    return Customer.objects.create(
        reseller=northwind,
        company_name="Tailspin Toys",
        street_address="77 Alder Avenue",
        city="Portland",
        state="OR",
        postal_code="97204",
        country="US",
        upstream_customer_id=TAILSPIN["id"],
    )


def test_existing_tenant_without_mca_asks_for_the_agreement(client, buyer, add_to_cart, tailspin):
    add_to_cart(product())

    attestation = existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    assert "agreement" in shown_steps(attestation)
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), "agreement")
    follow(client, post_step(client, "agreement", AGREEMENT), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    order = buy(client)

    assert params(order)["mca_acceptance"] == "yes"
    assert params(order)["agreement_date"] == TODAY.strftime("%m-%d-%Y")
    assert params(order)["tenant_preference"] == "existing"


def test_state_owned_entity(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())

    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), "qualification")
    follow(
        client,
        post_step(
            client,
            "qualification",
            {
                "special_qualification": "StateOwnedEntity",
            },
        ),
        "review",
    )
    order = buy(client)

    assert params(order)["special_qualifications"] == "StateOwnedEntity"
    assert "education_segment" not in params(order)


@pytest.mark.parametrize(("segment", "label"), [("K12", "K-12"), ("HigherEducation", "Higher")])
def test_education_offers_ask_for_the_segment(client, buyer, add_to_cart, tailspin, segment, label):
    add_to_cart(product(Segment.EDUCATION))

    attestation = existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), "agreement")
    qualification = follow(client, post_step(client, "agreement", AGREEMENT), "qualification")
    assert label in qualification.content.decode()
    refused = post_step(client, "qualification", {})
    assert "K-12 or higher education" in str(refused.context["wizard"]["form"].errors)
    follow(client, post_step(client, "qualification", {"education_segment": segment}), "review")
    order = buy(client)

    assert shown_steps(attestation)[-3:] == ["agreement", "qualification", "review"]
    assert params(order)["special_qualifications"] == "Education"
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
    follow(
        client,
        post_step(
            client,
            "attestation",
            {
                "partner_of_record": "on",
                f"offer_{attested.pk}": "on",
            },
        ),
        "qualification",
    )
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    order = buy(client)

    assert line_params(order) == {
        plain.mpn: {},
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
    follow(client, start(client), "customer")

    page = follow(client, post_step(client, "customer", NEW_CUSTOMER), "partner")
    assert "INQUIRING" in page.content.decode()
    assert "partnercenter.microsoft.com" in page.content.decode()
    refused = post_step(
        client,
        "partner",
        {
            "mpn_id": "2222222",
            "indirect_reseller_domain": "northwindit.onmicrosoft.com",
        },
    )
    assert refused.status_code == 200
    assert refused.context["wizard"]["form"].non_field_errors()
    northwind.refresh_from_db()
    assert northwind.tier_status == Reseller.TierStatus.INQUIRING
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )

    northwind.refresh_from_db()
    assert (northwind.tier_status, northwind.mpn_id) == (Reseller.TierStatus.READY, "1234567")
    assert northwind.tier_checked_at is not None


def test_nonprofit_cannot_create_a_new_tenant(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product(Segment.NONPROFIT))
    follow(client, start(client), "customer")
    follow(client, post_step(client, "customer", NEW_CUSTOMER), "partner")
    tenant = follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )

    body = tenant.content.decode()
    assert "signup.nonprofit.microsoft.com" in body
    assert [
        value for value, _ in tenant.context["wizard"]["form"].fields["tenant_preference"].choices
    ] == ["existing"]
    refused = post_step(client, "tenant", {"tenant_preference": "new", "tenant_prefix": "charity1"})
    assert refused.status_code == 200
    assert "tenant_preference" in refused.context["wizard"]["form"].errors


def test_government_takes_the_commercial_path_with_a_new_tenant(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product(Segment.GOVERNMENT))
    follow(client, start(client), "customer")
    follow(client, post_step(client, "customer", NEW_CUSTOMER), "partner")
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )

    refused = post_step(
        client,
        "tenant",
        {
            "tenant_preference": "existing",
            "existing_tenant": "woodgrovebank.onmicrosoft.com",
        },
    )
    assert refused.status_code == 200
    follow(
        client,
        post_step(
            client,
            "tenant",
            {
                "tenant_preference": "new",
                "tenant_prefix": "cityofredmond",
            },
        ),
        "attestation",
    )
    follow(client, post_step(client, "attestation", {"partner_of_record": "on"}), "agreement")
    follow(client, post_step(client, "agreement", AGREEMENT), "review")
    order = buy(client)

    assert params(order)["tenant_preference"] == "new"
    assert params(order)["microsoft_domain"] == "cityofredmond.onmicrosoft.com"


def test_a_taken_tenant_name_suggests_free_ones(client, buyer, add_to_cart):
    add_to_cart(product())
    follow(client, start(client), "customer")
    follow(client, post_step(client, "customer", NEW_CUSTOMER), "partner")
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )

    refused = post_step(client, "tenant", {"tenant_preference": "new", "tenant_prefix": "contoso"})
    bad_characters = post_step(
        client, "tenant", {"tenant_preference": "new", "tenant_prefix": "my shop!"}
    )

    message = " ".join(refused.context["wizard"]["form"].errors["tenant_prefix"])
    assert "Free names:" in message
    assert "Latin letters and digits" in " ".join(
        bad_characters.context["wizard"]["form"].errors["tenant_prefix"]
    )


def test_a_tenant_without_relationship_gets_the_acceptance_link(
    client, buyer, add_to_cart, northwind
):
    litware = Customer.objects.create(
        reseller=northwind,
        company_name="Litware Inc.",
        street_address="9 Capitol Way",
        city="Boise",
        state="ID",
        postal_code="83702",
        country="US",
        upstream_customer_id=LITWARE["id"],
    )
    add_to_cart(product())
    follow(client, start(client), "customer")
    follow(client, pick(client, litware), "partner")
    follow(
        client,
        post_step(
            client,
            "partner",
            {
                "mpn_id": "1234567",
                "indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        "tenant",
    )

    refused = post_step(
        client,
        "tenant",
        {
            "tenant_preference": "existing",
            "existing_tenant": LITWARE["tenant"],
        },
    )

    assert refused.status_code == 200
    body = refused.content.decode()
    assert "invType=ResellerRelationship" in body and "global admin" in body
    litware.refresh_from_db()
    assert litware.relationship == Customer.Relationship.REQUESTED

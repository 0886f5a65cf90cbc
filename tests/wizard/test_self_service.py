"""The self-service order journey: an end customer orders for its own company.

Walked with the test client against the in-process simulator, like the
reseller wizard's flow tests; each test places an order (or is refused) and
asserts what the order carries.
"""

from datetime import date

import pytest
from django.urls import reverse

from catalog.models import Cart
from customers.models import Customer, Reseller
from orders.models import Attestation, Order, OrderEvent
from tests.factories import CartLineFactory, CustomerFactory, OrderFactory, UserFactory
from wizard import services

from . import journey
from .conftest import product
from .journey import NEW_CUSTOMER, TODAY, params, shown_steps
from .simulated import SELF_SERVICE, WOODGROVE

pytestmark = pytest.mark.django_db

step_url = SELF_SERVICE.step_url
post_step = SELF_SERVICE.post_step


def follow(client, response, expected_step):
    return journey.follow(client, response, expected_step, wizard=SELF_SERVICE)


def start(client):
    """Open the self-service wizard from the customer's home page link and confirm the cart."""
    opened = client.get(reverse("wizard:self_service"))
    assert opened.status_code == 302
    cart = client.get(opened["Location"])
    assert cart.status_code == 200
    signature = cart.context["wizard"]["form"].current_signature
    return post_step(client, "cart", {"lines": signature})


def buy(client, po_number=""):
    review, confirmation = journey.place(client, po_number, wizard=SELF_SERVICE)
    return confirmation, review.context["order_key"]


@pytest.fixture
def self_service(northwind):
    northwind.self_service_enabled = True
    northwind.save(update_fields=["self_service_enabled"])
    return northwind


@pytest.fixture
def fourth_coffee(self_service):
    """A customer created upstream by its reseller: no tenant, no agreement, admin Grace Hopper."""
    data = {
        **NEW_CUSTOMER,
        "country": "US",
        "state": "WA",
        "phone": "+12065550199",
        "login": "fourth-coffee",
        "address_extension": "",
        "registration_number": "",
    }
    return services.customer_create(reseller=self_service, data=data)


@pytest.fixture
def own_woodgrove(self_service):
    """The simulator's customer whose tenant has a relationship and an accepted MCA."""
    return CustomerFactory(
        reseller=self_service,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on=date(2025, 5, 1),
    )


def sign_in(client, customer, username="grace"):
    user = UserFactory(end_customer=True, customer=customer, username=username)
    client.force_login(user)
    return user


def test_an_end_customer_orders_for_itself_on_a_new_tenant(client, fourth_coffee):
    user = sign_in(client, fourth_coffee)
    plan = product()
    home = client.get(reverse("home"))
    assert reverse("wizard:self_service") in home.content.decode()

    catalogue = client.get(reverse("catalog:list"))
    assert catalogue.status_code == 200 and catalogue.context["can_order"]
    assert f"{plan.price}" in catalogue.content.decode()
    client.post(reverse("catalog:cart_add", args=[plan.pk]))
    client.post(reverse("catalog:cart_add", args=[plan.pk]))
    cart = client.get(reverse("catalog:cart"))
    assert cart.context["next_url"] == step_url("cart")

    tenant = follow(client, start(client), "tenant")
    assert shown_steps(tenant) == ["cart", "tenant", "agreement", "qualification", "review"]
    agreement = follow(
        client,
        post_step(
            client, "tenant", {"tenant_preference": "new", "tenant_prefix": "fourthcoffee26"}
        ),
        "agreement",
    )
    form = agreement.context["wizard"]["form"]
    assert (form["first_name"].value(), form["email"].value()) == (
        "Grace",
        "grace@fourthcoffee.example",
    )
    assert form["accepted_on"].value() == TODAY
    unticked = post_step(
        client,
        "agreement",
        {"first_name": "Grace", "last_name": "Hopper", "email": "grace@fourthcoffee.example"},
    )
    assert "Tick the box" in str(unticked.context["wizard"]["form"].errors)
    review = follow(
        client,
        post_step(
            client,
            "agreement",
            {
                "accept": "on",
                "first_name": "Grace",
                "last_name": "Hopper",
                "email": "grace@fourthcoffee.example",
                # A date typed into the page is ignored: the customer accepts it today.
                "accepted_on": "2020-01-02",
            },
        ),
        "qualification",
    )
    review = follow(
        client, post_step(client, "qualification", {"special_qualification": "None"}), "review"
    )
    assert "Northwind IT, your reseller" in review.content.decode()
    confirmation, _ = buy(client, po_number="FC-77")

    order = confirmation.context["order"]
    assert (order.customer, order.reseller, order.placed_by) == (
        fourth_coffee,
        fourth_coffee.reseller,
        user,
    )
    assert (order.channel, order.po_number) == (Order.Channel.SELF_SERVICE, "FC-77")
    assert params(order) == {
        "tenant_preference": "new",
        "microsoft_domain": "fourthcoffee26.onmicrosoft.com",
        "partner_on_record_attestation_accepted": {"attestation_accepted": True},
        "mca_acceptance": "yes",
        "agreement_date": TODAY.strftime("%m-%d-%Y"),
        "first_name_agreement": "Grace",
        "last_name_agreement": "Hopper",
        "email_address_agreement": "grace@fourthcoffee.example",
        "special_qualifications": "None",
    }
    line = order.lines.get()
    assert (line.product, line.unit_price) == (plan, plan.price)
    assert line.quantity == plan.minimum_quantity + 1
    texts = dict(order.attestations.values_list("kind", "text"))
    assert texts.keys() == {"partner_of_record", "customer_agreement", "terms"}
    assert "Northwind IT's standing attestation" in texts["partner_of_record"]
    assert texts["customer_agreement"].startswith("I accept the Microsoft Customer Agreement")
    assert "Accepted by Grace Hopper <grace@fourthcoffee.example>" in texts["customer_agreement"]
    assert set(order.attestations.values_list("accepted_by", flat=True)) == {user.pk}
    assert order.events.get().actor == OrderEvent.Actor.CUSTOMER
    assert not Cart.objects.get(user=user).lines.exists()

    track = confirmation.context["track_url"]
    assert track == reverse("orders:detail", kwargs={"reference": order.reference})
    assert track in confirmation.content.decode()
    assert client.get(track).status_code == 200


def test_own_tenant_with_an_agreement_skips_tenant_and_agreement(client, own_woodgrove):
    sign_in(client, own_woodgrove)
    cart, _ = Cart.objects.get_or_create(user=own_woodgrove.users.get())
    CartLineFactory(cart=cart, product=product(), quantity=4)

    qualification = follow(client, start(client), "qualification")
    assert shown_steps(qualification) == ["cart", "qualification", "review"]
    follow(
        client,
        post_step(client, "qualification", {"special_qualification": "StateOwnedEntity"}),
        "review",
    )
    confirmation, _ = buy(client)

    order = confirmation.context["order"]
    assert params(order) == {
        "tenant_preference": "existing",
        "microsoft_domain": WOODGROVE["tenant"],
        "partner_on_record_attestation_accepted": {"attestation_accepted": True},
        "special_qualifications": "soe",
    }
    assert not order.attestations.filter(kind=Attestation.Kind.CUSTOMER_AGREEMENT).exists()
    own_woodgrove.refresh_from_db()
    # The marketplace was asked (MCA in place, relationship accepted); the checks wrote nothing.
    assert own_woodgrove.relationship == Customer.Relationship.UNKNOWN


def test_offer_attestations_are_asked_but_never_partner_of_record(client, own_woodgrove):
    sign_in(client, own_woodgrove)
    offer = product(attestation=True)
    cart, _ = Cart.objects.get_or_create(user=own_woodgrove.users.get())
    CartLineFactory(cart=cart, product=offer, quantity=offer.minimum_quantity)

    attestation = follow(client, start(client), "attestation")
    form = attestation.context["wizard"]["form"]
    assert "partner_of_record" not in form.fields
    assert "Partner of Record" not in attestation.content.decode()
    assert offer.offer_attestation_text in attestation.content.decode()
    follow(client, post_step(client, "attestation", {f"offer_{offer.pk}": "on"}), "qualification")


def test_an_end_customer_cannot_order_for_another_customer(client, fourth_coffee, own_woodgrove):
    sign_in(client, own_woodgrove)
    cart, _ = Cart.objects.get_or_create(user=own_woodgrove.users.get())
    CartLineFactory(cart=cart, product=product(), quantity=2)

    # A customer id slipped into the steps is not a field of any self-service step.
    planted = {"customer-customer": fourth_coffee.pk, "customer": fourth_coffee.pk}
    opened = client.get(reverse("wizard:self_service"))
    signature = client.get(opened["Location"]).context["wizard"]["form"].current_signature
    follow(client, post_step(client, "cart", {"lines": signature}, **planted), "qualification")
    follow(
        client,
        post_step(client, "qualification", {"special_qualification": "None"}, **planted),
        "review",
    )
    confirmation, _ = buy(client)
    assert confirmation.context["order"].customer == own_woodgrove
    assert client.get(reverse("wizard:step", args=["customer"])).status_code == 403


def test_an_end_customer_sees_only_its_own_orders(client, fourth_coffee, own_woodgrove):
    others = OrderFactory(customer=fourth_coffee)
    sign_in(client, own_woodgrove)
    assert client.get(reverse("orders:detail", args=[others.reference])).status_code == 404
    assert client.get(reverse("wizard:confirmation", args=[others.reference])).status_code == 404
    assert client.get(reverse("wizard:start")).status_code == 403
    assert client.get(reverse("wizard:step", args=["cart"])).status_code == 403


def test_buy_twice_places_one_order(client, own_woodgrove):
    sign_in(client, own_woodgrove)
    cart, _ = Cart.objects.get_or_create(user=own_woodgrove.users.get())
    CartLineFactory(cart=cart, product=product(), quantity=2)
    follow(client, start(client), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    confirmation, key = buy(client)
    order = confirmation.context["order"]

    # Buy again from the review page that was still open in another tab.
    again = post_step(client, "review", {"terms": "on"}, order_key=str(key))
    assert again["Location"] == reverse("wizard:confirmation", args=[order.reference])
    done_again = client.get(step_url("done"))
    assert done_again["Location"] == reverse("wizard:confirmation", args=[order.reference])
    assert Order.objects.filter(customer=own_woodgrove).count() == 1


def test_without_self_service_the_customer_is_told_its_reseller_orders(client, northwind):
    customer = CustomerFactory(reseller=northwind)
    sign_in(client, customer)
    assert not northwind.self_service_enabled
    for response in (
        client.get(reverse("wizard:self_service")),
        client.get(step_url("cart")),
        client.get(reverse("catalog:list")),
        client.get(reverse("catalog:cart")),
        client.post(reverse("catalog:cart_add", args=[product().pk])),
    ):
        assert response.status_code == 403
        assert "Northwind IT orders Microsoft licences for you" in response.content.decode()
    assert not Cart.objects.filter(lines__isnull=False).exists()
    home = client.get(reverse("home")).content.decode()
    assert reverse("wizard:self_service") not in home


@pytest.mark.parametrize("status", [Reseller.TierStatus.INQUIRING, Reseller.TierStatus.UNCHECKED])
def test_a_reseller_not_ready_keeps_the_wizard_closed(client, own_woodgrove, status):
    Reseller.objects.filter(pk=own_woodgrove.reseller_id).update(tier_status=status)
    sign_in(client, own_woodgrove)
    cart, _ = Cart.objects.get_or_create(user=own_woodgrove.users.get())
    CartLineFactory(cart=cart, product=product(), quantity=2)
    for response in (client.get(reverse("wizard:self_service")), client.get(step_url("review"))):
        page = response.content.decode()
        assert response.status_code == 200
        assert "Northwind IT must finish its partner setup" in page
        assert "wizard-form" not in page and "partner-mpn_id" not in page
    refused = post_step(client, "review", {"terms": "on"})
    assert refused.status_code == 200 and not Order.objects.exists()

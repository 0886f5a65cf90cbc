"""Fixtures for the wizard's flow tests: the simulator in-process, a synced catalogue, a cart."""

from datetime import date

import pytest

from catalog.models import Cart, Product, Segment
from customers.models import Customer
from tests.factories import (
    CartLineFactory,
    ContactFactory,
    CustomerFactory,
    UserFactory,
)
from tests.simulated import simulated_marketplace, synced_reseller

from .simulated import TAILSPIN, WOODGROVE


@pytest.fixture
def simulator(db):
    with simulated_marketplace() as simulator:
        yield simulator


@pytest.fixture
def northwind(simulator):
    """The simulator's demo reseller, READY, with the simulator's catalogue synced."""
    return synced_reseller(name="Northwind IT", staff_email_domain="northwind-it.example")


@pytest.fixture
def buyer(northwind, client):
    user = UserFactory(reseller=northwind, username="nora")
    client.force_login(user)
    return user


def product(segment=Segment.COMMERCIAL, attestation=False, **filters):
    return (
        Product.objects.filter(
            active=True, segment=segment, offer_attestation_required=attestation, **filters
        )
        .order_by("pk")
        .first()
    )


@pytest.fixture
def add_to_cart(buyer):
    def add(item, quantity=None):
        cart, _ = Cart.objects.get_or_create(user=buyer)
        return CartLineFactory(
            cart=cart, product=item, quantity=quantity or max(item.minimum_quantity, 3)
        )

    return add


@pytest.fixture
def woodgrove(northwind):
    """A customer with a tenant that has a relationship and an accepted MCA upstream."""
    customer = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on=date(2025, 5, 1),
    )
    ContactFactory(
        customer=customer, first_name="Ava", last_name="Reyes", email="ava.reyes@woodgrove.example"
    )
    return customer


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

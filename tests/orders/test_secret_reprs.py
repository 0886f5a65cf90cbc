"""A logged ``%r`` of what the marketplace answered or what we send never shows a password.

The subscription comes from the simulator's real answer for a new tenant, whose
fulfilment parameters carry the first admin's temporary password.
"""

import logging
import uuid

import pytest

from customers.credentials import ADMIN_TEMPORARY_PASSWORD
from marketplace.types import Address, ContactPerson, CustomerInput

from .helpers import completed_order
from .simulated import plain_products

pytestmark = pytest.mark.django_db


def test_a_new_tenants_subscription_repr_leaves_its_temporary_password_out(
    upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks, caplog
):
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email=f"buyer{uuid.uuid4().hex[:6]}@northwind.example",
    )
    with simulator.client() as client:
        subscription = client.get_subscription(
            subscription_id=order.subscriptions.get().upstream_id
        )
    password = subscription.fulfillment_parameter(ADMIN_TEMPORARY_PASSWORD)
    assert password and len(password) >= 8

    with caplog.at_level(logging.INFO):
        logging.getLogger("tests.secrets").info("Subscription answer: %r", subscription)

    assert password not in repr(subscription)
    assert password not in caplog.text
    # The rest is still there to read.
    assert subscription.id in repr(subscription)
    assert "admin_login" in repr(subscription) and ADMIN_TEMPORARY_PASSWORD in repr(subscription)


def test_a_customer_inputs_repr_leaves_the_account_password_out():
    password = "Vq9#xL2!mP7@tR4z"
    customer_input = CustomerInput(
        name="Litware",
        address=Address(
            street_address="1 Main St",
            address_extension="",
            city="Utrecht",
            state="",
            postal_code="3511",
            country_code="NL",
        ),
        contact_persons=(
            ContactPerson(
                type="admin",
                first_name="Jane",
                last_name="Doe",
                email="jane@litware.example",
                phone_number="+31201234567",
                login="jane@litware.example",
                password=password,
            ),
        ),
    )

    assert customer_input.to_api()["contactPersons"][0]["password"] == password  # still sent
    assert password not in repr(customer_input)
    assert "jane@litware.example" in repr(customer_input)

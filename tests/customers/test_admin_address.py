"""The admin checks a customer's address with the wizard's and the API's rule."""

import pytest
from django.urls import reverse

from customers.models import Customer
from orders.company import company_details_clean
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_new_york_with_99999(client, admin_user):
    client.force_login(admin_user)
    reseller = factories.ResellerFactory()

    response = client.post(
        reverse("admin:customers_customer_add"),
        {
            "reseller": reseller.pk,
            "company_name": "Fabrikam Inc",
            "language": "en_US",
            "street_address": "1 Main Street",
            "city": "New York",
            "state": "NY",
            "postal_code": "99999",
            "country": "US",
            "relationship": "unknown",
            "qualification": "none",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "postal codes there look like 10000" in errors["postal_code"][0]
    assert not Customer.objects.exists()


def test_the_apis_company_details_refuse_it_at_the_prefixed_field():
    _, violations = company_details_clean(
        {
            "company_name": "Fabrikam Inc",
            "email": "ann@fabrikam.example",
            "street_address": "1 Main Street",
            "city": "New York",
            "state": "NY",
            "postal_code": "99999",
            "country": "US",
            "phone": "+1 716 633 3600",
        },
        prefix="company.",
    )

    assert [violation.field for violation in violations] == ["company.postal_code"]

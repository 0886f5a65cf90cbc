"""The new-customer step shows the address as the country writes it, and checks it so."""

from customers.models import Customer
from wizard.forms.customer import MODE_NEW, CustomerStepForm


def _form(data=None, initial=None):
    return CustomerStepForm(
        data=data,
        initial=initial,
        customers=Customer.objects.none(),
        create_customer=lambda cleaned: None,
    )


def test_a_japanese_address_starts_with_the_postal_code_and_names_the_prefecture():
    form = _form(initial={"country": "JP"})

    fields = form.address_in_order()

    assert [field.name for field in fields] == ["postal_code", "state", "street_address", "city"]
    assert form["state"].label == "Prefecture"


def test_a_us_address_asks_for_the_zip_code_after_the_state():
    form = _form(data={"mode": MODE_NEW, "country": "United States"})

    assert [field.name for field in form.address_in_order()][-2:] == ["state", "postal_code"]
    assert form["postal_code"].label == "ZIP code"


def test_new_york_with_99999_is_refused_at_the_postal_code():
    form = _form(
        data={
            "mode": MODE_NEW,
            "first_name": "Ann",
            "last_name": "Smith",
            "email": "ann@fabrikam.example",
            "phone": "+1 716 633 3600",
            "company_name": "Fabrikam Inc",
            "street_address": "1 Main Street",
            "city": "New York",
            "state": "NY",
            "postal_code": "99999",
            "country": "US",
            "login": "fabrikam",
        }
    )

    assert not form.is_valid()
    assert "postal codes there look like 10000" in form.errors["postal_code"][0]
    assert "state" not in form.errors

"""The price book page: reseller staff set the default and overrides; nobody else can."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing.models import PriceBook, PriceRule
from pricing.selectors import price_resolve
from tests.factories import CustomerFactory, ProductFactory, ResellerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("pricing:book")


@pytest.fixture
def staff(client):
    user = UserFactory(reseller=ResellerFactory())
    client.force_login(user)
    return user


def test_staff_set_a_default_markup_and_a_customer_margin(client, staff):
    product = ProductFactory(cost=Decimal("10.00"), price=Decimal("12.50"))
    customer = CustomerFactory(reseller=staff.reseller)
    saved = client.post(
        URL,
        {"save_book": "1", "book-method": "markup", "book-rate": "20", "book-rounding": "charm"},
    )
    assert saved.status_code == 302
    added = client.post(
        URL,
        {
            "add_rule": "1",
            "rule-level": "customer",
            "rule-customer": customer.pk,
            "rule-method": "margin",
            "rule-rate": "50",
        },
    )
    assert added.status_code == 302
    page = client.get(URL).content.decode()
    assert "Up to .99" in page and customer.company_name in page
    anyone = price_resolve(reseller=staff.reseller, customer=None, product=product)
    theirs = price_resolve(reseller=staff.reseller, customer=customer, product=product)
    assert (anyone.price, theirs.price) == (Decimal("12.99"), Decimal("20.99"))


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"rule-level": "customer", "rule-method": "margin", "rule-rate": "20"},
            "customer",
            "Choose what this rule applies to.",
        ),
        (
            {
                "rule-level": "segment",
                "rule-segment": "education",
                "rule-method": "margin",
                "rule-rate": "100",
            },
            "rate",
            "less than 100%",
        ),
        (
            {
                "rule-level": "family",
                "rule-mpn": "X:1",
                "rule-method": "fixed",
                "rule-fixed_price": "5",
            },
            "method",
            "A fixed price needs one product",
        ),
        (
            {
                "rule-level": "segment",
                "rule-segment": "education",
                "rule-method": "markup",
                "rule-rate": "5",
                "rule-valid_from": "2026-05-02",
                "rule-valid_until": "2026-05-01",
            },
            "valid_until",
            "cannot be before",
        ),
    ],
)
def test_a_bad_rule_is_refused_at_its_field(client, staff, data, field, words):
    answer = client.post(URL, {"add_rule": "1", **data})
    assert answer.status_code == 400
    errors = answer.context["rule_form"].errors
    assert any(words in message for message in errors[field]), errors
    assert not PriceRule.objects.exists()


def test_a_fixed_price_must_be_in_the_products_currency(client, staff):
    product = ProductFactory(currency="USD")
    answer = client.post(
        URL,
        {
            "add_rule": "1",
            "rule-level": "product",
            "rule-product": product.pk,
            "rule-method": "fixed",
            "rule-fixed_price": "9.99",
            "rule-fixed_currency": "eur",
        },
    )
    assert answer.status_code == 400
    assert "priced in USD" in answer.context["rule_form"].errors["fixed_currency"][0]


def test_others_cannot_read_or_change_a_book(client, staff):
    other_book = PriceBook.objects.create(reseller=ResellerFactory())
    rule = PriceRule.objects.create(
        book=other_book, level="segment", segment="education", method="markup", rate=5
    )
    response = client.post(reverse("pricing:rule_delete", args=[rule.pk]))
    assert response.status_code == 404
    assert PriceRule.objects.filter(pk=rule.pk).exists()  # not this reseller's rule
    customer_user = UserFactory(
        end_customer=True, customer=CustomerFactory(reseller=staff.reseller)
    )
    client.force_login(customer_user)
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory(support=True))
    assert client.get(URL).status_code == 403

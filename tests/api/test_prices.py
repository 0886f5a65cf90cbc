"""The API shows reseller staff their selling price, cost and margin (issue 24)."""

from decimal import Decimal

import pytest

from pricing.models import Level, Method, PriceBook, PriceRule
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_products_carry_the_books_price_cost_and_margin(api, reseller):
    product = ProductFactory(cost=Decimal("10.00"), price=Decimal("12.50"))
    PriceBook.objects.create(reseller=reseller, method=Method.MARKUP, rate=Decimal("15"))
    (row,) = [p for p in api.get("/api/v1/products").json()["results"] if p["id"] == product.pk]
    assert (row["unit_price"], row["list_price"]) == ("11.50", "12.50")
    assert (row["unit_cost"], row["margin"]) == ("10.00", "1.50")
    assert row["price_source"] == "Price book default: Markup on cost 15.00%"


def test_products_priced_for_one_customer_carry_its_own_rules(api, reseller):
    product = ProductFactory(cost=Decimal("10.00"), price=Decimal("12.50"))
    book = PriceBook.objects.create(reseller=reseller, method=Method.MARKUP, rate=Decimal("15"))
    favoured = CustomerFactory(reseller=reseller)
    PriceRule.objects.create(
        book=book, level=Level.CUSTOMER, customer=favoured, method=Method.MARKUP, rate=Decimal("5")
    )

    def row(**query):
        rows = api.get("/api/v1/products", query).json()["results"]
        return next(p for p in rows if p["id"] == product.pk)

    assert row()["unit_price"] == "11.50"  # any customer: the book's default
    assert row(customer_id=favoured.pk)["unit_price"] == "10.50"
    assert row(customer_id=CustomerFactory(reseller=reseller).pk)["unit_price"] == "11.50"
    assert row(customer_id=favoured.pk)["price_source"].startswith("Customer")


def test_products_cannot_be_priced_for_another_resellers_customer(api):
    answer = api.get("/api/v1/products", {"customer_id": CustomerFactory().pk})
    assert answer.status_code == 404
    assert "No customer with this id is yours." in answer.json()["detail"]


def test_an_orders_lines_carry_what_was_recorded(api, reseller):
    line = OrderLineFactory(
        order=OrderFactory(customer__reseller=reseller),
        unit_price=Decimal("11.50"),
        unit_cost=Decimal("10.00"),
        price_source="Price book default: Markup on cost 15.00%",
    )
    answer = api.get(f"/api/v1/orders/{line.order.reference}").json()
    (shown,) = answer["lines"]
    assert (shown["unit_price"], shown["unit_cost"], shown["margin"]) == ("11.50", "10.00", "1.50")

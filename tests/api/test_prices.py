"""The API shows reseller staff their selling price, cost and margin (issue 24)."""

from decimal import Decimal

import pytest

from pricing.models import Method, PriceBook
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_products_carry_the_books_price_cost_and_margin(api, reseller):
    product = ProductFactory(cost=Decimal("10.00"), price=Decimal("12.50"))
    PriceBook.objects.create(reseller=reseller, method=Method.MARKUP, rate=Decimal("15"))
    (row,) = [p for p in api.get("/api/v1/products").json()["results"] if p["id"] == product.pk]
    assert (row["unit_price"], row["list_price"]) == ("11.50", "12.50")
    assert (row["unit_cost"], row["margin"]) == ("10.00", "1.50")
    assert row["price_source"] == "Price book default: Markup on cost 15.00%"


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

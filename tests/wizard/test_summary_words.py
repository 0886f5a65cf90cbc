"""The wizard's "Your order" panel says what each price is in and what it is for."""

import pytest

from catalog.models import Period

from .conftest import product
from .simulated import step_url

pytestmark = pytest.mark.django_db


def panel(client):
    page = client.get(step_url("customer")).content.decode()
    return page.split('id="summary-heading"', 1)[1].split("</aside>", 1)[0]


def test_lines_billed_alike_add_up_to_a_total_per_month(client, buyer, add_to_cart):
    monthly = product(term=Period.P1Y, billing_period=Period.P1M)
    add_to_cart(monthly, quantity=3)

    shown = panel(client)

    assert f"{monthly.price * 3} {monthly.currency} per month, 1-year term" in shown
    assert "Total per month" in shown and f"{monthly.price * 3} {monthly.currency}" in shown
    assert "per period" not in shown


def test_lines_billed_differently_get_a_total_for_each_period(client, buyer, add_to_cart):
    monthly = product(term=Period.P1Y, billing_period=Period.P1M)
    yearly = product(term=Period.P1Y, billing_period=Period.P1Y)
    add_to_cart(monthly, quantity=2)
    add_to_cart(yearly, quantity=3)

    shown = panel(client)

    assert f"{yearly.price * 3} {yearly.currency} per year, 1-year term" in shown
    assert f"Total</strong></dt><dd><strong>{monthly.price * 2} {monthly.currency} per month" in (
        shown
    )
    assert f"Total</strong></dt><dd><strong>{yearly.price * 3} {yearly.currency} per year" in shown

"""A reseller sets a markup in the price book and sees it on the review page, in Chromium."""

import re
from decimal import ROUND_CEILING, Decimal

import pytest
from playwright.sync_api import expect

from catalog.models import Product
from orders.models import Order
from tests.factories import ContactFactory, CustomerFactory
from tests.wizard.simulated import WOODGROVE

from .test_order_journeys import (  # noqa: F401
    add_plan,
    heading,
    northwind,
    press_next,
    sign_in,
    walk_to_review,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes (Playwright's x, y, width, height) share any area."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def plans_beside_the_order_card(page):
    """At 1280 and 390 px the review's last column (margin and cost columns before it, for
    staff) is inside the table's own box and under no part of the "Your order" card.

    The crawl's overflow check cannot see this: the page itself never scrolls sideways.
    """
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        card = page.locator("aside.summary").bounding_box()
        scroller = page.locator(".table-scroll").bounding_box()
        for cell in (
            page.locator(".review-lines thead th").last,
            page.locator(".review-lines tbody tr").first.locator("td").last,
        ):
            box = cell.bounding_box()
            assert not overlap(box, card), (width, box, card)
            if width == 1280:  # every column shows without scrolling the table
                assert box["x"] + box["width"] <= scroller["x"] + scroller["width"] + 0.5
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_markup_set_in_the_book_is_the_price_on_the_review_page(page, live_server, northwind):  # noqa: F811
    woodgrove = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on="2025-05-01",
    )
    ContactFactory(customer=woodgrove)
    shot = page.shots
    sign_in(page, live_server)

    page.locator("summary", has_text="Back office").click()  # the menu groups it there
    page.get_by_role("link", name="Prices").click()
    heading(page, "Price book")
    page.locator("#id_book-method").select_option("markup")
    page.locator("#id_book-rate").fill("40")
    page.locator("#id_book-rounding").select_option("up_whole")
    shot("book-typed")
    page.get_by_role("button", name="Save the default").click()
    expect(page.get_by_text("Default prices saved.")).to_be_visible()
    expect(page.locator("#book-default")).to_contain_text("Markup on cost 40.00%")

    add_plan(
        page,
        live_server,
        "Exchange Online (Plan 1)",
        re.compile(r"^Add Exchange Online \(Plan 1\) \(NCE COM ANN\), 1 year, Monthly"),
    )
    product = Product.objects.get(
        name="Exchange Online (Plan 1) (NCE COM ANN)", term="P1Y", billing_period="P1M"
    )
    price = (product.cost * Decimal("1.4")).quantize(Decimal("1"), rounding=ROUND_CEILING)
    price = price.quantize(Decimal("0.01"))
    assert price != product.price
    page.goto(f"{live_server.url}/order/")
    walk_to_review(page)
    row = page.get_by_role("row", name=re.compile("Exchange Online"))
    expect(row.locator("[data-price]")).to_contain_text(f"{price} USD")
    expect(row.locator("[data-price]")).to_contain_text("Markup on cost 40.00%")
    expect(row.locator("[data-cost]")).to_contain_text(f"{product.cost} USD")
    expect(row.locator("[data-margin]")).to_contain_text(f"{price - product.cost} USD")
    shot("review-priced")
    plans_beside_the_order_card(page)
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    page.get_by_role("button", name="Buy").click()
    heading(page, "Your order is placed")
    line = Order.objects.get().lines.get()
    assert (line.unit_price, line.unit_cost) == (price, product.cost)

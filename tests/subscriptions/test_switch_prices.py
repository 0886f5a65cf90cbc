"""A plan switch sells the new plan at the reseller's price book, not the marketplace's list.

Each subscription is bought and each switch placed through the product's own pages and
services, sent and polled by the pipeline's own functions against the in-process simulator
(everything but the socket is real: tests/simulated.py); the marketplace's record is read
back through the product's client.
"""

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from customers.upstream import client_for
from orders.models import Order, Subscription
from orders.services.switching import plan_switch, plan_switch_options
from pricing.models import Level, Method, PriceBook, PriceRule, Rounding
from renewals.services import customer_subscriptions_sync
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, place_for
from tests.orders.simulated import simulator, upstream_reseller  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
STANDARD = "Microsoft 365 Business Standard"
BASIC = "Microsoft 365 Business Basic"
MARKUP = Decimal("20")


def product(name, term="P1Y", billing="P1M"):
    return Product.objects.get(
        name__startswith=name, segment="commercial", term=term, billing_period=billing, active=True
    )


def book_price(item) -> Decimal:
    """Cost + 20 %, to the cent (docs/money.md), written out here rather than resolved."""
    return (item.cost * (1 + MARKUP / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def customer(upstream_reseller):  # noqa: F811
    return CustomerFactory(reseller=upstream_reseller, upstream_customer_id="1000101")


@pytest.fixture
def complete(simulator, django_capture_on_commit_callbacks):  # noqa: F811
    return lambda order: complete_through_simulator(
        order, simulator, django_capture_on_commit_callbacks
    )


@pytest.fixture
def basic(customer, complete):
    """Three seats of Business Basic (a year, billed monthly), bought at the list price."""
    order = complete(place_for(customer, [product(BASIC)]))
    return order.subscriptions.get()


@pytest.fixture
def book(upstream_reseller):  # noqa: F811
    """The reseller's book from then on: markup 20 % on cost, to the cent."""
    return PriceBook.objects.create(
        reseller=upstream_reseller, method=Method.MARKUP, rate=MARKUP, rounding=Rounding.CENT
    )


@pytest.fixture
def staff(client, upstream_reseller):  # noqa: F811
    user = UserFactory(reseller=upstream_reseller)
    client.force_login(user)
    return user


def switch_url(subscription):
    return reverse("subscriptions:switch", kwargs={"pk": subscription.pk})


def sent_line(order: Order) -> dict:
    """The order line as the product sent it to the marketplace (its recorded request)."""
    return order.exchanges.get(operation="create_order").request_body["products"][0]


def marketplace_prices(subscription) -> tuple:
    """What the marketplace now records as the subscription's unit price and cost."""
    with client_for(subscription.customer.reseller) as client:
        detail = client.get_subscription(subscription_id=subscription.upstream_id)
    price, cost = detail.unit_money("")
    return price.amount, cost.amount


def test_an_upgrade_from_the_page_is_recorded_sent_and_kept_at_the_books_price(
    basic, book, staff, client, complete
):
    standard = product(STANDARD)
    price = book_price(standard)
    assert price != standard.price  # the book sells above the list price

    page = client.get(switch_url(basic)).content.decode()
    assert f"{price} USD" in page and f"{standard.price} USD" not in page
    with client_for(book.reseller) as marketplace:
        options = plan_switch_options(subscription=basic, client=marketplace)
    option = next(o for o in options if o.is_upgrade and o.product == standard)

    confirm = client.post(switch_url(basic), {"plan": option.plan_id, "seats": 3})
    assert f"{price} USD" in confirm.content.decode()
    placed = client.post(switch_url(basic), {"plan": option.plan_id, "seats": 3, "confirm": "yes"})
    change = Order.objects.get(subscription=basic, kind=Order.Kind.CHANGE)
    assert placed.status_code == 302
    line = change.lines.get()
    assert (line.unit_price, line.unit_cost) == (price, standard.cost)
    assert "Markup" in line.price_source

    change = complete(change)
    sent = sent_line(change)
    assert sent["type"] == "UPGRADE"
    assert sent["specialPrice"] == {"amount": str(price), "currency": "USD"}
    basic.refresh_from_db()
    assert (basic.product, basic.unit_price, basic.unit_cost) == (standard, price, standard.cost)
    # The marketplace priced the new plan at what we sent; its cost is still its own.
    assert marketplace_prices(basic) == (price, standard.cost)


def test_a_partial_upgrade_prices_the_moved_seats_at_the_book(basic, book, customer, complete):
    standard = product(STANDARD)
    price = book_price(standard)
    with client_for(customer.reseller) as client:
        option = next(
            o
            for o in plan_switch_options(subscription=basic, client=client)
            if o.is_upgrade and o.product == standard
        )
        assert option.selling.price == price
        change = plan_switch(
            subscription=basic, plan_id=option.plan_id, seats=1, user=None, client=client
        )
    change = complete(change)
    assert sent_line(change)["specialPrice"]["amount"] == str(price)
    moved = Subscription.objects.get(order=change)
    basic.refresh_from_db()
    assert (moved.seats, moved.unit_price, moved.unit_cost) == (1, price, standard.cost)
    assert marketplace_prices(moved) == (price, standard.cost)
    # The seats left keep what they were bought at (the list price: bought before the book).
    assert (basic.seats, basic.unit_price) == (2, product(BASIC).price)


def test_a_switch_at_list_price_sends_no_special_price(basic, customer, complete):
    """Without a book, the switch is what it always was: list price, nothing new sent."""
    standard = product(STANDARD)
    with client_for(customer.reseller) as client:
        option = next(
            o
            for o in plan_switch_options(subscription=basic, client=client)
            if o.is_upgrade and o.product == standard
        )
        change = plan_switch(
            subscription=basic, plan_id=option.plan_id, seats=3, user=None, client=client
        )
    change = complete(change)
    assert "specialPrice" not in sent_line(change)
    assert change.lines.get().unit_price == standard.price
    assert marketplace_prices(basic)[0] == standard.price


def test_a_shorter_term_at_the_renewal_takes_the_books_price_there(basic, book, customer, complete):
    def sync():
        with client_for(customer.reseller) as client:
            customer_subscriptions_sync(customer=customer, client=client)

    sync()
    basic.refresh_from_db()
    monthly = product(BASIC, term="P1M")
    price = book_price(monthly)
    assert price != monthly.price
    with client_for(customer.reseller) as client:
        option = next(
            o
            for o in plan_switch_options(subscription=basic, client=client)
            if not o.is_upgrade and o.product == monthly
        )
        change = plan_switch(
            subscription=basic, plan_id=option.plan_id, seats=3, user=None, client=client
        )
    change = complete(change)
    assert change.at_renewal
    assert sent_line(change)["specialPrice"]["amount"] == str(price)
    basic.refresh_from_db()
    assert basic.unit_price == product(BASIC).price  # nothing changes before the renewal

    days = (basic.renewal_date - timezone.now().date()).days
    with time_machine.travel(datetime.now(UTC) + timedelta(days=days + 1, hours=1)):
        sync()
    basic.refresh_from_db()
    assert basic.product == monthly
    assert (basic.unit_price, basic.unit_cost) == (price, monthly.cost)
    assert (basic.marketplace_unit_price, basic.marketplace_unit_cost) == (price, monthly.cost)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_switch_page_writes_the_selling_price_cost_and_margin_for_the_staffs_language(
    basic, book, staff, client, language
):
    staff.language = language
    staff.save()
    standard = product(STANDARD)
    price, cost = book_price(standard), standard.cost.quantize(Decimal("0.01"))
    margin = price - cost

    def local(amount):
        text = f"{amount:.2f} USD"
        return text.replace(".", ",") if language == "de" else text

    page = client.get(switch_url(basic)).content.decode()
    assert local(price) in page
    assert local(cost) in page and local(margin) in page
    assert ("pro Lizenz pro Monat" if language == "de" else "per seat per month") in page


def test_an_end_customer_never_sees_the_switch_page_or_its_costs(basic, book, client):
    customer_user = UserFactory(end_customer=True, customer=basic.customer)
    client.force_login(customer_user)
    standard = product(STANDARD)
    response = client.get(switch_url(basic))
    assert response.status_code == 403
    body = response.content.decode()
    for figure in (standard.cost, book_price(standard) - standard.cost):
        assert f"{figure:.2f}" not in body
    assert "margin" not in body.lower() and "cost" not in body.lower()


def fixed_price_for(customer, item, price, *, book, **dates):
    """The book's rule: ``customer`` pays ``price`` for ``item`` (from ``valid_from``, if given)."""
    return PriceRule.objects.create(
        book=book,
        level=Level.CUSTOMER_PRODUCT,
        customer=customer,
        product=item,
        method=Method.FIXED,
        fixed_price=price,
        fixed_currency=item.currency,
        **dates,
    )


def test_the_upgrades_offered_are_in_the_order_of_the_customers_price(basic, book, customer):
    def upgrades():
        with client_for(customer.reseller) as client:
            options = plan_switch_options(subscription=basic, client=client)
        return [o for o in options if o.is_upgrade]

    listed = upgrades()
    assert len(listed) >= 2
    # For this customer the plan dearest at list price becomes the cheapest upgrade.
    dearest = max(listed, key=lambda o: o.product.price).product
    cheapest = min(o.selling.price for o in listed)
    fixed_price_for(customer, dearest, cheapest - Decimal("0.01"), book=book)
    offered = upgrades()
    assert offered[0].product == dearest
    prices = [o.selling.price for o in offered]
    assert prices == sorted(prices)


def test_a_switch_at_the_renewal_is_priced_at_the_books_price_on_that_day(
    basic, book, customer, complete
):
    with client_for(customer.reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    basic.refresh_from_db()
    monthly, standard = product(BASIC, term="P1M"), product(STANDARD)
    # From the renewal on, this customer pays a price agreed for the monthly plan.
    fixed_price_for(customer, monthly, Decimal("7.77"), book=book, valid_from=basic.renewal_date)
    with client_for(customer.reseller) as client:
        options = plan_switch_options(subscription=basic, client=client)
        at_renewal = next(o for o in options if o.at_renewal and o.product == monthly)
        now = next(o for o in options if not o.at_renewal and o.product == standard)
        assert (at_renewal.selling.price, now.selling.price) == (
            Decimal("7.77"),
            book_price(standard),
        )
        change = plan_switch(
            subscription=basic, plan_id=at_renewal.plan_id, seats=3, user=None, client=client
        )
    change = complete(change)
    assert change.lines.get().unit_price == Decimal("7.77")
    assert sent_line(change)["specialPrice"]["amount"] == "7.77"

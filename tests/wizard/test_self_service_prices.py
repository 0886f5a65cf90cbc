"""Who sees what (issue 24): an end customer sees its own selling price, never a cost or margin.

An end customer walks the self-service wizard (test client, in-process simulator over the
product's own client), the order is sent and completed by the pipeline's own functions, and
every page, the completion e-mail and the order it reads are scanned for the cost and margin
figures and words. Reseller staff, on the same order, see all three.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalog.models import Cart
from orders.models import Subscription
from pricing.models import Level, Method, PriceBook, PriceRule, Rounding
from tests.factories import CartLineFactory, ContactFactory, CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator

from . import journey
from .conftest import product
from .simulated import SELF_SERVICE, WOODGROVE

pytestmark = pytest.mark.django_db
COST_WORDS = re.compile(r"\b(cost|costs|margin|margins|markup)\b", re.IGNORECASE)


@pytest.fixture
def priced(northwind):
    """Northwind lets Woodgrove order for itself, at a 30 % margin for Woodgrove only."""
    northwind.self_service_enabled = True
    northwind.save(update_fields=["self_service_enabled"])
    woodgrove = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on=date(2025, 5, 1),
    )
    ContactFactory(customer=woodgrove, email="it@woodgrove.example")
    book = PriceBook.objects.create(
        reseller=northwind, method=Method.MARKUP, rate=Decimal("10"), rounding=Rounding.CENT
    )
    PriceRule.objects.create(
        book=book, level=Level.CUSTOMER, customer=woodgrove, method=Method.MARGIN, rate=30
    )
    return woodgrove


def _figures(plan):
    price = (plan.cost * 100 / Decimal(70)).quantize(Decimal("0.01"))
    return price, plan.cost, price - plan.cost


def _assert_no_cost(text, cost, margin, where):
    for figure in {str(cost), str(margin)}:
        assert figure not in text, f"{where} shows {figure}"
    found = COST_WORDS.search(text)
    assert found is None, f"{where} says {found.group(0)!r}"


def test_an_end_customer_sees_its_price_and_never_cost_or_margin(
    client, priced, simulator, django_capture_on_commit_callbacks
):
    plan = product()
    price, cost, margin = _figures(plan)
    assert price != plan.price and margin > 0
    user = UserFactory(end_customer=True, customer=priced, username="wanda", email="w@wb.example")
    client.force_login(user)
    cart, _ = Cart.objects.get_or_create(user=user)
    CartLineFactory(cart=cart, product=plan, quantity=4)

    pages = {
        "catalogue": client.get(reverse("catalog:list"), {"q": plan.mpn}),
        "cart": client.get(reverse("catalog:cart")),
    }
    opened = client.get(reverse("wizard:self_service"))
    signature = client.get(opened["Location"]).context["wizard"]["form"].current_signature
    qualification = journey.follow(
        client,
        SELF_SERVICE.post_step(client, "cart", {"lines": signature}),
        "qualification",
        wizard=SELF_SERVICE,
    )
    pages["qualification step"] = qualification
    journey.follow(
        client,
        SELF_SERVICE.post_step(client, "qualification", {"special_qualification": "None"}),
        "review",
        wizard=SELF_SERVICE,
    )
    review, confirmation = journey.place(client, "", wizard=SELF_SERVICE)
    pages["review"] = review
    order = confirmation.context["order"]
    line = order.lines.get()
    assert (line.unit_price, line.unit_cost) == (price, cost)  # recorded for the reseller

    mail.outbox.clear()
    order = complete_through_simulator(order, simulator, django_capture_on_commit_callbacks)
    subscription = Subscription.objects.get(order=order)
    pages.update(
        {
            "confirmation": confirmation,
            "order page": client.get(reverse("orders:detail", args=[order.reference])),
            "order list": client.get(reverse("orders:list")),
            "subscriptions": client.get(reverse("subscriptions:list")),
            "subscription": client.get(
                reverse("subscriptions:detail", kwargs={"pk": subscription.pk})
            ),
            "home": client.get(reverse("home")),
        }
    )
    for where, page in pages.items():
        assert page.status_code == 200, where
        text = page.content.decode()
        _assert_no_cost(text, cost, margin, where)
    for where in ("catalogue", "cart", "review", "order page"):
        assert str(price) in pages[where].content.decode(), f"{where} lacks the selling price"

    customer_mails = [m for m in mail.outbox if set(m.to) & {"it@woodgrove.example", user.email}]
    assert customer_mails, "the customer's completion e-mail was not sent"
    for message in customer_mails:
        _assert_no_cost(message.subject + message.body, cost, margin, f"mail {message.subject}")

    staff = Client()
    staff.force_login(UserFactory(reseller=priced.reseller))
    shown = staff.get(reverse("orders:detail", args=[order.reference])).content.decode()
    assert str(cost) in shown and str(margin) in shown and str(price) in shown
    assert "They agree." in shown  # the marketplace's margin matches ours


def test_a_price_changed_after_the_review_was_shown_stops_the_buy(client, priced):
    plan = product()
    user = UserFactory(end_customer=True, customer=priced, username="wes")
    client.force_login(user)
    cart, _ = Cart.objects.get_or_create(user=user)
    CartLineFactory(cart=cart, product=plan, quantity=2)
    opened = client.get(reverse("wizard:self_service"))
    signature = client.get(opened["Location"]).context["wizard"]["form"].current_signature
    SELF_SERVICE.post_step(client, "cart", {"lines": signature})
    SELF_SERVICE.post_step(client, "qualification", {"special_qualification": "None"})
    review = client.get(SELF_SERVICE.step_url("review"))
    shown = review.context["form"].price_signature
    assert str(_figures(plan)[0]) in shown
    PriceRule.objects.filter(customer=priced).update(rate=40)  # the reseller raises the margin

    answer = SELF_SERVICE.post_step(
        client, "review", {"po_number": "", "terms": "on", "prices_shown": shown}
    )
    assert answer.status_code == 200
    assert "The prices changed since this page was shown" in answer.content.decode()
    assert not priced.orders.exists()

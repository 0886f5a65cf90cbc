"""Co-terming rules and the prorated first charge (orders.coterming), as plain functions."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from catalog.models import Product
from orders.coterming import coterm_end, coterm_first_charge, coterm_problems

TODAY = date(2026, 12, 7)


def product(rule, kind="SUBSCRIPTION", term="P1Y"):
    return Product(
        name="Add-on", term=term, coterming_required=rule, coterming_type=kind, price=Decimal(30)
    )


def ending(day):
    return SimpleNamespace(renewal_date=day)


def test_an_annual_add_on_co_termed_to_a_subscription_pays_the_share_of_its_first_month():
    # Billed monthly, ending 20 Jan 2027: billing dates fall on the 20th; 7 → 20 Dec is 13 of 30.
    coterm = coterm_first_charge(
        unit_price=Decimal("30.00"),
        quantity=4,
        billing_period="P1M",
        start=TODAY,
        end=date(2027, 1, 20),
    )
    assert coterm.first_billing_date == date(2026, 12, 20)
    assert coterm.share == Decimal(13) / Decimal(30)
    assert coterm.first_charge == Decimal("52.00")


def test_billed_for_the_term_up_front_it_pays_the_share_of_the_term_left():
    coterm = coterm_first_charge(
        unit_price=Decimal("365.00"),
        quantity=1,
        billing_period="P1Y",
        start=TODAY,
        end=date(2027, 6, 30),
    )
    assert coterm.first_billing_date == date(2027, 6, 30)
    assert coterm.first_charge == Decimal("205.00")  # 205 of the year's 365 days


def test_end_of_month_alignment_ends_the_term_at_the_month_end_before_its_anniversary():
    annual = product("ALLOWED", "END_OF_MONTH")
    assert coterm_end(product=annual, end_of_month=True, today=TODAY) == date(2027, 11, 30)
    monthly = product("ALLOWED", "END_OF_MONTH", term="P1M")
    assert coterm_end(product=monthly, end_of_month=True, today=TODAY) == date(2026, 12, 31)


def test_mandatory_forces_alignment_when_the_customer_has_a_subscription():
    copilot = product("MANDATORY")
    existing = ending(date(2027, 1, 20))
    (problem,) = coterm_problems(
        product=copilot,
        target=None,
        end_of_month=False,
        customer_subscriptions=[existing],
        today=TODAY,
    )
    assert "must end with one of the customer's subscriptions" in str(problem)
    assert not coterm_problems(
        product=copilot, target=None, end_of_month=False, customer_subscriptions=[], today=TODAY
    )
    assert not coterm_problems(
        product=copilot,
        target=existing,
        end_of_month=False,
        customer_subscriptions=[existing],
        today=TODAY,
    )


def test_restricted_forbids_any_alignment_and_allowed_offers_it():
    existing = ending(date(2027, 1, 20))
    (problem,) = coterm_problems(
        product=product("RESTRICTED"),
        target=existing,
        end_of_month=False,
        customer_subscriptions=[existing],
        today=TODAY,
    )
    assert "cannot be aligned" in str(problem)
    assert not coterm_problems(
        product=product("ALLOWED"),
        target=existing,
        end_of_month=False,
        customer_subscriptions=[existing],
        today=TODAY,
    )


def test_an_alignment_the_product_type_or_its_term_does_not_allow_is_refused():
    existing = ending(date(2027, 1, 20))
    monthly = product("ALLOWED", term="P1M")
    (beyond,) = coterm_problems(
        product=monthly,
        target=existing,
        end_of_month=False,
        customer_subscriptions=[existing],
        today=TODAY,
    )
    assert "within its own term" in str(beyond)
    (wrong_kind,) = coterm_problems(
        product=product("ALLOWED"),
        target=None,
        end_of_month=True,
        customer_subscriptions=[existing],
        today=TODAY,
    )
    assert "existing subscription's end date" in str(wrong_kind)

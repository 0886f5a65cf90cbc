"""Random price books against a brute-force reference resolver (issue 24).

The reference is written apart from ``pricing.selectors``: it walks the levels from the
most specific down, keeps every rule that names the product and customer on the day, and
prices in exact fractions, rounding by counting up to the next allowed amount.
"""

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import Period, Segment
from pricing.models import Level, Method, PriceBook, PriceRule, Rounding
from pricing.rounding import price_round
from pricing.selectors import price_from_book, price_resolve, price_resolve_many
from tests.factories import CustomerFactory, ProductFactory, ResellerFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
LEVELS_MOST_SPECIFIC_FIRST = [
    Level.CUSTOMER_PRODUCT,
    Level.CUSTOMER,
    Level.PRODUCT,
    Level.FAMILY,
    Level.SEGMENT,
]


@pytest.fixture
def world():
    reseller = ResellerFactory()
    other = ResellerFactory()
    customers = [CustomerFactory(reseller=reseller), CustomerFactory(reseller=reseller)]
    products = []
    for mpn, segment in (("FAM-A:0001", Segment.COMMERCIAL), ("FAM-B:0001", Segment.EDUCATION)):
        for billing, cost in ((Period.P1M, "7.13"), (Period.P1Y, "85.60")):
            products.append(
                ProductFactory(
                    mpn=mpn,
                    segment=segment,
                    billing_period=billing,
                    cost=Decimal(cost),
                    price=Decimal(cost) + Decimal("2.50"),
                )
            )
    products.append(ProductFactory(mpn="NOCOST:0001", cost=Decimal("0"), price=Decimal("4.00")))
    return reseller, other, customers, products


def reference_price(book, rules, customer, product, day):
    """Return (price, level, rule) by the rules as docs/money.md states them."""
    cost = Fraction(product.cost) if product.cost > 0 else None
    for level in LEVELS_MOST_SPECIFIC_FIRST:
        found = []
        for rule in rules:
            if rule.level != level:
                continue
            if rule.valid_from is not None and day < rule.valid_from:
                continue
            if rule.valid_until is not None and day > rule.valid_until:
                continue
            if rule.method == Method.FIXED and rule.fixed_currency != product.currency:
                continue
            names_customer = customer is not None and rule.customer_id == customer.pk
            names_product = rule.product_id == product.pk
            if (
                (level == Level.CUSTOMER_PRODUCT and names_customer and names_product)
                or (level == Level.CUSTOMER and names_customer)
                or (level == Level.PRODUCT and names_product)
                or (level == Level.FAMILY and rule.mpn == product.mpn)
                or (level == Level.SEGMENT and rule.segment == product.segment)
            ):
                found.append(rule)
        if found:
            latest = max(r.valid_from or datetime.date.min for r in found)
            rule = max(
                (r for r in found if (r.valid_from or datetime.date.min) == latest),
                key=lambda r: r.pk,
            )
            return (
                _apply(
                    rule.method,
                    rule.rate,
                    rule.fixed_price,
                    rule.rounding or book.rounding,
                    cost,
                    product,
                ),
                level,
                rule,
            )
    return _apply(book.method, book.rate, None, book.rounding, cost, product), "default", None


def _apply(method, rate, fixed, rounding, cost, product):
    if method == Method.FIXED:
        return Fraction(fixed)
    if method == Method.LIST or cost is None:
        return Fraction(product.price)
    if method == Method.MARKUP:
        exact = cost * (1 + Fraction(rate) / 100)
    else:
        exact = cost / (1 - Fraction(rate) / 100)
    return _reference_round(exact, rounding)


def _reference_round(exact: Fraction, rounding) -> Fraction:
    if rounding == Rounding.CENT:
        cents = math.floor(exact * 100)
        return Fraction(cents + (1 if exact * 100 - cents >= Fraction(1, 2) else 0), 100)
    step, offset = {
        Rounding.UP_CENT: (Fraction(1, 100), 0),
        Rounding.UP_WHOLE: (Fraction(1), 0),
        Rounding.UP_FIVE_CENTS: (Fraction(5, 100), 0),
        Rounding.CHARM: (Fraction(1), Fraction(99, 100)),
    }[rounding]
    candidate = math.floor(exact / step) * step + offset - 2 * step
    while candidate < exact:
        candidate += step
    return candidate


rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("99.99"), places=2)
markups = st.decimals(min_value=Decimal("-50"), max_value=Decimal("300"), places=2)
dates = st.one_of(st.none(), st.dates(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
roundings = st.sampled_from(Rounding.values)


@st.composite
def how(draw, *, fixed_allowed):
    methods = [Method.MARKUP, Method.MARGIN, Method.LIST] + (
        [Method.FIXED] if fixed_allowed else []
    )
    method = draw(st.sampled_from(methods))
    fields = {"method": method, "rate": None, "fixed_price": None, "fixed_currency": ""}
    if method == Method.MARKUP:
        fields["rate"] = draw(markups)
    elif method == Method.MARGIN:
        fields["rate"] = draw(rates)
    elif method == Method.FIXED:
        fields["fixed_price"] = draw(st.decimals(Decimal("0"), Decimal("500"), places=2))
        fields["fixed_currency"] = draw(st.sampled_from(["USD", "USD", "EUR"]))
    return fields


@st.composite
def rule_specs(draw):
    level = draw(st.sampled_from(Level.values))
    fixed_allowed = level in (Level.PRODUCT, Level.CUSTOMER_PRODUCT)
    first, last = sorted([draw(dates), draw(dates)], key=lambda d: d or datetime.date.max)
    if draw(st.booleans()):
        first, last = last, None  # open-ended from a day
    return {
        "level": level,
        "segment": draw(st.sampled_from(Segment.values)),
        "family": draw(st.sampled_from(["FAM-A:0001", "FAM-B:0001", "NOCOST:0001"])),
        "product": draw(st.integers(0, 4)),
        "customer": draw(st.integers(0, 1)),
        "rounding": draw(st.sampled_from([""] + Rounding.values)),
        "valid_from": first,
        "valid_until": last,
        **draw(how(fixed_allowed=fixed_allowed)),
    }


def _rules(book, specs, products, customers):
    return [
        PriceRule(
            pk=index + 1,
            book=book,
            level=spec["level"],
            segment=spec["segment"] if spec["level"] == Level.SEGMENT else "",
            mpn=spec["family"] if spec["level"] == Level.FAMILY else "",
            product=products[spec["product"]]
            if spec["level"] in (Level.PRODUCT, Level.CUSTOMER_PRODUCT)
            else None,
            customer=customers[spec["customer"]]
            if spec["level"] in (Level.CUSTOMER, Level.CUSTOMER_PRODUCT)
            else None,
            method=spec["method"],
            rate=spec["rate"],
            fixed_price=spec["fixed_price"],
            fixed_currency=spec["fixed_currency"],
            rounding=spec["rounding"],
            valid_from=spec["valid_from"],
            valid_until=spec["valid_until"],
        )
        for index, spec in enumerate(specs)
    ]


def _assert_as_reference(resolved, book, rules, customer, products, day):
    for product in products:
        price, level, rule = reference_price(book, rules, customer, product, day)
        got = resolved[product.pk]
        assert Fraction(got.price) == price, (customer, product, got.source)
        assert got.level == level and got.rule_id == (rule.pk if rule else None)
        assert got.currency == product.currency
        assert got.billing_period == product.billing_period
        assert got.cost == (product.cost if product.cost > 0 else None)


books = st.fixed_dictionaries({"default": how(fixed_allowed=False), "rounding": roundings})
days = st.dates(datetime.date(2025, 12, 1), datetime.date(2027, 1, 31))


@given(book=books, specs=st.lists(rule_specs(), max_size=12), day=days)
def test_every_product_and_customer_resolves_as_the_reference_says(world, book, specs, day):
    """The rule choice and arithmetic, in memory: 200 random books (the ci profile)."""
    reseller, _, customers, products = world
    book = PriceBook(
        reseller=reseller,
        method=book["default"]["method"],
        rate=book["default"]["rate"] or 0,
        rounding=book["rounding"],
    )
    rules = _rules(book, specs, products, customers)
    for customer in [None, *customers]:
        resolved = {
            product.pk: price_from_book(
                book=book,
                rules=rules,
                customer_id=customer.pk if customer else None,
                product=product,
                on=day,
            )
            for product in products
        }
        _assert_as_reference(resolved, book, rules, customer, products, day)


@settings(max_examples=15)
@given(book=books, specs=st.lists(rule_specs(), max_size=12), day=days)
def test_saved_books_resolve_as_the_reference_says(world, book, specs, day):
    """The same through the database (``price_resolve_many``), and only for its reseller."""
    reseller, other, customers, products = world
    PriceBook.objects.filter(reseller=reseller).delete()
    book = PriceBook.objects.create(
        reseller=reseller,
        method=book["default"]["method"],
        rate=book["default"]["rate"] or 0,
        rounding=book["rounding"],
    )
    rules = _rules(book, specs, products, customers)
    for rule in rules:
        rule.pk = None
    rules = PriceRule.objects.bulk_create(rules)
    for customer in [None, *customers]:
        resolved = price_resolve_many(
            reseller=reseller, customer=customer, products=products, on=day
        )
        _assert_as_reference(resolved, book, rules, customer, products, day)
    # Another reseller's customers never see this book.
    for product in products:
        assert price_resolve(reseller=other, customer=None, product=product).price == product.price


def test_rounding_examples():
    assert price_round(Decimal("12.00"), Rounding.CHARM) == Decimal("12.99")
    assert price_round(Decimal("11.99"), Rounding.CHARM) == Decimal("11.99")
    assert price_round(Decimal("12.001"), Rounding.UP_CENT) == Decimal("12.01")
    assert price_round(Decimal("12.01"), Rounding.UP_FIVE_CENTS) == Decimal("12.05")
    assert price_round(Decimal("12.10"), Rounding.UP_WHOLE) == Decimal("13.00")
    assert price_round(Decimal("12.345"), Rounding.CENT) == Decimal("12.35")


def test_a_book_without_rules_marks_up_cost_and_says_so(world):
    reseller, _, customers, products = world
    PriceBook.objects.create(reseller=reseller, method=Method.MARKUP, rate=Decimal("20"))
    resolved = price_resolve(reseller=reseller, customer=customers[0], product=products[0])
    assert resolved.price == Decimal("8.56")  # 7.13 × 1.2 = 8.556
    assert resolved.margin == Decimal("1.43")
    assert resolved.source == "Price book default: Markup on cost 20.00%"
    no_cost = price_resolve(reseller=reseller, customer=None, product=products[-1])
    assert no_cost.price == Decimal("4.00") and "no cost known" in no_cost.source

"""Resolve what a reseller charges a customer for a product on a day, and why."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LEVEL_RANK, Level, Method, PriceBook, PriceRule
from .rounding import price_round

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ResolvedPrice:
    """One seat's selling price per billing period, its cost, and where the price came from."""

    cost: Decimal | None
    price: Decimal
    currency: str
    billing_period: str
    source: str
    level: str  # "list", "default" or a ``Level`` value
    rule_id: int | None = None

    @property
    def margin(self) -> Decimal | None:
        """The reseller's margin on one seat (price − cost), or None without a known cost."""
        return None if self.cost is None else self.price - self.cost

    @property
    def margin_rate(self) -> Decimal | None:
        """The margin as a percentage of the selling price, to one decimal."""
        if self.cost is None or not self.price:
            return None
        return (self.margin * HUNDRED / self.price).quantize(Decimal("0.1"))


def price_resolve(*, reseller, customer, product, on: datetime.date | None = None) -> ResolvedPrice:
    """Return the price ``reseller`` charges ``customer`` (or anyone, if None) for ``product``."""
    return price_resolve_many(reseller=reseller, customer=customer, products=[product], on=on)[
        product.pk
    ]


def price_resolve_many(
    *, reseller, customer, products, on: datetime.date | None = None
) -> dict[int, ResolvedPrice]:
    """Return ``price_resolve`` for each of ``products``, by product id, in two queries."""
    prices = PriceList(reseller=reseller, customer=customer, on=on)
    return {product.pk: prices(product) for product in products}


class PriceList:
    """One reseller's prices for one customer (or anyone) on one day, read in two queries.

    Call it with a product for its ``ResolvedPrice``; pages that show many products
    make one and call it for each.
    """

    def __init__(self, *, reseller, customer, on: datetime.date | None = None):
        self.on = on or timezone.localdate()
        reseller_id = getattr(reseller, "pk", reseller)
        self.book = (
            PriceBook.objects.filter(reseller_id=reseller_id).first() if reseller_id else None
        )
        self.rules = book_rules(self.book, customer) if self.book else []
        self.customer_id = customer.pk if customer else None

    def __call__(self, product) -> ResolvedPrice:
        if self.book is None:
            return list_price(product)
        return price_from_book(
            book=self.book,
            rules=self.rules,
            customer_id=self.customer_id,
            product=product,
            on=self.on,
        )


def cart_lines_price(*, lines, reseller, customer, on: datetime.date | None = None) -> list:
    """Set each cart line's ``selling`` price (``CartLine.unit_price`` then reads it)."""
    prices = PriceList(reseller=reseller, customer=customer, on=on)
    for line in lines:
        line.selling = prices(line.product)
    return lines


def sees_cost(user) -> bool:
    """Say whether ``user`` may see costs and margins: never an end customer."""
    role = getattr(user, "role", None)
    return bool(role) and role != user.Role.CUSTOMER_USER


def buyer_of(user):
    """Return (reseller id, customer or None) whose prices ``user`` is shown."""
    if getattr(user, "role", None) == user.Role.CUSTOMER_USER:
        return user.customer.reseller_id, user.customer
    return getattr(user, "reseller_id", None), None


def book_rules(book: PriceBook, customer) -> list[PriceRule]:
    """Return the rules of ``book`` that may apply to ``customer``'s prices."""
    customer_rule = Q(customer__isnull=True)
    if customer is not None:
        customer_rule |= Q(customer=customer)
    return list(book.rules.filter(customer_rule).select_related("product", "customer"))


def list_price(product, why: str | None = None) -> ResolvedPrice:
    """Return the marketplace's list price (``prices[]``) as the selling price."""
    return ResolvedPrice(
        cost=_known_cost(product),
        price=product.price,
        currency=product.currency,
        billing_period=product.billing_period,
        source=why or _("The marketplace's list price (no price book)"),
        level="list",
    )


def price_from_book(*, book, rules, customer_id, product, on) -> ResolvedPrice:
    """Apply the most specific rule of ``rules`` in force on ``on``, else the book's default.

    A more specific level wins (customer and product, customer, product, family, segment);
    between two rules of one level, the one that started later, then the newer one.
    A fixed price in another currency than the product's never applies.
    """
    best = None
    for rule in rules:
        if not (
            rule_matches(rule, customer_id=customer_id, product=product) and rule.applies_on(on)
        ):
            continue
        key = (LEVEL_RANK[rule.level], rule.valid_from or datetime.date.min, rule.pk)
        if best is None or key > best[0]:
            best = (key, rule)
    if best is None:
        words = _("Price book default: %(how)s") % {"how": _how(book.method, book.rate)}
        return _priced(product, book.method, book.rate, None, book.rounding, words, "default")
    rule = best[1]
    words = _("%(level)s rule (%(target)s): %(how)s") % {
        "level": rule.get_level_display(),
        "target": rule.target_words(),
        "how": rule.how_words(),
    }
    if rule.valid_from or rule.valid_until:
        words += _(", valid %(start)s to %(end)s") % {
            "start": rule.valid_from or "…",
            "end": rule.valid_until or "…",
        }
    return _priced(
        product,
        rule.method,
        rule.rate,
        rule.fixed_price,
        rule.rounding or book.rounding,
        words,
        rule.level,
        rule_id=rule.pk,
    )


def rule_matches(rule: PriceRule, *, customer_id, product) -> bool:
    """Say whether ``rule`` is about ``product`` for the customer ``customer_id``."""
    if rule.level == Level.SEGMENT:
        matched = rule.segment == product.segment
    elif rule.level == Level.FAMILY:
        matched = rule.mpn == product.mpn
    elif rule.level == Level.PRODUCT:
        matched = rule.product_id == product.pk
    elif rule.level == Level.CUSTOMER:
        matched = customer_id is not None and rule.customer_id == customer_id
    else:
        matched = (
            customer_id is not None
            and rule.customer_id == customer_id
            and rule.product_id == product.pk
        )
    if matched and rule.method == Method.FIXED:
        return rule.fixed_currency == product.currency
    return matched


def _priced(product, method, rate, fixed_price, rounding, words, level, rule_id=None):
    cost = _known_cost(product)
    if method == Method.FIXED:
        price = fixed_price
    elif method == Method.LIST or cost is None:
        price = product.price
        if method != Method.LIST:
            words += " " + _("(no cost known: the list price)")
    elif method == Method.MARKUP:
        price = price_round(cost * (HUNDRED + rate) / HUNDRED, rounding)
    else:
        price = price_round(cost * HUNDRED / (HUNDRED - rate), rounding)
    return ResolvedPrice(
        cost=cost,
        price=price,
        currency=product.currency,
        billing_period=product.billing_period,
        source=words,
        level=level,
        rule_id=rule_id,
    )


def _known_cost(product) -> Decimal | None:
    return product.cost if product.cost and product.cost > 0 else None


def _how(method, rate) -> str:
    if method == Method.LIST:
        return str(Method.LIST.label)
    return f"{Method(method).label} {rate}%"

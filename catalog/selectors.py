"""Reads of the catalogue and the cart.

The catalogue can hold tens of thousands of rows, so listing never counts the
whole result: a page fetches one row more than it shows to know whether a next
page exists.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from .models import Cart, CartLine, Period, Product, Segment

PAGE_SIZE = 25
#: Beyond this page the offset scan gets slow; narrowing the search is the better answer.
MAX_PAGE = 400


@dataclass(frozen=True)
class ProductFilters:
    segment: str = Segment.COMMERCIAL
    query: str = ""
    term: str = ""
    billing: str = ""


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_number(self):
        return self.number - 1

    @property
    def next_number(self):
        return self.number + 1


def product_filters_from(params) -> ProductFilters:
    """Return the filters named in a query dict, ignoring values that are not ours."""
    segment = params.get("segment", "")
    term = params.get("term", "")
    billing = params.get("billing", "")
    return ProductFilters(
        segment=segment if segment in Segment.values else Segment.COMMERCIAL,
        query=" ".join(str(params.get("q", "")).split())[:100],
        term=term if term in Period.values else "",
        billing=billing if billing in Period.values else "",
    )


def product_search(*, filters: ProductFilters) -> QuerySet[Product]:
    """Return the active products matching ``filters``, in catalogue order."""
    products = Product.objects.active().filter(segment=filters.segment)
    if filters.query:
        # An MPN is searched from its start (it is indexed); a name anywhere in it.
        products = products.filter(
            Q(mpn__istartswith=filters.query) | Q(name__icontains=filters.query)
        )
    if filters.term:
        products = products.filter(term=filters.term)
    if filters.billing:
        products = products.filter(billing_period=filters.billing)
    return products.order_by("name", "term", "billing_period", "pk")


def product_page(*, filters: ProductFilters, page: int, page_size: int = PAGE_SIZE) -> ProductPage:
    """Return one page of ``product_search`` without counting every match."""
    number = min(max(page, 1), MAX_PAGE)
    start = (number - 1) * page_size
    rows = list(product_search(filters=filters)[start : start + page_size + 1])
    return ProductPage(
        products=rows[:page_size],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > page_size and number < MAX_PAGE,
    )


def page_number_from(params) -> int:
    try:
        return int(params.get("page", 1))
    except (TypeError, ValueError):
        return 1


def cart_lines(*, user) -> list[CartLine]:
    """Return the user's cart lines with their products, oldest first."""
    if not user.is_authenticated:
        return []
    return list(
        CartLine.objects.filter(cart__user=user)
        .select_related("product")
        .order_by("added_at", "pk")
    )


def cart_line_for(*, user, line_id) -> CartLine | None:
    return CartLine.objects.filter(cart__user=user, pk=line_id).select_related("product").first()


@dataclass(frozen=True)
class CartSummary:
    line_count: int
    seat_count: int


def cart_summary(*, user) -> CartSummary:
    """Return what the cart badge shows: how many lines and seats the cart holds."""
    quantities = list(CartLine.objects.filter(cart__user=user).values_list("quantity", flat=True))
    return CartSummary(line_count=len(quantities), seat_count=sum(quantities))


def cart_total(lines: list[CartLine]) -> Decimal:
    return sum((line.line_price for line in lines), Decimal("0"))


def cart_currency(lines: list[CartLine]) -> str:
    return lines[0].product.currency if lines else "USD"


def cart_exists(*, user) -> bool:
    return Cart.objects.filter(user=user, lines__isnull=False).exists()

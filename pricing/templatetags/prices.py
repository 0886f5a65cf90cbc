"""Selling prices on pages of rooms below pricing (the catalogue, the cart): ``{% load prices %}``.

Each page asks for the prices of the signed-in user: an end customer's own, or, for
reseller staff, the book's general price with its cost and margin beside it.
"""

from django import template

from ..selectors import PriceList, buyer_of, cart_lines_price, sees_cost

register = template.Library()

_PRICE_LIST = "pricing.price_list"


def _price_list(context) -> PriceList:
    request = context["request"]
    prices = getattr(request, _PRICE_LIST.replace(".", "_"), None)
    if prices is None:
        reseller_id, customer = buyer_of(request.user)
        prices = PriceList(reseller=reseller_id, customer=customer)
        setattr(request, _PRICE_LIST.replace(".", "_"), prices)
    return prices


@register.simple_tag(takes_context=True)
def selling_price(context, product):
    """``{% selling_price product as price %}``: the ``ResolvedPrice`` the user is shown."""
    return _price_list(context)(product)


@register.simple_tag(takes_context=True)
def price_cart_lines(context, lines):
    """``{% price_cart_lines lines %}``: price the cart's lines for the user (renders nothing)."""
    reseller_id, customer = buyer_of(context["request"].user)
    cart_lines_price(lines=lines, reseller=reseller_id, customer=customer)
    return ""


@register.filter
def shows_cost(user) -> bool:
    """``{% if request.user|shows_cost %}``: costs and margins are for the reseller's side."""
    return sees_cost(user)

"""The cart: adding, changing quantities within the product's limits, removing, surviving logout."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import CartLine
from tests.factories import CartLineFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_add_to_cart_without_js_returns_to_the_same_list_page(client, reseller_user):
    product = ProductFactory(minimum_quantity=3)
    client.force_login(reseller_user)
    back_to = reverse("catalog:list") + "?segment=commercial&q=plan&page=2"

    response = client.post(reverse("catalog:cart_add", args=[product.pk]), {"next": back_to})

    assert response.status_code == 302
    assert response["Location"] == back_to
    line = CartLine.objects.get(cart__user=reseller_user)
    assert (line.product, line.quantity) == (product, 3)
    followed = client.get(back_to)
    assert f"{product.name} is in your cart (3)." in followed.content.decode()


def test_add_to_cart_refuses_a_redirect_to_another_site(client, reseller_user):
    product = ProductFactory()
    client.force_login(reseller_user)

    response = client.post(
        reverse("catalog:cart_add", args=[product.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("catalog:list")


def test_add_to_cart_with_htmx_swaps_the_badge(client, reseller_user):
    product = ProductFactory()
    CartLineFactory(cart__user=reseller_user, quantity=4)
    client.force_login(reseller_user)

    response = client.post(reverse("catalog:cart_add", args=[product.pk]), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="cart-badge"' in body
    assert "2 plans, 5 licences" in body
    assert "<html" not in body


def test_adding_the_same_plan_again_adds_one_licence(client, reseller_user):
    product = ProductFactory()
    client.force_login(reseller_user)
    url = reverse("catalog:cart_add", args=[product.pk])
    client.post(url)
    client.post(url)

    assert CartLine.objects.get(cart__user=reseller_user).quantity == 2


def test_cart_lists_sku_name_term_billing_prices_and_total(client, reseller_user):
    CartLineFactory(
        cart__user=reseller_user,
        quantity=3,
        product=ProductFactory(
            mpn="CFQ7TTC0LH18:0001", name="Business Basic", price=Decimal("6.00")
        ),
    )
    CartLineFactory(
        cart=reseller_user.cart,
        quantity=2,
        product=ProductFactory(name="Business Premium", price=Decimal("22.00")),
    )
    client.force_login(reseller_user)

    body = client.get(reverse("catalog:cart")).content.decode()

    for text in (
        "CFQ7TTC0LH18:0001",
        "Business Basic",
        "1 year",
        "Monthly",
        "6.00",
        "18.00",
        "44.00",
        "62.00 USD",
        reverse("wizard:step", args=["cart"]),
    ):
        assert text in body


@pytest.mark.parametrize(("action", "expected"), [("increase", 6), ("decrease", 4)])
def test_plus_and_minus_change_the_quantity(client, reseller_user, action, expected):
    line = CartLineFactory(cart__user=reseller_user, quantity=5)
    client.force_login(reseller_user)

    client.post(reverse("catalog:cart_line", args=[line.pk]), {"action": action})

    line.refresh_from_db()
    assert line.quantity == expected


def test_minus_stops_at_the_minimum(client, reseller_user):
    line = CartLineFactory(cart__user=reseller_user, quantity=1, product__minimum_quantity=1)
    client.force_login(reseller_user)

    client.post(reverse("catalog:cart_line", args=[line.pk]), {"action": "decrease"})

    line.refresh_from_db()
    assert line.quantity == 1


@pytest.mark.parametrize("typed", ["0", "301", "abc", "", "1e9", "9" * 40])
def test_a_typed_quantity_outside_the_limits_is_refused_at_the_field(client, reseller_user, typed):
    line = CartLineFactory(cart__user=reseller_user, quantity=5, product__maximum_quantity=300)
    client.force_login(reseller_user)

    response = client.post(
        reverse("catalog:cart_line", args=[line.pk]), {"action": "set", "quantity": typed}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="quantity-{line.pk}-error"' in body
    assert f'aria-describedby="quantity-{line.pk}-hint quantity-{line.pk}-error"' in body
    line.refresh_from_db()
    assert line.quantity == 5


def test_a_typed_quantity_within_the_limits_is_saved(client, reseller_user):
    line = CartLineFactory(cart__user=reseller_user, quantity=5)
    client.force_login(reseller_user)

    client.post(reverse("catalog:cart_line", args=[line.pk]), {"action": "set", "quantity": "42"})

    line.refresh_from_db()
    assert line.quantity == 42


def test_remove_takes_the_line_out(client, reseller_user):
    line = CartLineFactory(cart__user=reseller_user)
    client.force_login(reseller_user)

    client.post(reverse("catalog:cart_line", args=[line.pk]), {"action": "remove"})

    assert not CartLine.objects.filter(pk=line.pk).exists()


def test_another_users_line_is_not_found(client, reseller_user):
    line = CartLineFactory(cart__user=UserFactory())
    client.force_login(reseller_user)

    response = client.post(reverse("catalog:cart_line", args=[line.pk]), {"action": "remove"})

    assert response.status_code == 404
    assert CartLine.objects.filter(pk=line.pk).exists()


def test_the_cart_survives_logout(client, reseller_user):
    product = ProductFactory()
    client.force_login(reseller_user)
    client.post(reverse("catalog:cart_add", args=[product.pk]))
    client.logout()
    client.force_login(reseller_user)

    assert product.name in client.get(reverse("catalog:cart")).content.decode()


def test_support_staff_cannot_fill_a_cart(client, support_user):
    product = ProductFactory()
    client.force_login(support_user)

    response = client.post(reverse("catalog:cart_add", args=[product.pk]))

    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_cart_never_adds_monthly_and_yearly_prices_into_one_total(client, reseller_user):
    CartLineFactory(
        cart__user=reseller_user,
        quantity=3,
        product=ProductFactory(name="Business Basic", price=Decimal("6.00"), billing_period="P1M"),
    )
    CartLineFactory(
        cart=reseller_user.cart,
        quantity=2,
        product=ProductFactory(
            name="Business Premium", price=Decimal("220.00"), billing_period="P1Y"
        ),
    )
    client.force_login(reseller_user)

    body = client.get(reverse("catalog:cart")).content.decode()

    assert "18.00 USD per month" in body and "440.00 USD per year" in body
    assert "458.00" not in body and "per billing period" not in body

"""Changes to a user's cart. Quantities always stay within the product's limits."""

from django.db import transaction

import rules

from .models import Cart, CartLine, Product


def check_quantity(*, product: Product, quantity) -> int:
    """Return ``quantity`` if ``product`` may be bought in it; raise rules.RuleViolation if not."""
    return rules.check_quantity(
        quantity, minimum=product.minimum_quantity, maximum=product.maximum_quantity
    )


def _cart_of(user) -> Cart:
    cart, _ = Cart.objects.get_or_create(user=user)
    return cart


@transaction.atomic
def cart_add(*, user, product: Product) -> CartLine:
    """Put one more of ``product`` in the cart, starting at its minimum quantity."""
    cart = _cart_of(user)
    line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
    if line is None:
        line = CartLine.objects.create(
            cart=cart, product=product, quantity=product.minimum_quantity
        )
    elif line.quantity < product.maximum_quantity:
        line.quantity += 1
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_set_quantity(*, user, line_id: int, quantity) -> CartLine:
    """Set a line's quantity; raise rules.RuleViolation when the product does not allow it."""
    line = (
        CartLine.objects.select_for_update()
        .select_related("product")
        .get(cart__user=user, pk=line_id)
    )
    line.quantity = check_quantity(product=line.product, quantity=quantity)
    line.save(update_fields=["quantity"])
    return line


def cart_step_quantity(*, user, line_id: int, step: int) -> CartLine:
    """Add ``step`` (+1 or -1) to a line's quantity, staying within the product's limits."""
    line = CartLine.objects.select_related("product").get(cart__user=user, pk=line_id)
    product = line.product
    quantity = min(max(line.quantity + step, product.minimum_quantity), product.maximum_quantity)
    return cart_set_quantity(user=user, line_id=line_id, quantity=quantity)


def cart_remove(*, user, line_id: int) -> None:
    CartLine.objects.filter(cart__user=user, pk=line_id).delete()


def cart_clear(*, user) -> None:
    CartLine.objects.filter(cart__user=user).delete()

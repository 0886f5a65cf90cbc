"""Step "cart": the lines of the cart, confirmed as they stand."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.services import check_quantity

from .base import StepForm


@dataclass(frozen=True)
class LineSnapshot:
    """A cart line as the reseller confirmed it, with the unit price they saw."""

    product_id: int
    quantity: int
    unit_price: str


def cart_signature(lines) -> str:
    """Return a compact text that changes whenever a line, a quantity or a price changes."""
    return ";".join(f"{line.product_id}:{line.quantity}:{line.product.price}" for line in lines)


def parse_signature(value: str) -> list[LineSnapshot]:
    snapshots = []
    for part in value.split(";"):
        product_id, quantity, price = part.split(":")
        Decimal(price)
        snapshots.append(LineSnapshot(int(product_id), int(quantity), price))
    return snapshots


class CartStepForm(StepForm):
    lines = forms.CharField(widget=forms.HiddenInput, max_length=20000)

    def __init__(self, *args, cart_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.cart_lines = cart_lines
        self.current_signature = cart_signature(cart_lines)
        self.fields["lines"].initial = self.current_signature

    def clean_lines(self):
        if not self.cart_lines:
            raise forms.ValidationError(
                _("Your cart is empty: add plans from the catalogue first.")
            )
        signature = self.cleaned_data["lines"]
        if signature != self.current_signature:
            raise forms.ValidationError(
                _(
                    "Your cart changed since you confirmed it (a quantity or a price). "
                    "Check the lines below and continue."
                )
            )
        for line in self.cart_lines:
            if not line.product.active:
                raise forms.ValidationError(
                    _("%(product)s is no longer sold: remove it from the cart."),
                    params={"product": line.product.name},
                )
            check_quantity(product=line.product, quantity=line.quantity)
        try:
            return parse_signature(signature)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(_("Check the lines below and continue.")) from None

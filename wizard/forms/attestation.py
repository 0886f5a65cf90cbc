"""Step "attestation": Partner of Record, and each offer attestation a cart line needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation

from .base import StepForm

PARTNER_OF_RECORD_TEXT = DEFAULT_TEXTS[Attestation.Kind.PARTNER_OF_RECORD]


def offer_field_name(product_id) -> str:
    return f"offer_{product_id}"


class AttestationStepForm(StepForm):
    #: The reseller wizard asks the Partner of Record attestation; self-service does not.
    asks_partner_of_record = True

    partner_of_record = forms.BooleanField(
        label=_("I accept the Partner of Record attestation above."),
        error_messages={"required": _("Accept the Partner of Record attestation to continue.")},
    )

    def __init__(self, *args, offer_products, **kwargs):
        """``offer_products``: the cart's products that need an offer attestation."""
        super().__init__(*args, **kwargs)
        self.partner_of_record_text = PARTNER_OF_RECORD_TEXT
        self.offer_products = list(offer_products)
        for product in self.offer_products:
            self.fields[offer_field_name(product.pk)] = forms.BooleanField(
                label=_("I accept the offer attestation for %(product)s.")
                % {"product": product.name},
                error_messages={
                    "required": _(
                        "Accept the attestation for %(product)s, or remove it from the cart."
                    )
                    % {"product": product.name},
                },
            )

    def offer_rows(self):
        """Yield (product, its bound checkbox) for the template."""
        for product in self.offer_products:
            yield product, self[offer_field_name(product.pk)]

    def accepted_offer_ids(self) -> set[int]:
        return {
            product.pk
            for product in self.offer_products
            if self.cleaned_data.get(offer_field_name(product.pk))
        }

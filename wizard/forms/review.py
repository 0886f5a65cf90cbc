"""Step "review": everything at a glance, an optional PO number, the terms, and Buy."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules
from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation

from .base import StepForm

TERMS_TEXT = DEFAULT_TEXTS[Attestation.Kind.TERMS]


class ReviewStepForm(StepForm):
    po_number = forms.CharField(
        label=_("Your PO number"),
        max_length=rules.PO_NUMBER_MAX_LENGTH,
        required=False,
        help_text=_("Optional; shown on the distributor's invoice."),
    )
    terms = forms.BooleanField(
        label=_("I accept the terms of sale and the cancellation window above."),
        error_messages={"required": _("Tick the box to accept the terms before you buy.")},
    )

    #: The selling prices the page showed (issue 24), so a price book changed meanwhile is seen.
    prices_shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)

    def __init__(self, *args, problems=(), price_signature="", **kwargs):
        """``problems``: the readiness check's blockers; Buy is refused while any remain.
        ``price_signature``: the cart's selling prices now (``price_signature_of``)."""
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        self.terms_text = TERMS_TEXT
        self.price_signature = price_signature

    def clean_prices_shown(self):
        shown = self.cleaned_data["prices_shown"]
        if shown and shown != self.price_signature:
            raise forms.ValidationError(
                _("The prices changed since this page was shown: check them and buy again."),
                code="prices_changed",
            )
        return shown

    def clean_po_number(self):
        return rules.check_po_number(self.cleaned_data["po_number"])

    def clean(self):
        cleaned = super().clean()
        if self.problems:
            raise forms.ValidationError(
                _("This order cannot be placed yet: fix the problems listed below first."),
                code="not_ready",
            )
        return cleaned


def price_signature_of(lines) -> str:
    """Return the cart lines' selling prices as one text: "product id:unit price;…"."""
    return ";".join(f"{line.product_id}:{line.unit_price}" for line in lines)

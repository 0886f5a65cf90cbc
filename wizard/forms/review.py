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

    def __init__(self, *args, problems=(), **kwargs):
        """``problems``: the readiness check's blockers; Buy is refused while any remain."""
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        self.terms_text = TERMS_TEXT

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

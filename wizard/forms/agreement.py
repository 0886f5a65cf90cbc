"""Step "agreement": who accepted the Microsoft Customer Agreement for the customer, and when."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules
from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation

from .base import StepForm

AGREEMENT_TEXT = DEFAULT_TEXTS[Attestation.Kind.CUSTOMER_AGREEMENT]


class AgreementStepForm(StepForm):
    # Seed 001 step 10, seed 002: an acceptance is recorded only when a person says it was
    # given; the names and date prefilled from the customer prove nothing by themselves.
    accept = forms.BooleanField(
        label=_("The customer accepted the Microsoft Customer Agreement, as stated above."),
        error_messages={
            "required": _(
                "Tick the box once the customer has accepted the Microsoft Customer "
                "Agreement; without it, no acceptance is recorded."
            )
        },
    )
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.CharField(label=_("E-mail"), max_length=254)
    # A date picker: the browser shows the date in the reader's own form and sends ISO
    # (YYYY-MM-DD). MM-DD-YYYY, which 12-04-2026 reads differently outside the US, is
    # only ever written into what goes upstream (orders.parameters).
    accepted_on = forms.DateField(
        label=_("Date of acceptance"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The day the customer accepted it; not in the future."),
        error_messages={
            "required": _("Enter the day the customer accepted the Microsoft Customer Agreement."),
            "invalid": _("Pick the day the customer accepted it from the calendar."),
        },
    )

    def __init__(self, *args, today, reseller_email_domain="", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.reseller_email_domain = reseller_email_domain
        self.agreement_text = AGREEMENT_TEXT
        self.order_fields(["accept", "first_name", "last_name", "email", "accepted_on"])

    def clean_first_name(self):
        return rules.check_contact_name(self.cleaned_data["first_name"], field="first_name")

    def clean_last_name(self):
        return rules.check_contact_name(self.cleaned_data["last_name"], field="last_name")

    def clean_email(self):
        return rules.check_email(
            self.cleaned_data["email"], reseller_domain=self.reseller_email_domain or None
        )

    def clean_accepted_on(self):
        return rules.check_agreement_date(
            self.cleaned_data["accepted_on"], today=self.today, field="accepted_on"
        )

"""Step "agreement": who accepted the Microsoft Customer Agreement for the customer, and when."""

from django import forms

import rules
from orders.attestations import DEFAULT_TEXTS
from orders.models import Attestation

from .base import StepForm

AGREEMENT_TEXT = DEFAULT_TEXTS[Attestation.Kind.CUSTOMER_AGREEMENT]


class AgreementStepForm(StepForm):
    first_name = forms.CharField(label="First name", max_length=50)
    last_name = forms.CharField(label="Last name", max_length=50)
    email = forms.CharField(label="E-mail", max_length=254)
    accepted_on = forms.CharField(
        label="Date of acceptance",
        max_length=10,
        help_text="MM-DD-YYYY, for example 01-31-2026; not in the future.",
    )

    def __init__(self, *args, today, reseller_email_domain="", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.reseller_email_domain = reseller_email_domain
        self.agreement_text = AGREEMENT_TEXT

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

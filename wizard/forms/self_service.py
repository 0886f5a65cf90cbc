"""The self-service variants of two steps: what an end customer accepts for its own company.

Everything else an end customer fills in uses the reseller wizard's forms as
they are. Only the people differ: the customer accepts its own Microsoft
Customer Agreement, and the Partner of Record statement is the reseller's,
so it is never put to the customer.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .agreement import AgreementStepForm
from .attestation import AttestationStepForm

AGREEMENT_TEXT = (
    "I accept the Microsoft Customer Agreement "
    "(https://www.microsoft.com/licensing/docs/customeragreement) for my company, "
    "today, as the person named here."
)
#: Recorded on every self-service order; {reseller} is the reseller's name.
STANDING_PARTNER_OF_RECORD_TEXT = (
    "{reseller} is the Partner of Record for this customer's Microsoft subscriptions bought "
    "through this order. This is {reseller}'s standing attestation, given by enabling "
    "self-service for its customers; the customer who placed the order was not asked it."
)


class OfferAttestationStepForm(AttestationStepForm):
    """Only the offer attestations of the cart's products; no Partner of Record checkbox."""

    asks_partner_of_record = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["partner_of_record"]


class OwnAgreementStepForm(AgreementStepForm):
    """The customer accepts the agreement itself, today."""

    accept = forms.BooleanField(
        label=_("I accept the Microsoft Customer Agreement for my company."),
        error_messages={"required": _("Tick the box to accept the Microsoft Customer Agreement.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement_text = AGREEMENT_TEXT
        accepted_on = self.fields["accepted_on"]
        accepted_on.disabled = True
        accepted_on.help_text = "Today: you accept it now."

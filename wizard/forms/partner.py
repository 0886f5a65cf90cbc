"""Step "partner": the reseller's MPN ID and indirect-reseller tenant, checked upstream."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules

from .base import StepForm

ENROL_URL = (
    "https://partner.microsoft.com/en-us/dashboard/account/exp/enrollment/welcome"
    "?cloudInstance=Global&accountProgram=valueaddedreseller"
)
PARTNER_CENTER_URL = "https://partner.microsoft.com"


class PartnerStepForm(StepForm):
    mpn_id = forms.CharField(
        label=_("MPN ID (location ID)"),
        max_length=20,
        help_text=_(
            "Partner Center → Settings → Account settings → Identifiers: use the location "
            "MPN ID, not the global one."
        ),
    )
    indirect_reseller_domain = forms.CharField(
        label=_("Indirect-reseller tenant"),
        max_length=255,
        help_text=_(
            "Your own tenant, name.onmicrosoft.com (or its tenant ID), from Partner Center "
            "or the Microsoft 365 admin center."
        ),
    )

    def __init__(self, *args, reseller, check_partner=None, **kwargs):
        """``check_partner(mpn_id, domain)`` is given only while the step is submitted."""
        super().__init__(*args, **kwargs)
        self.reseller = reseller
        self.check_partner = check_partner
        self.partner_check = None

    def clean_mpn_id(self):
        return rules.check_mpn_id(self.cleaned_data["mpn_id"])

    def clean_indirect_reseller_domain(self):
        return rules.check_reseller_domain(self.cleaned_data["indirect_reseller_domain"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        mpn_id, domain = cleaned["mpn_id"], cleaned["indirect_reseller_domain"]
        if self.check_partner is not None:
            self.partner_check = self.check_partner(mpn_id, domain)
            if not self.partner_check.ready:
                raise forms.ValidationError(
                    self.partner_check.reason or "The marketplace could not confirm these details.",
                    code="inquiring",
                )
        elif not self.reseller.is_partner_ready_with(mpn_id, domain):
            raise forms.ValidationError(
                _(
                    "These details have not been confirmed by the marketplace "
                    "yet: check them again."
                ),
                code="unchecked",
            )
        return cleaned

"""Forms of the customers app's own pages."""

from django import forms

import rules

from .models import Reseller


class PartnerProfileForm(forms.ModelForm):
    """The reseller's tier configuration: MPN ID and indirect-reseller tenant."""

    class Meta:
        model = Reseller
        fields = ["mpn_id", "indirect_reseller_domain"]
        help_texts = {
            "mpn_id": "Your location MPN ID (PLA), digits only: in Partner Center "
            "(partner.microsoft.com) under Account settings, Identifiers.",
            "indirect_reseller_domain": "Your own tenant, ending in .onmicrosoft.com (or its "
            "tenant ID): in Partner Center or the Microsoft 365 admin center.",
        }
        widgets = {
            "mpn_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "indirect_reseller_domain": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def clean_mpn_id(self):
        return rules.check_mpn_id(self.cleaned_data["mpn_id"], field="mpn_id")

    def clean_indirect_reseller_domain(self):
        return rules.check_reseller_domain(
            self.cleaned_data["indirect_reseller_domain"], field="indirect_reseller_domain"
        )

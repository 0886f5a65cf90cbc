"""Forms of the customers app's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules

from .models import Reseller
from .time_zones import time_zone_names


class PartnerProfileForm(forms.ModelForm):
    """The reseller's tier configuration: MPN ID and indirect-reseller tenant."""

    class Meta:
        model = Reseller
        fields = ["mpn_id", "indirect_reseller_domain"]
        help_texts = {
            "mpn_id": _(
                "Your location MPN ID (PLA), digits only: in Partner Center "
                "(partner.microsoft.com) under Account settings, Identifiers."
            ),
            "indirect_reseller_domain": _(
                "Your own tenant, ending in .onmicrosoft.com (or its "
                "tenant ID): in Partner Center or the Microsoft 365 admin center."
            ),
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


class ResellerPreferencesForm(forms.ModelForm):
    """The reseller's preferences: its time zone, and what its self-service customers may do."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=())

    class Meta:
        model = Reseller
        fields = [
            "time_zone",
            "self_service_approval_required",
            "self_service_cancel_allowed",
            "two_factor_required",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = time_zone_names()
        saved = self.instance.time_zone
        if saved and saved not in names:  # chosen before the list held canonical zones only
            names = (saved, *names)
        self.fields["time_zone"].choices = [(name, name) for name in names]
        self.fields["time_zone"].help_text = Reseller._meta.get_field("time_zone").help_text

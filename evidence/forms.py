"""The evidence page's two forms: what to export, and a copy to check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from orders.models import Order

from .models import EvidenceExport
from .selectors import EvidenceScope

#: A copy larger than this is not an evidence pack of ours.
MAX_VERIFY_BYTES = 20 * 1024 * 1024


class EvidenceScopeForm(forms.Form):
    order = forms.CharField(label=_("Order number"), required=False, max_length=20)
    customer = forms.ModelChoiceField(
        label=_("Customer"), required=False, queryset=Customer.objects.none(), empty_label=_("Any")
    )
    accepted_from = forms.DateField(
        label=_("Accepted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accepted_to = forms.DateField(
        label=_("Accepted to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=EvidenceExport.Format.choices,
        initial=EvidenceExport.Format.PDF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].queryset = Customer.objects.visible_to(user).order_by(
            "company_name"
        )

    def clean_order(self):
        reference = self.cleaned_data["order"].strip().upper()
        if not reference:
            return None
        try:
            return Order.objects.visible_to(self.user).get(reference=reference)
        except Order.DoesNotExist:
            raise forms.ValidationError(
                _("No order with this number among your orders. Copy it from the order page.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("accepted_from"), cleaned.get("accepted_to")
        if start and end and start > end:
            self.add_error("accepted_to", _("The end of the range comes before its start."))
        return cleaned

    def scope(self) -> EvidenceScope:
        data = self.cleaned_data
        return EvidenceScope(
            order=data.get("order"),
            customer=data.get("customer"),
            accepted_from=data.get("accepted_from"),
            accepted_to=data.get("accepted_to"),
        )


class EvidenceVerifyForm(forms.Form):
    copy = forms.FileField(
        label=_("Evidence file (JSON or PDF)"),
        help_text=_("A file downloaded from this page, to check that not a byte has changed."),
    )

    def clean_copy(self):
        upload = self.cleaned_data["copy"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("This file is too large to be an evidence pack."))
        return upload.read()

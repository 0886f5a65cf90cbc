"""The price book's forms: the default, and one override rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from customers.models import Customer

from .models import Method, PriceBook, PriceRule


class BookForm(forms.ModelForm):
    class Meta:
        model = PriceBook
        fields = ["method", "rate", "rounding"]
        labels = {"method": _("Default method"), "rate": _("Default rate (%)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fixed price needs one product: it is a rule, never the default.
        self.fields["method"].choices = [c for c in Method.choices if c[0] != Method.FIXED]


class RuleForm(forms.ModelForm):
    class Meta:
        model = PriceRule
        fields = [
            "level",
            "segment",
            "mpn",
            "product",
            "customer",
            "method",
            "rate",
            "fixed_price",
            "fixed_currency",
            "rounding",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, reseller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.active()
        self.fields["customer"].queryset = Customer.objects.filter(reseller=reseller).order_by(
            "company_name"
        )
        self.fields["mpn"].widget.attrs["placeholder"] = "CFQ7TTC0LH18:0001"
        self.fields["fixed_currency"].widget.attrs["placeholder"] = "USD"

    def clean_mpn(self):
        return self.cleaned_data["mpn"].strip().upper()

    def clean_fixed_currency(self):
        return self.cleaned_data["fixed_currency"].strip().upper()

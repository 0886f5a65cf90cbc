from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import previous_month


class PeriodForm(forms.Form):
    """A period of days, both included, that has ended."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def last_month(cls) -> dict:
        start, end = previous_month(timezone.now().date())
        return {"start": start, "end": end}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after the day it starts."))
            elif (end - start).days > 366:
                self.add_error("end", _("A period is at most a year long."))
        return cleaned

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]


class ExplainForm(forms.Form):
    note = forms.CharField(
        label=_("What explains it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name and the time; it cannot be changed afterwards."),
    )


class StatementForm(PeriodForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)

    field_order = ["customer", "start", "end"]

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers

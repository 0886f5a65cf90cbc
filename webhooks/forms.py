from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import AddressRefused, url_check
from .models import Endpoint, Event


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "enabled"]
        labels = {"description": _("Description"), "enabled": _("Enabled")}

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            url_check(url)
        except AddressRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url

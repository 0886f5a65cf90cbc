from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailOverride
from .sandbox import SandboxRefused, sandbox_check


class OverrideForm(forms.ModelForm):
    """A reseller's subject and body; refused at the field if the sandbox would refuse it."""

    class Meta:
        model = EmailOverride
        fields = ["subject", "body"]
        # data-template-source: the crawl knows this shows template text on purpose.
        widgets = {
            "subject": forms.TextInput(attrs={"data-template-source": ""}),
            "body": forms.Textarea(attrs={"rows": 18, "data-template-source": ""}),
        }
        labels = {"subject": _("Subject"), "body": _("Text")}

    def __init__(self, *args, variables, **kwargs):
        super().__init__(*args, **kwargs)
        self.variables = variables
        # The wording is in the e-mail's language, whatever the page's.
        for name in ("subject", "body"):
            self.fields[name].widget.attrs["lang"] = self.instance.language

    def _checked(self, name):
        value = self.cleaned_data.get(name, "")
        try:
            sandbox_check(value, variables=self.variables)
        except SandboxRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return value

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")

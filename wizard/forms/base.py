"""What every step form shares: applying a rule to a field and keeping its error there."""

from django import forms
from django.core.exceptions import ValidationError


class StepForm(forms.Form):
    """A wizard step. Forms never read the request: the view passes what they need."""

    def apply_rule(self, form_field, rule, /, *args, **kwargs):
        """Return ``rule(*args, **kwargs)``, or None with its message added to ``form_field``."""
        try:
            return rule(*args, **kwargs)
        except ValidationError as violation:
            self.add_error(form_field, violation)
            return None

    def require(self, field, message):
        """Return the cleaned value of ``field``, or add ``message`` to it when it is blank."""
        value = self.cleaned_data.get(field)
        if value in (None, "") and field not in self.errors:
            self.add_error(field, message)
        return value

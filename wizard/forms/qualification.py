"""Step "qualification": none or state-owned entity; the education segment for education offers."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules
from rules.qualification import EDUCATION, HIGHER_EDUCATION, K12, NONE, STATE_OWNED_ENTITY

from .base import StepForm


class QualificationStepForm(StepForm):
    special_qualification = forms.ChoiceField(
        label=_("Special qualification"),
        choices=[
            (NONE, _("None")),
            (STATE_OWNED_ENTITY, _("State-owned entity (a company owned by a government)")),
        ],
        initial=NONE,
        widget=forms.RadioSelect,
        help_text=_("Once set on a customer, Microsoft never lets it be removed."),
    )
    education_segment = forms.ChoiceField(
        label=_("Education segment"),
        choices=[
            (K12, _("K-12 (primary and secondary schools)")),
            (HIGHER_EDUCATION, _("Higher education")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, education, **kwargs):
        """``education``: the cart holds education offers, so the segment is asked instead."""
        super().__init__(*args, **kwargs)
        self.education = education
        if education:
            del self.fields["special_qualification"]
            self.fields["education_segment"].required = True
            self.fields["education_segment"].error_messages["required"] = (
                "Choose whether the school is K-12 or higher education."
            )
        else:
            del self.fields["education_segment"]

    def clean(self):
        cleaned = super().clean()
        if self.education:
            cleaned["special_qualification"] = EDUCATION
            if cleaned.get("education_segment"):
                cleaned["education_segment"] = self.apply_rule(
                    "education_segment",
                    rules.check_education_segment,
                    cleaned["education_segment"],
                    qualification=cleaned["special_qualification"],
                )
        else:
            cleaned["education_segment"] = ""
        return cleaned

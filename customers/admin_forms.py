"""Admin forms that apply the same rules as the wizard and the JSON API.

Each rule raises ``rules.RuleViolation`` (a ``ValidationError``) naming its
field, so ``RuleCheckedForm.run_rule`` puts the message at that field.
"""

from django import forms

import rules


class RuleCheckedForm(forms.ModelForm):
    """A model form that cleans fields with plain rule functions.

    The admin builds the form's fields from its fieldsets (modelform_factory),
    so these forms name no model or fields of their own.
    """

    def run_rule(self, name, check, *args, **kwargs):
        """Clean ``cleaned_data[name]`` with ``check``; record a violation at the field."""
        if name not in self.cleaned_data:
            return
        try:
            self.cleaned_data[name] = check(self.cleaned_data[name], *args, field=name, **kwargs)
        except rules.RuleViolation as violation:
            self.add_error(name if name in self.fields else None, violation)

    def run_if_set(self, name, check, *args, **kwargs):
        if self.cleaned_data.get(name):
            self.run_rule(name, check, *args, **kwargs)


class ResellerAdminForm(RuleCheckedForm):
    def clean(self):
        cleaned = super().clean()
        self.run_if_set("mpn_id", rules.check_mpn_id)
        self.run_if_set("indirect_reseller_domain", rules.check_reseller_domain)
        return cleaned


class CustomerAdminForm(RuleCheckedForm):
    def clean(self):
        cleaned = super().clean()
        country = str(cleaned.get("country") or "")
        self.run_rule("company_name", rules.check_company_name)
        if country:
            self.run_rule("state", rules.check_state, country=country)
            self.run_rule("registration_number", rules.check_registration_number, country=country)
        self.run_if_set("tenant_domain", rules.check_tenant_domain)
        if "qualification" in cleaned and "education_segment" in cleaned:
            # The model stores our own spelling; the rule only checks the pairing.
            self.run_rule(
                "education_segment", rules.check_education_segment,
                qualification=cleaned["qualification"],
            )
        self.run_if_set("mca_accepted_first_name", rules.check_contact_name)
        self.run_if_set("mca_accepted_last_name", rules.check_contact_name)
        return cleaned


class ContactAdminForm(RuleCheckedForm):
    def reseller_email_domain(self):
        customer = self.cleaned_data.get("customer") or getattr(self.instance, "customer", None)
        reseller = getattr(customer, "reseller", None)
        return getattr(reseller, "staff_email_domain", "") or None

    def clean(self):
        cleaned = super().clean()
        self.run_rule("first_name", rules.check_contact_name)
        self.run_rule("last_name", rules.check_contact_name)
        self.run_rule("email", rules.check_email, reseller_domain=self.reseller_email_domain())
        return cleaned

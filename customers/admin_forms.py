"""Admin forms that apply the same rules as the wizard and the JSON API.

Each rule raises ``rules.RuleViolation`` (a ``ValidationError``) naming its
field, so ``RuleCheckedForm.run_rule`` puts the message at that field.
"""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

import rules

from .models import User


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
                "education_segment",
                rules.check_education_segment,
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


class UserRoleFormMixin:
    """A user's role decides what it belongs to, and only administrators open the admin."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        belongs_to = {
            User.Role.RESELLER_STAFF: ("reseller", "Choose the reseller this person works for."),
            User.Role.CUSTOMER_USER: ("customer", "Choose the customer this person belongs to."),
        }
        needed, message = belongs_to.get(role, (None, ""))
        if needed and not cleaned.get(needed):
            self.add_error(needed, message)
        for name in ("reseller", "customer"):
            if name != needed and cleaned.get(name):
                self.add_error(
                    name,
                    _("A user with the role “%(role)s” belongs to no %(kind)s: leave this empty.")
                    % {
                        "role": User.Role(role).label if role else _("none"),
                        "kind": _("reseller") if name == "reseller" else _("customer"),
                    },
                )
        for flag in ("is_staff", "is_superuser"):
            if cleaned.get(flag) and role != User.Role.ADMIN:
                self.add_error(
                    flag,
                    _(
                        "Only administrators open the admin (support staff use the support "
                        "pages): set the role to Administrator, or clear this."
                    ),
                )
        return cleaned


class UserAdminChangeForm(UserRoleFormMixin, UserChangeForm):
    pass


class UserAdminCreationForm(UserRoleFormMixin, AdminUserCreationForm):
    pass

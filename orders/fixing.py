"""Fix and resubmit: which step of a failed order the refusal points at, and the fix forms.

A refusal points at a step when the error catalogue knows its cause to be one
of the order's own values (a tenant name already taken, the Microsoft Customer
Agreement not confirmed, a qualification the marketplace does not take), or
when the marketplace names one of the order's parameters in its message. The
reseller then corrects that step's values on the order and the same order is
sent again (``orders.services.amending``).
"""

from dataclasses import dataclass
from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

import rules
from customers.tenant_names import tenant_name_check

from . import parameters as names
from .company import company_details_clean
from .guidance import guidance_for
from .models import Order
from .requests import CompanyDetails

#: Catalogue entries whose cause is a value of the order, and the step that holds it.
ENTRY_STEPS = {
    "domain_taken": "tenant",
    "mca": "agreement",
    "qualification_value": "qualification",
    "company_validation": "company",
}
#: Parameters the marketplace may name in a refusal, and the step that holds them.
PARAMETER_STEPS = {
    names.MICROSOFT_DOMAIN: "tenant",
    names.MCA_ACCEPTANCE: "agreement",
    names.AGREEMENT_DATE: "agreement",
    names.AGREEMENT_FIRST_NAME: "agreement",
    names.AGREEMENT_LAST_NAME: "agreement",
    names.AGREEMENT_EMAIL: "agreement",
    names.SPECIAL_QUALIFICATIONS: "qualification",
    **{name: "company" for name in names.COMPANY_PARAMETERS},
}
STEP_TITLES = {
    "tenant": "Tenant",
    "agreement": "Microsoft Customer Agreement",
    "qualification": "Special qualification",
    "company": "Company details",
}
#: What a step corrects, as a sentence names it: "Correct the tenant name and resubmit".
STEP_SUBJECTS = {
    "tenant": "tenant name",
    "agreement": "Microsoft Customer Agreement details",
    "qualification": "special qualification",
}


@dataclass(frozen=True)
class FixPlace:
    step: str
    message: str

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    @property
    def subject(self) -> str:
        return STEP_SUBJECTS.get(self.step, self.title)


def fix_place_for(order: Order) -> FixPlace | None:
    """Return the step a failed sales order's refusal points at, or None if it names none."""
    if order.status != Order.Status.FAILED or order.kind != Order.Kind.SALES:
        return None
    message = order.failure_message or ""
    step = ENTRY_STEPS.get(guidance_for(message).key)
    if step is None:
        step = next((s for name, s in PARAMETER_STEPS.items() if name in message), None)
    if step == "tenant" and _value(order, names.TENANT_PREFERENCE) != "new":
        return None  # an existing tenant's name is the customer's, not ours to change
    return FixPlace(step, message) if step else None


def _value(order, name) -> str:
    parameter = order.parameters.filter(line=None, name=name).first()
    return parameter.value if parameter else ""


class TenantFixForm(forms.Form):
    tenant_prefix = forms.CharField(
        label=_("New tenant name"),
        help_text=_("Letters and digits; it becomes NAME.onmicrosoft.com and can never change."),
    )

    def __init__(self, *args, check_domain=None, **kwargs):
        """``check_domain(domain)`` asks the marketplace, as the wizard's tenant step does."""
        super().__init__(*args, **kwargs)
        self.check_domain = check_domain

    def clean_tenant_prefix(self):
        prefix = rules.check_tenant_prefix(
            self.cleaned_data["tenant_prefix"], field="tenant_prefix"
        )
        if self.check_domain is not None:
            check = self.check_domain(rules.new_tenant_domain(prefix))
            if not check.available:
                raise forms.ValidationError(check.refusal, code="taken")
        return prefix

    def parameter_values(self) -> dict[str, str]:
        return {names.MICROSOFT_DOMAIN: rules.new_tenant_domain(self.cleaned_data["tenant_prefix"])}


class AgreementFixForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.CharField(label=_("E-mail"))
    accepted_on = forms.CharField(label=_("Accepted on (MM-DD-YYYY)"))
    accept = forms.BooleanField(
        label=_("The customer has accepted the Microsoft Customer Agreement, as given here."),
        error_messages={"required": _("Tick the box to confirm the customer accepted it.")},
    )

    def __init__(self, *args, reseller, **kwargs):
        super().__init__(*args, **kwargs)
        self.reseller = reseller

    def clean_first_name(self):
        return rules.check_contact_name(self.cleaned_data["first_name"], field="first_name")

    def clean_last_name(self):
        return rules.check_contact_name(self.cleaned_data["last_name"], field="last_name")

    def clean_email(self):
        return rules.check_email(
            self.cleaned_data["email"], reseller_domain=self.reseller.staff_email_domain or None
        )

    def clean_accepted_on(self):
        return rules.check_agreement_date(self.cleaned_data["accepted_on"], field="accepted_on")

    def parameter_values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            names.MCA_ACCEPTANCE: "yes",
            names.AGREEMENT_DATE: data["accepted_on"].strftime(names.AGREEMENT_DATE_FORMAT),
            names.AGREEMENT_FIRST_NAME: data["first_name"],
            names.AGREEMENT_LAST_NAME: data["last_name"],
            names.AGREEMENT_EMAIL: data["email"],
        }


class QualificationFixForm(forms.Form):
    special_qualifications = forms.ChoiceField(
        label=_("Special qualification"),
        choices=[
            (names.QUALIFICATION_NONE, _("None")),
            (names.QUALIFICATION_SOE, _("State-owned entity")),
        ],
        widget=forms.RadioSelect,
    )

    def parameter_values(self) -> dict[str, str]:
        return {names.SPECIAL_QUALIFICATIONS: self.cleaned_data["special_qualifications"]}


class CompanyFixForm(forms.Form):
    """Seed 004's company parameters, for a customer whose company Microsoft did not validate."""

    company_name = forms.CharField(label=_("Company name"), max_length=255)
    email = forms.CharField(label=_("Company e-mail"), max_length=254)
    street_address = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.CharField(
        label=_("State or province"),
        max_length=100,
        required=False,
        help_text=_("US and CA: 2 letters."),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    country = forms.CharField(
        label=_("Country"), max_length=2, help_text=_("Two letters, e.g. US.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40)

    def __init__(self, *args, reseller, **kwargs):
        super().__init__(*args, **kwargs)
        self.reseller = reseller

    def clean(self):
        cleaned, violations = company_details_clean(
            self.cleaned_data, reseller_domain=self.reseller.staff_email_domain
        )
        for violation in violations:
            if violation.field in self.fields and violation.field not in self.errors:
                self.add_error(violation.field, violation.message)
        self.details = None if violations else CompanyDetails(**cleaned)
        return self.cleaned_data

    def parameter_values(self) -> dict[str, str]:
        return {p["name"]: p["value"] for p in names.company_parameters(self.details)}


FORMS = {
    "tenant": TenantFixForm,
    "agreement": AgreementFixForm,
    "qualification": QualificationFixForm,
    "company": CompanyFixForm,
}
#: The field beside which the marketplace's message is shown, per step.
MESSAGE_FIELDS = {
    "tenant": "tenant_prefix",
    "agreement": "first_name",
    "qualification": None,
    "company": None,
}


def fix_form(place: FixPlace, order: Order, data=None) -> forms.Form:
    """Return the step's fix form; a posted tenant name is checked upstream like the wizard's."""
    form_class = FORMS[place.step]
    kwargs = {}
    if form_class in (AgreementFixForm, CompanyFixForm):
        kwargs["reseller"] = order.reseller
    elif form_class is TenantFixForm and data is not None:
        kwargs["check_domain"] = partial(_check_domain, order=order)
    return form_class(data, initial=_initial(place, order), **kwargs)


def _check_domain(domain, *, order):
    return tenant_name_check(
        reseller=order.reseller,
        domain=domain,
        customer=order.customer,
        next_step="Wait a minute and press Correct and resubmit again.",
    )


def _initial(place, order) -> dict:
    if place.step == "tenant":
        domain = _value(order, names.MICROSOFT_DOMAIN)
        return {"tenant_prefix": domain.split(".", 1)[0]}
    if place.step == "agreement":
        return {
            "first_name": _value(order, names.AGREEMENT_FIRST_NAME),
            "last_name": _value(order, names.AGREEMENT_LAST_NAME),
            "email": _value(order, names.AGREEMENT_EMAIL),
            "accepted_on": _value(order, names.AGREEMENT_DATE),
        }
    if place.step == "company":
        return _company_initial(order)
    return {"special_qualifications": _value(order, names.SPECIAL_QUALIFICATIONS) or "None"}


def _company_initial(order) -> dict:
    """What the order last sent, else what the customer's record holds."""
    customer = order.customer
    admin = customer.contacts.filter(kind="admin").first()
    record = {
        "company_name": customer.company_name,
        "email": admin.email if admin else "",
        "street_address": customer.street_address,
        "city": customer.city,
        "state": customer.state,
        "postal_code": customer.postal_code,
        "country": str(customer.country),
        "phone": str(admin.phone) if admin and admin.phone else "",
    }
    for name, field in names.COMPANY_PARAMETERS.items():
        record[field] = _value(order, name) or record[field]
    return record

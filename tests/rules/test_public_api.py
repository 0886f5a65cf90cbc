"""Every public rule speaks the same language: RuleViolation, a field, a message."""

import copy
import datetime
import pickle

import pytest
from django import forms
from django.core.exceptions import ValidationError

import rules
from rules import RuleViolation

# (rule, an invalid value, other arguments, the field named by default)
INVALID_CALLS = [
    (rules.check_address_line, "", {}, "street_address"),
    (rules.check_agreement_date, "2022-01-31", {}, "agreement_date"),
    (rules.check_billing_period, "P3Y", {"term": "P1M"}, "billing_period"),
    (rules.check_city, "", {}, "city"),
    (rules.check_company_name, "LLC", {}, "company_name"),
    (rules.check_contact_name, "test", {}, "first_name"),
    (rules.check_country, "USA", {}, "country"),
    (rules.check_education_segment, "", {"qualification": "Education"}, "education_segment"),
    (rules.check_email, "jane@microsoft.com", {}, "email"),
    (rules.check_existing_tenant, "contoso.com", {}, "microsoft_domain"),
    (rules.check_login, "abc", {}, "login"),
    (rules.check_mpn_id, "abc", {}, "mpn_id"),
    (rules.check_new_tenant_allowed, "education", {}, "tenant_preference"),
    (rules.check_phone, "12", {"country": "US"}, "phone"),
    (rules.check_po_number, "PO<42>", {}, "po_number"),
    (rules.check_postal_code, "", {}, "postal_code"),
    (rules.check_qualification_change, "Education", {"new": "None"}, "special_qualification"),
    (rules.check_quantity, 0, {"minimum": 1, "maximum": 10}, "quantity"),
    (rules.check_registration_number, "", {"country": "HU"}, "registration_number"),
    (rules.check_reseller_domain, "northwind.com", {}, "indirect_reseller_domain"),
    (rules.check_special_qualification, "Nonprofit", {}, "special_qualification"),
    (rules.check_state, "ZZ", {"country": "US"}, "state"),
    (rules.check_tenant_domain, "contoso.com", {}, "microsoft_domain"),
    (rules.check_tenant_id, "not-a-guid", {}, "microsoft_tenant_id"),
    (rules.check_tenant_preference, "maybe", {}, "tenant_preference"),
    (rules.check_tenant_prefix, "contoso-2026", {}, "tenant_prefix"),
    (rules.check_term, "P2Y", {}, "term"),
    (rules.check_term_change, "P3Y", {"new": "P1Y"}, "term"),
]
IDS = [call[0].__name__ for call in INVALID_CALLS]


def test_every_public_rule_is_covered_here():
    public_rules = {name for name in rules.__all__ if name.startswith("check_")}
    assert public_rules == set(IDS)


def test_every_public_name_exists():
    for name in rules.__all__:
        assert hasattr(rules, name), name


@pytest.mark.parametrize(("rule", "value", "kwargs", "field"), INVALID_CALLS, ids=IDS)
def test_rule_raises_rule_violation_with_its_field_and_a_message(rule, value, kwargs, field):
    with pytest.raises(RuleViolation) as caught:
        rule(value, **kwargs)
    violation = caught.value
    assert isinstance(violation, ValidationError)
    assert violation.field == field
    assert violation.message.strip()
    assert violation.messages == [violation.message]
    assert str(violation) == violation.message
    assert violation.message[0].isupper() or violation.message[0] == '"'
    assert violation.message.endswith(".")


@pytest.mark.parametrize(("rule", "value", "kwargs", "field"), INVALID_CALLS, ids=IDS)
def test_rule_reports_the_field_its_caller_names(rule, value, kwargs, field):
    with pytest.raises(RuleViolation) as caught:
        rule(value, **kwargs, field="my_field")
    assert caught.value.field == "my_field"


class CustomerForm(forms.Form):
    company_name = forms.CharField(required=False)
    tenant_prefix = forms.CharField(required=False)

    def clean_company_name(self):
        return rules.check_company_name(self.cleaned_data["company_name"])

    def clean_tenant_prefix(self):
        return rules.check_tenant_prefix(self.cleaned_data["tenant_prefix"])


def test_a_form_shows_the_violation_at_its_field_and_keeps_the_clean_values():
    form = CustomerForm(data={"company_name": "  Contoso  Ltd ", "tenant_prefix": "contoso-2026"})
    assert not form.is_valid()
    assert form.cleaned_data == {"company_name": "Contoso Ltd"}
    assert list(form.errors) == ["tenant_prefix"]
    assert "Use only Latin letters and digits" in form.errors["tenant_prefix"][0]


def test_violations_can_be_collected_for_an_api_response():
    problems = {}
    for rule, value, kwargs in [
        (rules.check_company_name, "999", {}),
        (rules.check_agreement_date, "02-30-2022", {"today": datetime.date(2026, 1, 1)}),
        (rules.check_mpn_id, "1234567", {}),
    ]:
        try:
            rule(value, **kwargs)
        except RuleViolation as violation:
            problems[violation.field] = violation.message
    assert set(problems) == {"company_name", "agreement_date"}


@pytest.mark.parametrize(
    "duplicate",
    [copy.copy, copy.deepcopy, lambda violation: pickle.loads(pickle.dumps(violation))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_violation_survives_copying(duplicate):
    violation = RuleViolation("Enter the city.", field="city", code="required")
    twin = duplicate(violation)
    assert type(twin) is RuleViolation
    assert (twin.field, twin.message, twin.code) == ("city", "Enter the city.", "required")


def test_form_errors_holding_a_violation_can_be_deep_copied():
    form = CustomerForm(data={"company_name": "999", "tenant_prefix": "contoso"})
    assert not form.is_valid()
    errors = copy.deepcopy(form.errors)
    assert "repeats one character" in errors["company_name"][0]

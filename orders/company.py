"""The customer's company details that seed 004's company parameters carry, checked by the rules.

Sent only when Microsoft did not validate the company information on record: the fix
page of such a refusal and the JSON API give them, and both check them here, field by field,
with the same ``rules`` functions the customer step uses.
"""

from collections.abc import Mapping

import rules

#: The CompanyDetails fields, country first: the state, postal code and phone depend on it.
FIELDS = (
    "country",
    "company_name",
    "email",
    "street_address",
    "city",
    "state",
    "postal_code",
    "phone",
)


def company_details_clean(
    values: Mapping, *, reseller_domain: str = "", prefix: str = ""
) -> tuple[dict, list[rules.RuleViolation]]:
    """Return the cleaned details and every violation (its field named ``prefix`` + field)."""
    cleaned, violations = {}, []

    def check(name, rule, **kwargs):
        try:
            cleaned[name] = rule(values.get(name, ""), field=prefix + name, **kwargs)
        except rules.RuleViolation as violation:
            violations.append(violation)

    address, violations = rules.address_clean(values, prefix=prefix)
    cleaned.update(address)
    country = cleaned.get("country")
    check("company_name", rules.check_company_name)
    check("email", rules.check_email, reseller_domain=reseller_domain or None)
    if country:
        check("phone", rules.check_phone, country=country, required=True)
    return cleaned, violations

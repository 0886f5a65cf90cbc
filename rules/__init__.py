"""Validation rules that Microsoft and the marketplace enforce, as plain functions.

Each ``check_<thing>(value, ...)`` returns the cleaned value (a tidied name, a
lower-cased domain, an E.164 phone number, a date...) or raises
``RuleViolation`` with the field it concerns and a message that tells a
reseller what to do. The wizard's forms, the JSON API, the orders service and
the admin all call these same functions.
"""

from .address import (
    ADDRESS_RULE_FIELDS,
    PHONE_REQUIRED_COUNTRIES,
    REGISTRATION_REQUIRED_COUNTRIES,
    address_clean,
    check_address_line,
    check_city,
    check_country,
    check_postal_code,
    check_registration_number,
    check_state,
    phone_required,
    registration_number_required,
    state_required,
)
from .address_layout import address_fields
from .agreement import AGREEMENT_DATE_FORMAT, check_agreement_date, format_agreement_date
from .email import check_email, email_domain
from .exceptions import RuleViolation
from .login import check_login, suggest_login
from .names import check_company_name, check_contact_name
from .partner import check_mpn_id, check_reseller_domain
from .phone import check_phone
from .purchase_order import PO_NUMBER_MAX_LENGTH, check_po_number
from .qualification import (
    EDUCATION_SEGMENTS,
    ORDERABLE_QUALIFICATIONS,
    check_education_segment,
    check_qualification_change,
    check_special_qualification,
    normalise_qualification,
)
from .subscription import (
    BILLING_PERIODS_BY_TERM,
    billing_periods_for,
    check_billing_period,
    check_quantity,
    check_term,
    check_term_change,
)
from .tenant import (
    ONMICROSOFT_SUFFIX,
    can_create_new_tenant,
    check_existing_tenant,
    check_new_tenant_allowed,
    check_tenant_domain,
    check_tenant_id,
    check_tenant_preference,
    check_tenant_prefix,
    is_tenant_id,
    new_tenant_domain,
    tenant_prefix_max_length,
)

__all__ = [
    "AGREEMENT_DATE_FORMAT",
    "PO_NUMBER_MAX_LENGTH",
    "check_po_number",
    "BILLING_PERIODS_BY_TERM",
    "EDUCATION_SEGMENTS",
    "ONMICROSOFT_SUFFIX",
    "ORDERABLE_QUALIFICATIONS",
    "PHONE_REQUIRED_COUNTRIES",
    "REGISTRATION_REQUIRED_COUNTRIES",
    "RuleViolation",
    "billing_periods_for",
    "can_create_new_tenant",
    "ADDRESS_RULE_FIELDS",
    "address_fields",
    "address_clean",
    "check_address_line",
    "check_agreement_date",
    "check_billing_period",
    "check_city",
    "check_company_name",
    "check_contact_name",
    "check_country",
    "check_education_segment",
    "check_email",
    "check_existing_tenant",
    "check_login",
    "check_mpn_id",
    "check_new_tenant_allowed",
    "check_phone",
    "check_postal_code",
    "check_qualification_change",
    "check_quantity",
    "check_registration_number",
    "check_reseller_domain",
    "check_special_qualification",
    "check_state",
    "check_tenant_domain",
    "check_tenant_id",
    "check_tenant_preference",
    "check_tenant_prefix",
    "check_term",
    "check_term_change",
    "email_domain",
    "format_agreement_date",
    "is_tenant_id",
    "new_tenant_domain",
    "normalise_qualification",
    "phone_required",
    "registration_number_required",
    "state_required",
    "suggest_login",
    "tenant_prefix_max_length",
]

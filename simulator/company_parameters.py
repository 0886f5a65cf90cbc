"""Seed 004's company parameters, checked as the marketplace would once Microsoft has refused
a customer's company information ("only required if the company information did not pass
Microsoft's validation"). The checks are those seed 004 gives for each field."""

from __future__ import annotations

import re

from . import customer_rules, errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


#: Seed 004: "only required if the company information did not pass Microsoft's validation".
COMPANY_PARAMETERS = (
    "effective_address",
    "effective_city",
    "effective_state",
    "effective_postal_code",
    "effective_country",
    "effective_phonenumber",
    "customer_company_name",
    "customer_email",
)


class CompanyChecks:
    """The company parameters' checks, mixed into ParameterCheck (which sets ``order_type``,
    ``company_validated``, ``partner_email_domain`` and ``value()``)."""

    def company_needed(self) -> bool:
        return self.order_type == "sales" and not self.company_validated

    def _company_text(self, value, name, *, longest=200):
        text = _text(value)
        ok = 0 < len(text) <= longest
        return ok, "" if ok else f"{name} must be 1 to {longest} characters.", {}

    def effective_address(self, value):
        return self._company_text(value, "effective_address")

    def effective_city(self, value):
        return self._company_text(value, "effective_city", longest=100)

    def effective_state(self, value):
        text = _text(value)
        country = _text(self.value("effective_country")).upper()
        if not text and country in customer_rules.STATE_REQUIRED:
            return False, f"effective_state is required for {country}.", {}
        return len(text) <= 100, "" if len(text) <= 100 else "effective_state is too long.", {}

    def effective_postal_code(self, value):
        return self._company_text(value, "effective_postal_code", longest=20)

    def effective_country(self, value):
        ok = bool(re.fullmatch(r"[A-Z]{2}", _text(value)))
        return ok, "" if ok else "effective_country must be a two-letter code, e.g. US.", {}

    def effective_phonenumber(self, value):
        digits = re.sub(r"\D", "", _text(value))
        ok = 7 <= len(digits) <= 15
        return ok, "" if ok else "effective_phonenumber must be a phone number.", {}

    def customer_company_name(self, value):
        try:
            customer_rules.check_company_name(_text(value), "customer_company_name")
        except errors.ApiError as refusal:
            return False, refusal.message, {}
        return True, "", {}

    def customer_email(self, value):
        text = _text(value).lower()
        if not customer_rules.EMAIL.match(text):
            return False, "customer_email must be an e-mail address.", {}
        domain = text.rsplit("@", 1)[1]
        if domain == "microsoft.com":
            return False, "customer_email must not be a @microsoft.com address.", {}
        if self.partner_email_domain and domain == self.partner_email_domain:
            return False, "customer_email must not use the partner's own e-mail domain.", {}
        return True, "", {}

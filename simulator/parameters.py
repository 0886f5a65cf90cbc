"""NCE activation parameters: one result per parameter, as POST /validation/parameters gives them.

The same checks run when an order is placed; there, the first error refuses the order.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import errors, seed
from .catalogue import attestation_text
from .company_parameters import COMPANY_PARAMETERS, CompanyChecks
from .state import State

DOMAIN_SUFFIX = ".onmicrosoft.com"
PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

TENANT_CHOICES = [
    {"label": "Create a new Microsoft tenant", "value": "new", "default": True},
    {"label": "Use an existing Microsoft tenant", "value": "existing", "default": False},
]
#: Seed 001 step 10: an Education offer asks for the school's segment, K12 or Higher
#: Education. Neither seed 004 nor the spec names the parameter; the simulator takes
#: ``education_segment`` with Partner Center's values (README §2.8) — an assumption
#: recorded in docs/upstream.md.
EDUCATION_SEGMENT_CHOICES = [
    {"label": "K12", "value": "K12", "default": False},
    {"label": "Higher Education", "value": "HigherEducation", "default": False},
]
QUALIFICATION_CHOICES = [
    {"label": "None", "value": "None", "default": True},
    {"label": "State-owned entity", "value": "soe", "default": False},
]
YES_CHOICE = [{"label": "Yes", "value": "yes", "default": True}]
ATTESTATION_CHOICES = [
    {"label": "Accepted", "value": "true", "default": False},
    {"label": "Not accepted", "value": "false", "default": True},
]
MCA_PARAMETERS = (
    "mca_acceptance",
    "agreement_date",
    "first_name_agreement",
    "last_name_agreement",
    "email_address_agreement",
)


def mpn_problem(state: State, mpn_id: str) -> str | None:
    """Return Partner Center's text when the MPN ID cannot act as an indirect reseller."""
    if not mpn_id.isdigit():
        return errors.MPN_NOT_NUMERIC
    if mpn_id in seed.MPN_NOT_INDIRECT_RESELLER:
        return errors.MPN_NOT_INDIRECT_RESELLER
    if mpn_id in seed.MPN_AGREEMENT_UNSIGNED:
        return errors.MPA_NOT_ACCEPTED
    if mpn_id not in state.partners:
        return errors.MPN_NOT_FOUND
    return None


def reseller_tenant_problem(state: State, domain: str, mpn_id: str | None) -> str | None:
    domain = domain.strip().lower()
    if mpn_id and mpn_id in state.partners:
        if domain in state.partners[mpn_id]:
            return None
        return f"The indirect reseller tenant {domain} does not belong to MPN Id {mpn_id}."
    if any(domain in domains for domains in state.partners.values()):
        return None
    return f"The indirect reseller tenant {domain} was not found."


def new_domain_problem(state: State, domain: str) -> str | None:
    domain = domain.strip().lower()
    if not domain.endswith(DOMAIN_SUFFIX):
        return "Only .onmicrosoft.com domains are supported."
    prefix = domain[: -len(DOMAIN_SUFFIX)]
    if not PREFIX_PATTERN.match(prefix):
        return "The domain prefix may contain only Latin letters and numbers."
    if len(prefix) > state.config.tenant_prefix_max_length:
        return (
            f"The domain prefix may be at most {state.config.tenant_prefix_max_length} "
            "characters long."
        )
    if state.prefix_taken(prefix):
        return errors.DOMAIN_TAKEN.format(domain=domain)
    return None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _attestation_flag(parameter: dict | None) -> bool | None:
    """Return the True/False an attestation parameter carries, or None when it carries neither."""
    if not parameter:
        return None
    structured = parameter.get("structured_value") or {}
    flag = structured.get("attestation_accepted") if isinstance(structured, dict) else None
    if flag is None:
        flag = parameter.get("value")
    if isinstance(flag, bool):
        return flag
    return {"true": True, "false": False}.get(str(flag).lower())


def _accepted(parameter: dict | None) -> bool:
    return _attestation_flag(parameter) is True


class ParameterCheck(CompanyChecks):
    """Checks the parameters of one product line for one customer."""

    def __init__(
        self,
        state: State,
        *,
        reseller_mpn: str | None,
        product: dict | None,
        parameters: list[dict],
        order_type: str = "sales",
        company_validated: bool = True,
        partner_email_domain: str = "",
    ):
        self.state = state
        self.company_validated = company_validated
        self.partner_email_domain = partner_email_domain.lower()
        self.product = product
        self.order_type = order_type
        self.given = {p.get("name"): p for p in parameters if isinstance(p, dict)}
        self.reseller_mpn = _text(self.value("tier1_mpn")) or reseller_mpn
        self.preference = _text(self.value("tenant_preference")).lower() or "new"

    def value(self, name: str):
        parameter = self.given.get(name)
        return parameter.get("value") if parameter else None

    def existing_tenant(self) -> dict | None:
        tenant_id = _text(self.value("microsoft_tenant_id"))
        if tenant_id:
            return self.state.tenant_by_id(tenant_id)
        return self.state.tenants.get(_text(self.value("microsoft_domain")).lower())

    # --- one function per parameter, each returning (ok, message, extra) ------------------
    def tier1_mpn(self, value):
        problem = mpn_problem(self.state, _text(value))
        message = problem or f"MPN Id {_text(value)} is a valid Indirect Reseller."
        return problem is None, message, {}

    def indirect_reseller_domain(self, value):
        problem = reseller_tenant_problem(
            self.state, _text(value), _text(self.value("tier1_mpn")) or None
        )
        return problem is None, problem or "The indirect reseller tenant is valid.", {}

    def tenant_preference(self, value):
        ok = _text(value).lower() in {"new", "existing"}
        message = "" if ok else "tenant_preference must be 'new' or 'existing'."
        return ok, message, {"valueChoices": TENANT_CHOICES}

    def microsoft_domain(self, value):
        if self.preference == "new":
            problem = new_domain_problem(self.state, _text(value))
            if problem == errors.DOMAIN_TAKEN.format(domain=_text(value).lower()):
                return False, problem, {"valueChoices": self._suggestions(_text(value))}
            return problem is None, problem or errors.DOMAIN_AVAILABLE, {}
        return self._existing_tenant_result()

    def _suggestions(self, domain: str) -> list[dict]:
        """Offer a few free domains close to a taken one."""
        prefix = domain.lower()[: -len(DOMAIN_SUFFIX)]
        room = self.state.config.tenant_prefix_max_length - 1
        choices = []
        for number in range(1, 100):
            candidate = f"{prefix[: room - len(str(number)) + 1]}{number}"
            if not self.state.prefix_taken(candidate):
                choices.append(
                    {
                        "label": f"{candidate}{DOMAIN_SUFFIX}",
                        "value": f"{candidate}{DOMAIN_SUFFIX}",
                        "default": not choices,
                    }
                )
            if len(choices) == 3:
                break
        return choices

    def microsoft_tenant_id(self, value):
        if not GUID_PATTERN.match(_text(value)):
            return False, "microsoft_tenant_id must be a tenant GUID.", {}
        return self._existing_tenant_result()

    def _existing_tenant_result(self):
        tenant = self.existing_tenant()
        if tenant is None or tenant.get("pending"):
            return False, "The Microsoft tenant was not found.", {}
        if not tenant["relationship"]:
            return (
                False,
                errors.NO_RELATIONSHIP.format(
                    partner=self.reseller_mpn or "unknown", customer=tenant["tenantId"]
                ),
                {},
            )
        return True, f"The tenant {tenant['domain']} has a relationship with the reseller.", {}

    def mca_needed(self) -> bool:
        if self.order_type != "sales":
            return False
        if self.preference == "new":
            return True
        tenant = self.existing_tenant()
        return tenant is not None and not tenant["mcaAccepted"]

    def mca_acceptance(self, value):
        if not self.mca_needed():
            return True, "The Microsoft Customer Agreement is already accepted.", {}
        ok = _text(value).lower() == "yes"
        return ok, "" if ok else errors.MCA_MISSING, {"valueChoices": YES_CHOICE}

    def agreement_date(self, value):
        try:
            date = datetime.strptime(_text(value), "%m-%d-%Y")
        except ValueError:
            return False, "agreement_date must be a date in MM-DD-YYYY format.", {}
        if date.date() > self.state.now_datetime().date():
            return False, "agreement_date cannot be in the future.", {}
        return True, "", {}

    def _person_name(self, value, name):
        text = _text(value)
        ok = len(text) > 1 and not text.isdigit() and len(text) <= 40
        return ok, "" if ok else f"{name} must be a real name of 2 to 40 characters.", {}

    def first_name_agreement(self, value):
        return self._person_name(value, "first_name_agreement")

    def last_name_agreement(self, value):
        return self._person_name(value, "last_name_agreement")

    def email_address_agreement(self, value):
        text = _text(value).lower()
        if not EMAIL_PATTERN.match(text):
            return False, "email_address_agreement must be an e-mail address.", {}
        if text.endswith("@microsoft.com"):
            return False, "email_address_agreement must not be a @microsoft.com address.", {}
        return True, "", {}

    def partner_on_record_attestation_accepted(self, _value):
        if self.order_type != "sales":
            return True, "", {}
        ok = _accepted(self.given.get("partner_on_record_attestation_accepted"))
        return ok, "" if ok else "The Partner of Record attestation must be accepted.", {}

    def offer_attestation(self, _value):
        # Seed 004: "offer_attestation (required) - You must either use True or False": every
        # sales line carries it, true where the offer needs the attestation.
        text = attestation_text(self.product["mpn"]) if self.product else None
        given = self.given.get("offer_attestation")
        if not text:
            ok = given is None or _attestation_flag(given) is not None
            message = "This offer needs no attestation." if ok else errors.ATTESTATION_NOT_BOOLEAN
            return ok, message, {"valueChoices": ATTESTATION_CHOICES}
        ok = _accepted(given)
        return ok, text, {"valueChoices": ATTESTATION_CHOICES}

    def special_qualifications(self, value):
        ok = _text(value) in {"None", "soe", ""}
        message = "" if ok else "special_qualifications must be 'None' or 'soe'."
        return ok, message, {"valueChoices": QUALIFICATION_CHOICES}

    def attested_offer(self) -> bool:
        return bool(self.product and attestation_text(self.product["mpn"]))

    def education_product(self) -> bool:
        attributes = (self.product or {}).get("attributes") or {}
        return attributes.get("segment") == "education"

    def education_segment(self, value):
        if not self.education_product():
            ok = not _text(value)
            message = "" if ok else "education_segment is only for Education offers."
            return ok, message, {}
        ok = _text(value) in {c["value"] for c in EDUCATION_SEGMENT_CHOICES}
        message = "" if ok else "education_segment must be 'K12' or 'HigherEducation'."
        return ok, message, {"valueChoices": EDUCATION_SEGMENT_CHOICES}

    # --- results ----------------------------------------------------------------------------
    def required_names(self) -> list[str]:
        """Return the parameters an order of this type must carry for this product."""
        if self.order_type != "sales":
            return []
        names = [
            "tenant_preference",
            "partner_on_record_attestation_accepted",
            "offer_attestation",
        ]
        if self.preference == "new" or not self.value("microsoft_tenant_id"):
            names.append("microsoft_domain")
        if self.mca_needed():
            names += list(MCA_PARAMETERS)
        if self.education_product():
            names.append("education_segment")
        if self.company_needed():
            names += list(COMPANY_PARAMETERS)
        return names

    def results(self, *, require_all: bool) -> list[dict]:
        names = list(self.given)
        extra = self.required_names() if require_all else []
        if self.attested_offer():
            extra.append("offer_attestation")
        names += [name for name in extra if name not in self.given and name not in names]
        return [self.result(name) for name in names if name]

    def result(self, name: str) -> dict:
        parameter = self.given.get(name, {"name": name})
        result = {"name": name}
        if "value" in parameter:
            result["value"] = _text(parameter["value"])
        if "structured_value" in parameter:
            result["structured_value"] = parameter["structured_value"]
        check = getattr(self, name, None) if name in CHECKED else None
        if name == "mca_acceptance" and name not in self.given:
            ok, message, extra = False, errors.MCA_MISSING, {"valueChoices": YES_CHOICE}
        elif name in COMPANY_PARAMETERS and name not in self.given:
            names = ", ".join(COMPANY_PARAMETERS)
            ok, message, extra = False, errors.COMPANY_NOT_VALIDATED.format(names=names), {}
        elif name == "offer_attestation" and name not in self.given and self.attested_offer():
            ok, message, extra = check(None)
        elif name not in self.given:
            ok, message, extra = False, f"Parameter {name} is required.", {}
        elif check is None:
            ok, message, extra = True, "", {}
        else:
            ok, message, extra = check(parameter.get("value"))
        result.update(result="success" if ok else "error", message=message, **extra)
        if not ok:
            result["valueError"] = message
        return result


CHECKED = {
    "tier1_mpn",
    "indirect_reseller_domain",
    "tenant_preference",
    "microsoft_domain",
    "microsoft_tenant_id",
    "mca_acceptance",
    "agreement_date",
    "first_name_agreement",
    "last_name_agreement",
    "email_address_agreement",
    "partner_on_record_attestation_accepted",
    "offer_attestation",
    "special_qualifications",
    "education_segment",
    *COMPANY_PARAMETERS,
}


def first_error(results: list[dict]) -> str | None:
    for result in results:
        if result["result"] == "error":
            return result["message"]
    return None

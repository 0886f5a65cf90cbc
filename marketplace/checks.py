"""Checks built on POST /validation/parameters: tier configuration, tenant domains, tenants.

The marketplace has no dedicated endpoints for these; it answers them as
activation-parameter verdicts on an NCE product. The parameter names are the
NCE connector's (README §2.1).
"""

from __future__ import annotations

from .constants import MICROSOFT
from .types import DomainCheck, OrderLineInput, ParameterValue, PartnerCheck, TenantCheck

#: Any NCE product serves to ask about reseller- or tenant-level parameters.
PROBE_MPN = "CFQ7TTC0LH18:0001"
PROBE_TERM = "P1Y"
PROBE_BILLING = "P1M"

TIER1_MPN = "tier1_mpn"
INDIRECT_RESELLER_DOMAIN = "indirect_reseller_domain"
TENANT_PREFERENCE = "tenant_preference"
MICROSOFT_DOMAIN = "microsoft_domain"
MICROSOFT_TENANT_ID = "microsoft_tenant_id"
RELATIONSHIP = "reseller_relationship"
MCA_ACCEPTANCE = "mca_acceptance"


def _probe(*parameters: ParameterValue) -> OrderLineInput:
    return OrderLineInput(
        mpn=PROBE_MPN,
        vendor=MICROSOFT,
        quantity=1,
        subscription_period=PROBE_TERM,
        billing_period=PROBE_BILLING,
        parameters=parameters,
    )


class ChecksMixin:
    """Methods of MarketplaceClient that answer questions through validate_parameters."""

    def check_partner(
        self, *, mpn_id: str, reseller_domain: str, customer_id: str = ""
    ) -> PartnerCheck:
        """Check a reseller's MPN ID and indirect-reseller tenant: READY, or why not."""
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(
                    ParameterValue(TIER1_MPN, mpn_id.strip()),
                    ParameterValue(INDIRECT_RESELLER_DOMAIN, reseller_domain.strip()),
                )
            ],
        )
        verdicts = [
            p for r in results for p in r.parameters
            if p.name in (TIER1_MPN, INDIRECT_RESELLER_DOMAIN)
        ]
        problems = [p.explanation or f"{p.name} was refused." for p in verdicts if not p.ok]
        if not verdicts:
            problems = ["The marketplace gave no verdict on the tier configuration."]
        return PartnerCheck(
            mpn_id=mpn_id,
            reseller_domain=reseller_domain,
            ready=not problems,
            reason=" ".join(problems),
        )

    def check_domain(self, *, domain: str, customer_id: str = "") -> DomainCheck:
        """Tell whether a new tenant can be created as ``domain`` (a full .onmicrosoft.com name)."""
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(
                    ParameterValue(TENANT_PREFERENCE, "new"),
                    ParameterValue(MICROSOFT_DOMAIN, domain.strip().lower()),
                )
            ],
        )
        verdict = _first(results, MICROSOFT_DOMAIN)
        if verdict is None:
            return DomainCheck(
                domain=domain, available=False,
                message="The marketplace gave no verdict on this domain.",
            )
        suggestions = tuple(c.value for c in verdict.value_choices if c.value)
        return DomainCheck(
            domain=domain,
            available=verdict.ok,
            message=verdict.explanation,
            suggestions=suggestions,
        )

    def check_tenant(self, *, customer_id: str, tenant: str) -> TenantCheck:
        """Check an existing tenant (domain or tenant id): reseller relationship and MCA."""
        tenant = tenant.strip()
        name = MICROSOFT_DOMAIN if "." in tenant else MICROSOFT_TENANT_ID
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(ParameterValue(TENANT_PREFERENCE, "existing"), ParameterValue(name, tenant))
            ],
        )
        found = _first(results, name)
        relationship = _first(results, RELATIONSHIP)
        mca = _first(results, MCA_ACCEPTANCE)
        return TenantCheck(
            tenant=tenant,
            found=bool(found and found.ok),
            relationship=None if relationship is None else relationship.ok,
            mca_accepted=None if mca is None else mca.ok,
            message=found.explanation if found else "The marketplace gave no verdict.",
            relationship_message=relationship.explanation if relationship else "",
            mca_message=mca.explanation if mca else "",
        )


def _first(results, name):
    for result in results:
        parameter = result.parameter(name)
        if parameter is not None:
            return parameter
    return None

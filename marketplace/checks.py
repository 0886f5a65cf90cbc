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
MCA_ACCEPTANCE = "mca_acceptance"

NO_VERDICT = "The marketplace gave no verdict on this."
NO_CUSTOMER_YET = (
    "The marketplace checks this against one of your customers, and you have none yet: "
    "create a customer first."
)


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
    """Methods of MarketplaceClient that answer questions through validate_parameters.

    The API validates parameters for a customer (``customerId`` is required).
    Reseller-level questions (tier configuration, whether a domain is free)
    do not depend on which customer: without ``customer_id`` the reseller's
    newest customer is used.
    """

    def check_partner(
        self, *, mpn_id: str, reseller_domain: str, customer_id: str | None = None
    ) -> PartnerCheck:
        """Check a reseller's MPN ID and indirect-reseller tenant: READY, or why not."""
        mpn_id, reseller_domain = mpn_id.strip(), reseller_domain.strip()
        customer_id = customer_id or self._any_customer_id()
        if customer_id is None:
            return PartnerCheck(mpn_id, reseller_domain, ready=False, reason=NO_CUSTOMER_YET)
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(
                    ParameterValue(TIER1_MPN, mpn_id),
                    ParameterValue(INDIRECT_RESELLER_DOMAIN, reseller_domain),
                )
            ],
        )
        verdicts = [_first(results, TIER1_MPN), _first(results, INDIRECT_RESELLER_DOMAIN)]
        if None in verdicts:
            problems = ["The marketplace gave no verdict on the tier configuration."]
        else:
            problems = [p.explanation or f"{p.name} was refused." for p in verdicts if not p.ok]
        return PartnerCheck(mpn_id, reseller_domain, ready=not problems, reason=" ".join(problems))

    def check_domain(self, *, domain: str, customer_id: str | None = None) -> DomainCheck:
        """Tell whether a new tenant can be created as ``domain`` (a full .onmicrosoft.com name)."""
        domain = domain.strip().lower()
        customer_id = customer_id or self._any_customer_id()
        if customer_id is None:
            return DomainCheck(domain=domain, available=False, message=NO_CUSTOMER_YET)
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(
                    ParameterValue(TENANT_PREFERENCE, "new"),
                    ParameterValue(MICROSOFT_DOMAIN, domain),
                )
            ],
        )
        verdict = _first(results, MICROSOFT_DOMAIN)
        if verdict is None:
            return DomainCheck(domain=domain, available=False, message=NO_VERDICT)
        suggestions = tuple(c.value for c in verdict.value_choices if c.value and c.value != domain)
        return DomainCheck(
            domain=domain,
            available=verdict.ok,
            message=verdict.explanation,
            suggestions=suggestions,
        )

    def check_tenant(self, *, tenant: str, customer_id: str | None = None) -> TenantCheck:
        """Check an existing tenant (domain or tenant id): reseller relationship, and MCA.

        ``relationship`` is False when the upstream says the reseller has no
        relationship with the tenant (Partner Center's 20002); ``mca_accepted``
        is False when an order would need the MCA parameters (13605).
        """
        tenant = tenant.strip().lower()
        customer_id = customer_id or self._any_customer_id()
        if customer_id is None:
            return TenantCheck(tenant=tenant, found=False, message=NO_CUSTOMER_YET)
        name = MICROSOFT_DOMAIN if "." in tenant else MICROSOFT_TENANT_ID
        results = self.validate_parameters(
            customer_id=customer_id,
            products=[
                _probe(
                    ParameterValue(TENANT_PREFERENCE, "existing"),
                    ParameterValue(name, tenant),
                    # Asked without a value: an error means the MCA still has to be accepted.
                    ParameterValue(MCA_ACCEPTANCE),
                )
            ],
        )
        verdict = _first(results, name)
        if verdict is None:
            return TenantCheck(tenant=tenant, found=False, message=NO_VERDICT)
        no_relationship = not verdict.ok and "relationship" in verdict.explanation.lower()
        found = verdict.ok or no_relationship
        mca = _first(results, MCA_ACCEPTANCE) if found else None
        return TenantCheck(
            tenant=tenant,
            found=found,
            relationship=(not no_relationship) if found else None,
            mca_accepted=None if mca is None else mca.ok,
            message=verdict.explanation,
            mca_message=mca.explanation if mca is not None and not mca.ok else "",
        )

    def _any_customer_id(self) -> str | None:
        first = next(iter(self.list_customers(page_size=1)), None)
        return first.id if first else None


def _first(results, name):
    for result in results:
        parameter = result.parameter(name)
        if parameter is not None:
            return parameter
    return None

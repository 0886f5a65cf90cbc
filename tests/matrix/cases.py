"""The branches the seeds describe, each value at least once and pairwise where two interact.

Dimensions (seeds 000-004):
- path: the reseller wizard or the JSON API (both build the one OrderRequest);
- segment: commercial, government, education (K12 / HigherEducation), nonprofit (seed 002);
- customer and tenant: a new customer made in the wizard, or a seeded one; a new tenant, an
  existing tenant by domain, or by tenant id (seed 004 "tenant_preference", README §2.1);
- MCA: already valid upstream (no input, seed 001 step 9) or accepted now (seed 004);
- qualification: None or soe (seed 004), Education with its segment (seed 001 step 10);
- offer attestation needed or not (seed 004 "offer_attestation");
- reseller READY or INQUIRING (seed 000 steps 8-9); a PO number or none (seed 004 "ponumber").

Pairs that interact: segment x tenant (government only new, education and nonprofit only
existing: seed 002), tenant x MCA (a new tenant always carries it), segment x qualification,
attestation x tenant. Where the seeds say an order must be refused, it is refused by our own
rules before Buy, with the seed's reason.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    path: str  # "wizard" or "api"
    segment: str
    customer: str  # "new" (made in the wizard), "woodgrove", "tailspin", "litware"
    tenant: str  # "new", "domain" (existing, by domain), "tenant_id" (existing, by id)
    qualification: str = "None"  # "None", "StateOwnedEntity", "Education"
    education_segment: str = ""
    attested: bool = False  # the cart also holds an offer that needs offer attestation
    po_number: str = ""

    @property
    def id(self) -> str:
        parts = [self.path, self.segment, self.customer, self.tenant, self.qualification]
        if self.education_segment:
            parts.append(self.education_segment)
        if self.attested:
            parts.append("attested")
        parts.append("po" if self.po_number else "nopo")
        return "-".join(parts)


COMPLETED = [
    Case("wizard", "commercial", "new", "new", po_number="PO-W1"),
    Case("wizard", "commercial", "woodgrove", "domain", "StateOwnedEntity", attested=True),
    Case(
        "wizard",
        "commercial",
        "tailspin",
        "tenant_id",
        "StateOwnedEntity",
        attested=True,
        po_number="PO-W3",
    ),
    Case("wizard", "government", "litware", "new", "StateOwnedEntity"),
    Case("wizard", "government", "new", "new", po_number="PO-W5"),
    Case("wizard", "education", "woodgrove", "tenant_id", "Education", "K12", po_number="PO-W6"),
    Case("wizard", "education", "tailspin", "domain", "Education", "HigherEducation"),
    Case("wizard", "nonprofit", "woodgrove", "domain", po_number="PO-W8"),
    Case("wizard", "nonprofit", "tailspin", "tenant_id"),
    Case("api", "commercial", "litware", "new", attested=True, po_number="PO-A1"),
    Case("api", "commercial", "woodgrove", "tenant_id", "StateOwnedEntity"),
    Case("api", "commercial", "tailspin", "domain", attested=True),
    Case("api", "government", "litware", "new", "StateOwnedEntity", po_number="PO-A4"),
    Case("api", "education", "tailspin", "tenant_id", "Education", "K12", po_number="PO-A5"),
    Case("api", "education", "woodgrove", "domain", "Education", "HigherEducation"),
    Case("api", "nonprofit", "woodgrove", "tenant_id", po_number="PO-A7"),
    Case("api", "nonprofit", "tailspin", "domain"),
]

#: Refused before Buy: (case, field or step it is shown at, words of the seed's reason).
REFUSED = [
    # Seed 002: "Education and Nonprofit customers can NOT create a new CSP account".
    (Case("wizard", "education", "litware", "new", "Education", "K12"), "tenant", "verify"),
    (Case("api", "education", "litware", "new", "Education", "K12"), "tenant", "verify"),
    (Case("api", "nonprofit", "litware", "new"), "tenant", "nonprofit"),
    # Seed 002, useful links: no provisioning to existing government tenants.
    (Case("wizard", "government", "woodgrove", "domain"), "tenant", "government tenant"),
    (Case("api", "government", "woodgrove", "domain"), "tenant", "government tenant"),
]

"""A Microsoft NCE catalogue: one product row per legal (term, billing) pair of each offer.

Prices are the monthly amount on a one-year term; other rows derive from it the way NCE
prices do (a 20 % premium on a monthly term, the annual/triennial amounts billed upfront).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VENDOR = "Microsoft"
SECOND_VENDOR = "Microsoft CSP"  # only the ambiguous MPN is sold under it as well
COST_RATIO = Decimal("0.85")
MONTHLY_TERM_PREMIUM = Decimal("1.20")

SEGMENTS = {
    "COM": ("commercial", "Microsoft NCE Commercial"),
    "EDU": ("education", "Microsoft NCE Education"),
    "NPO": ("nonprofit", "Microsoft NCE Nonprofit"),
    "GOV": ("government", "Microsoft NCE Government"),
}

HYBRID_BENEFIT_ATTESTATION = (
    "I attest that each person using Windows 365 Business with Windows Hybrid Benefit has a "
    "valid copy of Windows 10/11 Pro installed on their primary work device."
)

# (term, billing) pairs legal in NCE; a term/billing period is (type, duration).
P1M_MONTHLY = (("month", 1), ("month", 1))
P1Y_MONTHLY = (("year", 1), ("month", 1))
P1Y_ANNUAL = (("year", 1), ("year", 1))
P3Y_MONTHLY = (("year", 3), ("month", 1))
P3Y_ANNUAL = (("year", 3), ("year", 1))
P3Y_TRIENNIAL = (("year", 3), ("year", 3))
STANDARD_PAIRS = (P1M_MONTHLY, P1Y_MONTHLY, P1Y_ANNUAL)
WITH_TRIENNIAL = STANDARD_PAIRS + (P3Y_MONTHLY, P3Y_ANNUAL, P3Y_TRIENNIAL)
ANNUAL_ONLY = (P1Y_MONTHLY, P1Y_ANNUAL)


@dataclass(frozen=True)
class Offer:
    mpn: str
    name: str
    segment: str  # COM, EDU, NPO, GOV
    monthly_price: str
    minimum: int = 1
    maximum: int = 300
    pairs: tuple = STANDARD_PAIRS
    attestation: str | None = None
    #: Product.coterming (required, type); the spec's enums, the values chosen here.
    coterming: tuple = ("ALLOWED", "SUBSCRIPTION")


OFFERS = [
    # Commercial
    Offer("CFQ7TTC0LH18:0001", "Microsoft 365 Business Basic", "COM", "6.00", pairs=WITH_TRIENNIAL),
    Offer(
        "CFQ7TTC0LDPB:0001", "Microsoft 365 Business Standard", "COM", "12.50", pairs=WITH_TRIENNIAL
    ),
    Offer(
        "CFQ7TTC0LCHC:0002", "Microsoft 365 Business Premium", "COM", "22.00", pairs=WITH_TRIENNIAL
    ),
    Offer(
        "CFQ7TTC0LFLX:0001", "Microsoft 365 E3", "COM", "36.00", maximum=10000, pairs=WITH_TRIENNIAL
    ),
    Offer("CFQ7TTC0LFLZ:0002", "Microsoft 365 E5", "COM", "57.00", maximum=10000),
    Offer("CFQ7TTC0LGTX:0001", "Microsoft 365 F3", "COM", "8.00", maximum=10000),
    Offer("CFQ7TTC0LH16:0001", "Exchange Online (Plan 1)", "COM", "4.00", maximum=10000),
    Offer("CFQ7TTC0LH0R:0001", "Exchange Online (Plan 2)", "COM", "8.00", maximum=10000),
    Offer("CFQ7TTC0RM8K:0001", "Microsoft Teams Essentials", "COM", "4.00"),
    Offer("CFQ7TTC0MBMD:0001", "Microsoft Teams Enterprise", "COM", "5.25", maximum=10000),
    Offer(
        "CFQ7TTC0MM8R:0001",
        "Microsoft 365 Copilot",
        "COM",
        "30.00",
        maximum=10000,
        pairs=ANNUAL_ONLY + (P3Y_ANNUAL,),
        coterming=("MANDATORY", "SUBSCRIPTION"),
    ),
    Offer("CFQ7TTC0LF8Q:0001", "Office 365 E1", "COM", "10.00", maximum=10000),
    Offer("CFQ7TTC0LF8R:0001", "Office 365 E3", "COM", "23.00", maximum=10000),
    Offer("CFQ7TTC0LHSF:0001", "Microsoft Defender for Business", "COM", "3.00"),
    Offer(
        "CFQ7TTC0LGZT:0001",
        "Microsoft Defender for Office 365 (Plan 1)",
        "COM",
        "2.00",
        maximum=10000,
    ),
    Offer("CFQ7TTC0LFLS:0001", "Microsoft Entra ID P1", "COM", "6.00", maximum=10000),
    Offer("CFQ7TTC0LFK5:0001", "Microsoft Entra ID P2", "COM", "9.00", maximum=10000),
    Offer("CFQ7TTC0LCHF:0001", "Microsoft Intune Plan 1", "COM", "8.00", maximum=10000),
    Offer("CFQ7TTC0HD33:0001", "Visio Plan 2", "COM", "15.00", maximum=10000),
    Offer("CFQ7TTC0HDB0:0001", "Project Plan 3", "COM", "30.00", maximum=10000),
    Offer(
        "CFQ7TTC0LHSV:0001",
        "Power BI Pro",
        "COM",
        "14.00",
        maximum=10000,
        coterming=("ALLOWED", "END_OF_MONTH"),
    ),
    Offer(
        "CFQ7TTC0J203:0001",
        "Windows 365 Business 2 vCPU, 4 GB, 128 GB (with Windows Hybrid Benefit)",
        "COM",
        "31.00",
        attestation=HYBRID_BENEFIT_ATTESTATION,
    ),
    Offer(
        "CFQ7TTC0J1FV:0001",
        "Windows 365 Business 2 vCPU, 8 GB, 128 GB (with Windows Hybrid Benefit)",
        "COM",
        "41.00",
        attestation=HYBRID_BENEFIT_ATTESTATION,
    ),
    Offer(
        "CFQ7TTC0J1FX:0001",
        "Windows 365 Business 2 vCPU, 4 GB, 128 GB",
        "COM",
        "36.00",
        coterming=("RESTRICTED", "SUBSCRIPTION"),
    ),
    # Education
    Offer("CFQ7TTC0LF1F:0005", "Microsoft 365 A1 for faculty", "EDU", "2.00", maximum=50000),
    Offer("CFQ7TTC0LFK8:0005", "Microsoft 365 A3 for faculty", "EDU", "3.25", maximum=50000),
    Offer("CFQ7TTC0LFK9:0005", "Microsoft 365 A3 for students", "EDU", "2.50", maximum=50000),
    Offer("CFQ7TTC0LFKB:0005", "Microsoft 365 A5 for faculty", "EDU", "8.00", maximum=50000),
    Offer("CFQ7TTC0LFKC:0005", "Microsoft 365 A5 for students", "EDU", "6.00", maximum=50000),
    Offer(
        "CFQ7TTC0LH16:0005", "Exchange Online (Plan 1) for faculty", "EDU", "2.00", maximum=50000
    ),
    # Nonprofit
    Offer("CFQ7TTC0LH18:0004", "Microsoft 365 Business Basic for nonprofits", "NPO", "1.00"),
    Offer("CFQ7TTC0LDPB:0004", "Microsoft 365 Business Standard for nonprofits", "NPO", "3.00"),
    Offer("CFQ7TTC0LCHC:0004", "Microsoft 365 Business Premium for nonprofits", "NPO", "5.50"),
    Offer("CFQ7TTC0LFLX:0004", "Microsoft 365 E3 for nonprofits", "NPO", "11.25", maximum=10000),
    # Government (GCC)
    Offer("CFQ7TTC0LHTB:0003", "Office 365 G3 GCC", "GOV", "20.00", maximum=10000),
    Offer("CFQ7TTC0LHTC:0003", "Office 365 G5 GCC", "GOV", "35.00", maximum=10000),
    Offer("CFQ7TTC0LHT0:0003", "Microsoft 365 G3 GCC", "GOV", "32.00", maximum=10000),
    Offer("CFQ7TTC0LHT1:0003", "Microsoft 365 G5 GCC", "GOV", "51.00", maximum=10000),
]

# Sold under two vendors with the same periods: an order must name the vendor.
AMBIGUOUS_MPN = "CFQ7TTC0RM8K:0001"
OFFER_ATTESTATION_MPNS = {o.mpn for o in OFFERS if o.attestation}


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _term_label(term: tuple[str, int]) -> str:
    return {("month", 1): "MTH", ("year", 1): "ANN", ("year", 3): "3YR"}[term]


def period_months(period: dict) -> int:
    return period["duration"] * (12 if period["type"] == "year" else 1)


def _price_per_billing_period(offer: Offer, term, billing) -> Decimal:
    monthly = Decimal(offer.monthly_price)
    if term == ("month", 1):
        monthly *= MONTHLY_TERM_PREMIUM
    months = billing[1] * (12 if billing[0] == "year" else 1)
    return monthly * months


def build_products() -> list[dict]:
    """Return the product rows, as GET /products serves them."""
    rows = []
    number = 326500
    for offer in OFFERS:
        vendors = [VENDOR, SECOND_VENDOR] if offer.mpn == AMBIGUOUS_MPN else [VENDOR]
        for vendor in vendors:
            for term, billing in offer.pairs:
                number += 1
                price = _price_per_billing_period(offer, term, billing)
                segment, service_name = SEGMENTS[offer.segment]
                attributes = {"segment": segment, "offerAttestationRequired": "false"}
                if offer.attestation:
                    attributes = {
                        "segment": segment,
                        "offerAttestationRequired": "true",
                        "offerAttestationText": offer.attestation,
                    }
                rows.append(
                    {
                        "id": f"PRD{number}",
                        "mpn": offer.mpn,
                        "vendor": vendor,
                        "serviceName": service_name,
                        "name": f"{offer.name} (NCE {offer.segment} {_term_label(term)})",
                        "minimumQuantity": str(offer.minimum),
                        "maximumQuantity": str(offer.maximum),
                        "prices": [
                            {
                                "type": "recurring",
                                "model": "FLAT",
                                "amount": _money(price),
                                "currency": "USD",
                            }
                        ],
                        "costs": [
                            {
                                "type": "recurring",
                                "model": "FLAT",
                                "amount": _money(price * COST_RATIO),
                                "currency": "USD",
                            }
                        ],
                        "billingPeriod": {"type": billing[0], "duration": billing[1]},
                        "subscriptionPeriod": {"type": term[0], "duration": term[1]},
                        "billingModel": "chargeBeforeBillingPeriod",
                        "dependsOn": [],
                        "coterming": {"required": offer.coterming[0], "type": offer.coterming[1]},
                        "attributes": attributes,
                    }
                )
    return rows


def attestation_text(mpn: str) -> str | None:
    for offer in OFFERS:
        if offer.mpn == mpn:
            return offer.attestation
    return None

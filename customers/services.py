"""Writes on resellers and customers that the pages, the wizard and the demo data share."""

from django.utils import timezone

from marketplace.types import PartnerCheck

from .models import Reseller


def reseller_record_partner_check(*, reseller: Reseller, check: PartnerCheck) -> Reseller:
    """Save the outcome of a tier-configuration check on ``reseller``.

    The check is only recorded when it was made for the MPN ID and tenant the
    reseller still has, so a slow answer never overwrites a newer one.
    """
    if (check.mpn_id.strip(), check.reseller_domain.strip().lower()) != (
        reseller.mpn_id.strip(),
        reseller.indirect_reseller_domain.strip().lower(),
    ):
        return reseller
    status = Reseller.TierStatus.READY if check.ready else Reseller.TierStatus.INQUIRING
    reseller.tier_status = status
    reseller.tier_reason = "" if check.ready else check.reason
    reseller.tier_checked_at = timezone.now()
    reseller.save(update_fields=["tier_status", "tier_reason", "tier_checked_at"])
    return reseller


def reseller_check_partner(*, reseller: Reseller, client) -> Reseller:
    """Ask the marketplace whether the reseller's MPN ID and tenant are READY, and save it.

    Raises ``marketplace.exceptions.MarketplaceError`` when the marketplace
    cannot answer; the saved status is then left as it was.
    """
    check = client.check_partner(
        mpn_id=reseller.mpn_id, reseller_domain=reseller.indirect_reseller_domain
    )
    return reseller_record_partner_check(reseller=reseller, check=check)

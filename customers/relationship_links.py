"""Microsoft's pages where a relationship with the distributor is accepted (seed 002).

Both carry the distributor's Microsoft partner id, from settings.DISTRIBUTOR_PARTNER_ID.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PARTNER_INVITATION_BASE = "https://admin.microsoft.com/Adminportal/Home"
PARTNER_INVITATION_FRAGMENT = "#/BillingAccounts/partner-invitation"
RESELLER_REQUEST_BASE = (
    "https://partnercenter.microsoft.com/pcv/valueaddedresellers/relationshiprequest/"
)


def distributor_partner_id() -> str:
    partner_id = getattr(settings, "DISTRIBUTOR_PARTNER_ID", "")
    if not partner_id:
        raise ImproperlyConfigured(
            "Set DISTRIBUTOR_PARTNER_ID to the distributor's Microsoft partner id (a GUID)."
        )
    return partner_id


def partner_invitation_url() -> str:
    """Return the admin-portal page where a customer's Global Admin accepts the distributor."""
    query = urlencode(
        {
            "invType": "ResellerRelationship",
            "partnerId": distributor_partner_id(),
            "msppId": 0,
            "DAP": "true",
        }
    )
    return f"{PARTNER_INVITATION_BASE}?{query}{PARTNER_INVITATION_FRAGMENT}"


def reseller_relationship_url() -> str:
    """Return the Partner Center page where a reseller accepts the distributor as provider."""
    return RESELLER_REQUEST_BASE + distributor_partner_id()

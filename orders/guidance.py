"""Turn what the marketplace said into what the reseller should do next, in plain words.

Microsoft's and the marketplace's texts are kept verbatim on the order
(``failure_message``); the advice comes from the error catalogue
(``orders.error_catalogue``). A message the catalogue does not know is counted
(``UnrecognisedUpstreamError``), so the catalogue can grow where it matters.
"""

import hashlib

from django.db.models import F
from django.utils import timezone

from .error_catalogue import GENERIC, CatalogueEntry, catalogue_entry_for
from .models import UnrecognisedUpstreamError

__all__ = ["GENERIC", "PROVISIONING_FAILED", "guidance_for", "upstream_error_seen"]

PROVISIONING_FAILED = catalogue_entry_for(None)


def guidance_for(message: str | None) -> CatalogueEntry:
    """Return the catalogue entry for an upstream error ``message`` (the generic one if unknown)."""
    return catalogue_entry_for(message)


def upstream_error_seen(message: str | None, *, order=None) -> CatalogueEntry:
    """Return the entry for ``message``; count it first when the catalogue does not know it."""
    entry = catalogue_entry_for(message)
    if entry is GENERIC:
        text = " ".join((message or "").split())
        digest = hashlib.sha256(text.encode()).hexdigest()
        now = timezone.now()
        seen, created = UnrecognisedUpstreamError.objects.get_or_create(
            digest=digest,
            defaults={"message": text, "first_seen": now, "last_seen": now, "last_order": order},
        )
        if not created:
            UnrecognisedUpstreamError.objects.filter(pk=seen.pk).update(
                count=F("count") + 1, last_seen=now, last_order=order or seen.last_order
            )
    return entry

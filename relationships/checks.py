"""System checks: the distributor's partner id must be a GUID, or every approval link is broken."""

import uuid

from django.conf import settings
from django.core.checks import Error, register


@register()
def distributor_partner_id_check(app_configs, **kwargs):
    value = getattr(settings, "DISTRIBUTOR_PARTNER_ID", "")
    try:
        uuid.UUID(str(value))
    except ValueError:
        return [
            Error(
                f"DISTRIBUTOR_PARTNER_ID is {value!r}, not a GUID.",
                hint="Set DISTRIBUTOR_PARTNER_ID to the distributor's Microsoft partner id, "
                "e.g. a27ac673-9a4c-446c-bd28-280c0bf7cf71.",
                id="relationships.E001",
            )
        ]
    return []

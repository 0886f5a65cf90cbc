"""Whether a new tenant name is free, asked of the marketplace the one way every page asks it.

The wizard's live check, its tenant step and the fix page of a refused order all
call ``tenant_name_check``; what a taken name reads like is ``DomainCheck.refusal``.
"""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import MarketplaceError
from marketplace.types import DomainCheck
from marketplace.wording import is_busy, marketplace_failure_message

from .models import Customer, Reseller
from .upstream import client_for

logger = logging.getLogger(__name__)


def tenant_name_check(
    *, reseller: Reseller, domain: str, customer: Customer | None = None, next_step: str
) -> DomainCheck:
    """Ask whether a new tenant can be created as ``domain``.

    Raise ValidationError, ending with ``next_step``, when the marketplace cannot answer.
    """
    try:
        with client_for(reseller) as client:
            return client.check_domain(
                domain=domain, customer_id=customer.upstream_customer_id if customer else ""
            )
    except MarketplaceError as error:
        logger.warning(
            "Marketplace call failed while checking a tenant name: %s", error, exc_info=True
        )
        message = marketplace_failure_message(
            error, outcome=_("nothing was changed"), next_step=next_step
        )
        raise ValidationError(message, code="busy" if is_busy(error) else "unreachable") from error

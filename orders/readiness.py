"""Everything that would stop an order, found before Buy and listed all at once.

The review step shows these problems, each with what to do and the step that
fixes it. ``order_place`` checks the same request again (without the calls to
the marketplace) when the buyer presses Buy.
"""

import logging

from customers.models import Customer
from marketplace.exceptions import MarketplaceError

from .checks import Problem, request_customer, request_problems
from .requests import OrderRequest

logger = logging.getLogger(__name__)

__all__ = ["Problem", "order_readiness"]


def order_readiness(*, request: OrderRequest, reseller) -> list[Problem]:
    """Return every known blocker of ``request``; an empty list means it can be bought."""
    problems = request_problems(request=request, reseller=reseller)
    if reseller.tier_status == reseller.TierStatus.UNCHECKED:
        problems.append(
            Problem(
                "partner",
                "Your partner details have not been confirmed READY yet.",
                "Check your MPN ID and indirect-reseller tenant domain.",
                "partner",
            )
        )
    customer = request_customer(request, reseller)
    if customer is None:
        return problems
    if (
        request.tenant_preference == "existing"
        and customer.relationship != Customer.Relationship.ACCEPTED
    ):
        problems.append(
            Problem(
                "tenant_preference",
                f"{customer.company_name}'s tenant has not accepted the reseller relationship with "
                "your distributor; Microsoft refuses the order until it does.",
                "Send the customer the relationship link; wait for a Global Admin to accept it.",
                "tenant",
            )
        )
    if (
        request.tenant_preference == "new"
        and request.microsoft_domain
        and not any(p.field.startswith("microsoft_domain") for p in problems)
    ):
        problems += _domain_problems(request, reseller, customer)
    return problems


def _domain_problems(request, reseller, customer) -> list[Problem]:
    from customers.upstream import client_for

    domain = request.microsoft_domain.strip().lower()
    try:
        check = client_for(reseller).check_domain(
            customer_id=customer.upstream_customer_id or None, domain=domain
        )
    except MarketplaceError:
        # Not knowing is not a blocker: the marketplace checks again when the order arrives.
        logger.warning("Domain check for %s failed", domain, exc_info=True)
        return []
    if check.available:
        return []
    return [
        Problem(
            "microsoft_domain",
            check.message or f"{domain} is already taken.",
            "Choose another name for the new tenant.",
            "tenant",
        )
    ]

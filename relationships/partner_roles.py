"""The "Approved Partner Roles" check: does the customer's tenant wait on an approval?

Seed 001: after provisioning, the customer can check whether partner roles are
pending approval and, when one is, approve it on the Microsoft admin portal.
The marketplace has no endpoint for GDAP roles; what it can tell is whether the
distributor's relationship with the tenant is in place: its parameter
validation answers Partner Center's 20002 ("no commerce relationship") when it
is not. A missing relationship is what a pending approval looks like from here,
and the portal's partner-invitation page (seed 002) is where the tenant's Global
Admin approves it. Each check is recorded with who asked, when, and the answer.
"""

import logging
import math

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.upstream import client_for
from marketplace.exceptions import MarketplaceError
from marketplace.wording import marketplace_failure_message
from orders.models import Subscription

from .models import PartnerRolesCheck

logger = logging.getLogger(__name__)

Outcome = PartnerRolesCheck.Outcome

#: Where the customer's admins see their licences and users.
ADMIN_CENTER_URL = "https://admin.microsoft.com"

#: What did not happen when the marketplace failed, and what to do after an outage.
FAILED_OUTCOME = _("we could not check your partner roles and nothing was changed")
FAILED_NEXT_STEP = _("Try again in a few minutes.")
NO_TENANT_MESSAGE = _("This subscription names no Microsoft tenant, so there is nothing to check.")
#: One check per customer in this many seconds: a press meanwhile gets the last result, and
#: the marketplace is not asked again.
CHECK_INTERVAL_SECONDS = 30


class CheckTooSoon(Exception):
    """The customer's partner roles were checked less than CHECK_INTERVAL_SECONDS ago."""

    def __init__(self, *, last_check: PartnerRolesCheck | None, retry_in: int):
        self.last_check = last_check
        self.retry_in = retry_in
        super().__init__(
            f"Your partner roles were checked less than {CHECK_INTERVAL_SECONDS} seconds ago, "
            f"so they were not checked again. Check again in {retry_in} second"
            f"{'s' if retry_in != 1 else ''}."
        )


def throttle_key(customer_id) -> str:
    """Return the cache key holding when the customer's last check started."""
    return f"partner-roles:check:{customer_id}"


def subscription_tenant(subscription: Subscription) -> str:
    """Return the tenant (domain, else tenant id) the subscription's licences are on."""
    customer = subscription.customer
    return (
        subscription.tenant_domain
        or subscription.tenant_id
        or customer.tenant_domain
        or str(customer.tenant_id or "")
    )


def partner_roles_check(*, subscription: Subscription, user) -> PartnerRolesCheck:
    """Ask the marketplace whether the subscription's tenant waits on an approval; record it.

    Never raises for the marketplace: an outage or a rate limit is recorded as
    ``unreachable``, its message saying which. Writes only the check's own record.
    Raises ``CheckTooSoon`` (with the customer's last check) instead of asking
    again within CHECK_INTERVAL_SECONDS of the customer's previous check.
    """
    customer = subscription.customer
    _take_turn(customer)
    tenant = subscription_tenant(subscription)
    outcome, message, correlation_id = _ask(customer, tenant)
    return PartnerRolesCheck.objects.create(
        customer=customer,
        subscription=subscription,
        tenant=tenant,
        checked_by=user,
        checked_at=timezone.now(),
        outcome=outcome,
        message=message,
        correlation_id=correlation_id or "",
    )


def _take_turn(customer) -> None:
    """Claim the customer's one check of the interval (in the shared cache), else raise."""
    now = timezone.now().timestamp()
    key = throttle_key(customer.pk)
    if cache.add(key, now, timeout=CHECK_INTERVAL_SECONDS):
        return
    started = cache.get(key)
    elapsed = now - started if isinstance(started, int | float) else CHECK_INTERVAL_SECONDS
    retry_in = max(1, math.ceil(CHECK_INTERVAL_SECONDS - elapsed))
    last_check = PartnerRolesCheck.objects.filter(customer=customer).first()
    raise CheckTooSoon(last_check=last_check, retry_in=retry_in)


def _ask(customer, tenant) -> tuple[str, str, str | None]:
    if not tenant:
        return Outcome.TENANT_NOT_FOUND, NO_TENANT_MESSAGE, None
    try:
        with client_for(customer.reseller) as client:
            answer = client.check_tenant(
                tenant=tenant, customer_id=customer.upstream_customer_id or None
            )
    except MarketplaceError as error:
        logger.warning(
            "Customer %s: partner roles check for %s failed: %s", customer.pk, tenant, error
        )
        message = marketplace_failure_message(
            error, outcome=FAILED_OUTCOME, next_step=FAILED_NEXT_STEP
        )
        return Outcome.UNREACHABLE, message, error.correlation_id
    if not answer.found:
        return Outcome.TENANT_NOT_FOUND, answer.message, None
    if answer.relationship:
        return Outcome.NOTHING_PENDING, answer.message, None
    return Outcome.PENDING, answer.message, None

"""The wizard's live checks, answered as htmx fragments (the steps work without them)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

import rules
from catalog import selectors as catalog_selectors
from catalog.models import Segment
from catalog.permissions import ordering_reseller
from config.rate_windows import Limit, window_hit
from customers.models import Customer, User
from customers.permissions import role_required
from customers.relationship_links import reseller_relationship_url

from . import services
from .customer_search import customer_search_results
from .forms.partner import ENROL_URL


@require_GET
@role_required(User.Role.RESELLER_STAFF)
def customer_search(request):
    """Return the list of matching customers for the customer step's search box."""
    context = customer_search_results(user=request.user, query=request.GET.get("q", ""))
    context["picked_id"] = request.GET.get("customer-customer", "")
    return render(request, "wizard/_customer_results.html", context)


def _ordering_reseller(request):
    """Return the reseller the user orders through (a self-service customer's too), or refuse."""
    reseller = ordering_reseller(request.user)
    if reseller is None:
        raise PermissionDenied(_("Your account cannot place orders."))
    return reseller


@require_GET
@role_required(User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER)
def tenant_name_check(request):
    """Check a new tenant name as it is typed: characters first, then availability upstream."""
    reseller = _ordering_reseller(request)
    typed = request.GET.get("tenant-tenant_prefix", "")
    context = {"typed": typed[:80]}
    try:
        prefix = rules.check_tenant_prefix(typed)
    except rules.RuleViolation as violation:
        context["problem"] = violation.message
        return render(request, "wizard/_tenant_name_check.html", context)
    segments = {line.product.segment for line in catalog_selectors.cart_lines(user=request.user)}
    if segments & {Segment.EDUCATION, Segment.NONPROFIT}:
        context["problem"] = "A new tenant can't be created for education or nonprofit offers."
        return render(request, "wizard/_tenant_name_check.html", context)
    domain = prefix + rules.ONMICROSOFT_SUFFIX
    try:
        check = services.domain_check(reseller=reseller, domain=domain)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "wizard/_tenant_name_check.html", context)
    context.update(
        domain=domain,
        available=check.available,
        message=check.message,
        suggestions=[s.split(".")[0] for s in check.suggestions],
    )
    return render(request, "wizard/_tenant_name_check.html", context)


@require_POST
@role_required(User.Role.RESELLER_STAFF)
def partner_check(request):
    """Check the typed MPN ID and reseller tenant now, and say READY or why not."""
    context = {"enrol_url": ENROL_URL, "relationship_url": reseller_relationship_url()}
    try:
        mpn_id = rules.check_mpn_id(request.POST.get("partner-mpn_id", ""))
        domain = rules.check_reseller_domain(
            request.POST.get("partner-indirect_reseller_domain", "")
        )
        context["check"] = services.partner_check(
            reseller=request.user.reseller, mpn_id=mpn_id, domain=domain
        )
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
    return render(request, "wizard/_partner_check.html", context)


#: The wizard's relationship checks, per user (the API's fixed one-minute windows).
RELATIONSHIP_CHECKS = Limit(
    "wizard-relationship-check",
    "WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE",
    _("You have checked %(limit)s times this minute."),
)


@require_POST
@role_required(User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER)
def relationship_check(request):
    """Check again whether the customer's global admin has accepted the distributor.

    Answers only for a customer the user may order for, and only about that customer's
    own tenant (or, while it has none recorded, the tenant being entered for it), at most
    ``WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE`` times a minute per user.
    """
    reseller = _ordering_reseller(request)
    context = {}
    allowed = settings.WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE
    count, retry_after = window_hit(RELATIONSHIP_CHECKS, str(request.user.pk))
    if count > allowed:
        context["problem"] = _(
            "You have checked %(limit)s times this minute. Wait %(seconds)s seconds, "
            "then check again, or press Next: the step checks it too."
        ) % {"limit": allowed, "seconds": retry_after}
        return render(request, "wizard/_relationship_check.html", context, status=429)
    try:
        tenant = rules.check_existing_tenant(request.POST.get("tenant-existing_tenant", ""))
        customer = _relationship_customer(request)
        if customer is None or not services.tenant_checkable(customer=customer, tenant=tenant):
            context["problem"] = _(
                "Only the tenant of the customer you are ordering for can be checked here. "
                "Check the tenant you typed, then press Next."
            )
        else:
            context["check"] = services.tenant_check(
                reseller=reseller, customer=customer, tenant=tenant
            )
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
    return render(request, "wizard/_relationship_check.html", context)


def _relationship_customer(request) -> Customer | None:
    """Return the customer the check is for: an end customer's own, a reseller's named one."""
    if request.user.role == User.Role.CUSTOMER_USER:
        return Customer.objects.filter(pk=request.user.customer_id).first()
    customer_id = str(request.POST.get("customer", ""))
    if not customer_id.isdigit():
        return None
    return Customer.objects.visible_to(request.user).filter(pk=customer_id).first()

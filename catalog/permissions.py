"""Who may fill a cart and place orders, and through which reseller."""

from django.shortcuts import render

SELF_SERVICE_OFF_TEMPLATE = "catalog/self_service_off.html"


def ordering_reseller(user):
    """Return the reseller whose catalogue and marketplace ``user`` orders through, or None.

    Reseller staff order through their reseller for its customers; an end
    customer's user orders for its own company through its reseller, only
    when that reseller has enabled self-service. Support and admins only look.
    """
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == user.Role.RESELLER_STAFF and user.reseller_id:
        return user.reseller
    if user.role == user.Role.CUSTOMER_USER and user.customer_id:
        reseller = user.customer.reseller
        return reseller if reseller.self_service_enabled else None
    return None


def can_order(user) -> bool:
    return ordering_reseller(user) is not None


def is_end_customer_without_self_service(user) -> bool:
    """Return True for an end customer whose reseller places its orders for it."""
    return bool(
        user.is_authenticated
        and user.role == user.Role.CUSTOMER_USER
        and user.customer_id
        and not user.customer.reseller.self_service_enabled
    )


def self_service_refusal(request):
    """Return the 403 page telling an end customer that its reseller places its orders."""
    return render(
        request,
        SELF_SERVICE_OFF_TEMPLATE,
        {"reseller": request.user.customer.reseller},
        status=403,
    )

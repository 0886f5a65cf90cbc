"""The catalogue list and the cart."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .models import BILLING_LABELS, Period, Product, Segment
from .permissions import can_order, is_end_customer_without_self_service, self_service_refusal

SEGMENT_TILES = [
    (Segment.COMMERCIAL, _("Businesses of every size.")),
    (Segment.EDUCATION, _("Schools and universities verified by Microsoft.")),
    (Segment.NONPROFIT, _("Charities and nonprofits verified by Microsoft.")),
    (Segment.GOVERNMENT, _("Public bodies, at commercial prices on a new tenant.")),
]


def _require_ordering(user):
    if not can_order(user):
        raise PermissionDenied(_("Only reseller staff and self-service customers can fill a cart."))


def refuses_end_customers_without_self_service(view_func):
    """Answer an end customer whose reseller orders for it with the page that says so."""

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if is_end_customer_without_self_service(request.user):
            return self_service_refusal(request)
        return view_func(request, *args, **kwargs)

    return wrapped


@login_required
@refuses_end_customers_without_self_service
@require_GET
def product_list(request):
    """Show the NCE catalogue: segment tiles, search, filters and one page of plans."""
    filters = selectors.product_filters_from(request.GET)
    page = selectors.product_page(filters=filters, page=selectors.page_number_from(request.GET))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "tiles": [(value, Segment(value).label, blurb) for value, blurb in SEGMENT_TILES],
        "filters": filters,
        "page": page,
        "terms": Period.choices,
        "billings": [(value, BILLING_LABELS[value]) for value in Period.values],
        "query_without_page": params.urlencode(),
        "can_order": can_order(request.user),
        "cart": selectors.cart_summary(user=request.user),
    }
    return render(request, "catalog/product_list.html", context)


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@refuses_end_customers_without_self_service
@require_POST
def cart_add(request, product_id):
    """Add a plan to the cart and keep the reseller where they were."""
    _require_ordering(request.user)
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    line = services.cart_add(user=request.user, product=product)
    message = f"{product.name} is in your cart ({line.quantity})."
    if request.htmx:
        return render(
            request,
            "catalog/product_list.html#cart-badge",
            {"cart": selectors.cart_summary(user=request.user), "status_message": message},
        )
    messages.success(request, message)
    return redirect(_safe_next(request, reverse("catalog:list")))


def _render_cart(request, *, errors=None, typed=None, status=200):
    lines = selectors.cart_lines(user=request.user)
    errors, typed = errors or {}, typed or {}
    for line in lines:
        line.error = errors.get(line.pk, "")
        line.shown_quantity = typed.get(line.pk, line.quantity)
    self_service = request.user.role == request.user.Role.CUSTOMER_USER
    context = {
        "lines": lines,
        "total": selectors.cart_total(lines),
        "currency": selectors.cart_currency(lines),
        "next_url": reverse(
            "wizard:self_service_step" if self_service else "wizard:step", args=["cart"]
        ),
        "next_label": _("Next: your order") if self_service else _("Next: choose the customer"),
    }
    return render(request, "catalog/cart.html", context, status=status)


@login_required
@refuses_end_customers_without_self_service
@require_GET
def cart(request):
    """Show the cart: lines, quantities, prices and the way into the order wizard."""
    _require_ordering(request.user)
    return _render_cart(request)


@login_required
@refuses_end_customers_without_self_service
@require_POST
def cart_line_update(request, line_id):
    """Change one line: one more, one less, a typed quantity, or remove it."""
    _require_ordering(request.user)
    line = selectors.cart_line_for(user=request.user, line_id=line_id)
    if line is None:
        raise Http404(_("That line is no longer in your cart."))
    action = request.POST.get("action", "set")
    if action == "remove":
        services.cart_remove(user=request.user, line_id=line.pk)
        messages.success(
            request, _("%(product)s was removed from your cart.") % {"product": line.product.name}
        )
        return redirect("catalog:cart")
    if action in ("increase", "decrease"):
        services.cart_step_quantity(
            user=request.user, line_id=line.pk, step=1 if action == "increase" else -1
        )
        return redirect("catalog:cart")
    typed = request.POST.get("quantity", "").strip()[:12]
    try:
        line = services.cart_set_quantity(user=request.user, line_id=line.pk, quantity=typed)
    except ValidationError as error:
        return _render_cart(
            request, errors={line.pk: " ".join(error.messages)}, typed={line.pk: typed}, status=400
        )
    messages.success(
        request,
        _("%(product)s: quantity set to %(quantity)s.")
        % {"product": line.product.name, "quantity": line.quantity},
    )
    return redirect("catalog:cart")

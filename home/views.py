"""The landing page after sign-in, one per role."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from customers.models import Customer, User
from customers.templatetags.navigation import url_or_none
from orders.models import Order, Status, Subscription
from orders.selectors import order_rows, subscription_rows
from reminders.selectors import closing_batches, reminder_thresholds

RECENT_ORDERS = 10
RECENT_SUBSCRIPTIONS = 20


@login_required
def home(request):
    """Send each user to the page their role starts from."""
    user = request.user
    if user.is_superuser or user.role == User.Role.ADMIN:
        if user.is_staff:
            return redirect("admin:index")
        return render(request, "home/no_role.html", status=403)
    if user.role == User.Role.SUPPORT:
        return support_home(request)
    if user.role == User.Role.RESELLER_STAFF and user.reseller_id:
        return reseller_home(request)
    if user.role == User.Role.CUSTOMER_USER and user.customer_id:
        return customer_home(request)
    return render(request, "home/no_role.html", status=403)


def reseller_home(request):
    reseller = request.user.reseller
    orders = Order.objects.visible_to(request.user)
    counts = dict(orders.order_by().values_list("status").annotate(n=Count("pk")))
    status_counts = [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Status.choices
        if counts.get(value)
    ]
    context = {
        "reseller": reseller,
        "status_counts": status_counts,
        "order_total": sum(counts.values()),
        "open_order_count": sum(
            n
            for s, n in counts.items()
            if s not in (Status.COMPLETED, Status.FAILED, Status.CANCELLED, Status.DECLINED)
        ),
        "awaiting_approval_count": counts.get(Status.AWAITING_APPROVAL, 0),
        "failed_order_count": counts.get(Status.FAILED, 0),
        "customer_count": Customer.objects.visible_to(request.user).count(),
        "recent_orders": orders.select_related("customer").prefetch_related("lines")[
            :RECENT_ORDERS
        ],
        "start_order_url": url_or_none("catalog:list") or url_or_none("wizard:start"),
        "closing_soon": closing_batches(
            now=timezone.now(),
            within=timedelta(hours=max(reminder_thresholds())),
            reseller=reseller,
        ),
    }
    return render(request, "home/reseller.html", context)


def customer_home(request):
    customer = request.user.customer
    context = {
        "customer": customer,
        "orders": order_rows(Order.objects.visible_to(request.user), with_companies=False)[
            :RECENT_ORDERS
        ],
        "subscriptions": subscription_rows(Subscription.objects.visible_to(request.user))[
            :RECENT_SUBSCRIPTIONS
        ],
        "self_service_url": (
            url_or_none("wizard:self_service") if customer.reseller.self_service_enabled else None
        ),
    }
    return render(request, "home/customer.html", context)


def support_home(request):
    search_url = url_or_none("support:search")
    if search_url:
        return redirect(search_url)
    orders = Order.objects.visible_to(request.user).select_related("customer", "reseller")
    return render(request, "home/support.html", {"recent_orders": orders[:25]})

"""The JSON API for integrators: parse, call the domain functions, serialise. Nothing else."""

from django.db import transaction
from django.http import JsonResponse

from catalog.models import Period, Segment
from customers.models import Customer
from orders.models import Order
from orders.readiness import order_readiness
from orders.services import OrderRejected, order_place
from orders.services.changes import ChangeRefused
from orders.services.changes import order_cancel as cancel_order

from . import parsing, selectors, serializers
from .auth import acting_user, api_view
from .errors import NON_FIELD, ApiError
from .models import ApiOrder

#: OrderRequest field names as the API spells them.
API_FIELD_NAMES = {
    "tenant_preference": "tenant.preference",
    "microsoft_domain": "tenant.domain",
    "microsoft_tenant_id": "tenant.tenant_id",
}
NOT_FOUND = {
    "customer": "No customer with this id is yours.",
    "order": "No order with this reference is yours.",
}


def _paged(request, queryset, serialize, *, descending=False):
    rows, more = selectors.page(
        queryset,
        after=parsing.cursor_from(request.GET),
        limit=parsing.limit_from(request.GET),
        descending=descending,
    )
    return JsonResponse(
        {
            "results": [serialize(row) for row in rows],
            "next_cursor": parsing.make_cursor(rows[-1].pk) if more else None,
        }
    )


@api_view("GET")
def product_list(request):
    params = request.GET
    products = selectors.api_products(
        segment=parsing.choice_from(params, "segment", Segment.values),
        term=parsing.choice_from(params, "term", Period.values),
        billing=parsing.choice_from(params, "billing", Period.values),
        query=parsing.search_text(params),
    )
    return _paged(request, products, serializers.product_data)


@api_view("GET")
def customer_list(request):
    customers = selectors.api_customers(request.api_token, query=parsing.search_text(request.GET))
    return _paged(request, customers, serializers.customer_data)


@api_view("GET")
def customer_detail(request, customer_id):
    customer = (
        selectors.scoped(Customer.objects.all(), request.api_token).filter(pk=customer_id).first()
    )
    if customer is None:
        raise ApiError(404, [(NON_FIELD, NOT_FOUND["customer"])])
    return JsonResponse(serializers.customer_data(customer))


@api_view("GET", "POST")
def orders(request):
    if request.method == "POST":
        return _place_order(request)
    params = request.GET
    queryset = selectors.api_orders(
        request.api_token,
        status=parsing.choice_from(params, "status", Order.Status.values),
        customer_id=parsing.id_from(params, "customer_id"),
    )
    return _paged(request, queryset, serializers.order_summary_data, descending=True)


@api_view("GET")
def order_detail(request, reference):
    return JsonResponse(serializers.order_data(_order_or_404(request, reference)))


@api_view("POST")
def order_cancel(request, reference):
    order = _order_or_404(request, reference)
    try:
        follow_ups = cancel_order(
            order=order, user=acting_user(request.api_token), channel=Order.Channel.API
        )
    except ChangeRefused as refused:
        raise ApiError(409, [(NON_FIELD, refused.message)]) from None
    order.refresh_from_db()
    return JsonResponse(
        {
            **serializers.order_data(order),
            "cancellation_orders": [serializers.order_summary_data(o) for o in follow_ups],
        },
        status=202,
    )


def _order_or_404(request, reference):
    order = selectors.api_order(request.api_token, reference)
    if order is None:
        raise ApiError(404, [(NON_FIELD, NOT_FOUND["order"])])
    return order


def _place_order(request):
    """Place the order in the body once per Idempotency-Key: 201 when new, 200 on a retry."""
    token = request.api_token
    data = parsing.json_body(request)
    key = parsing.idempotency_key(request.headers.get("Idempotency-Key"))
    request_sha256 = parsing.fingerprint(data)
    existing = Order.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, token, request_sha256)
    order_request = parsing.order_request(data)
    problems = order_readiness(request=order_request, reseller=token.reseller)
    if problems:
        raise ApiError(
            422,
            [
                {"field": API_FIELD_NAMES.get(p.field, p.field), "message": p.message, "fix": p.fix}
                for p in problems
            ],
        )
    try:
        with transaction.atomic():
            order = order_place(
                request=order_request,
                reseller=token.reseller,
                placed_by=acting_user(token),
                idempotency_key=key,
                ip_address=request.META.get("REMOTE_ADDR"),
                channel=Order.Channel.API,
            )
            _, created = ApiOrder.objects.get_or_create(
                order=order, defaults={"token": token, "request_sha256": request_sha256}
            )
    except OrderRejected as rejected:
        fields = [field for field, _ in rejected.problems]
        raise ApiError(
            409 if "idempotency_key" in fields else 422,
            [(API_FIELD_NAMES.get(field, field), message) for field, message in rejected.problems],
        ) from None
    return JsonResponse(serializers.order_data(order), status=201 if created else 200)


def _replay(order, token, request_sha256):
    if order.reseller_id != token.reseller_id:
        raise ApiError(
            409,
            [
                (
                    "Idempotency-Key",
                    "This key belongs to another account; make a new UUID for each order.",
                )
            ],
        )
    origin = ApiOrder.objects.filter(order=order).first()
    if origin is not None and origin.request_sha256 != request_sha256:
        raise ApiError(
            409,
            [
                (
                    "Idempotency-Key",
                    f"This key already placed order "
                    f"{order.reference} with a different request; make a new UUID "
                    "for a new order.",
                )
            ],
        )
    return JsonResponse(serializers.order_data(order), status=200)

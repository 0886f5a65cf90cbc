"""Orders: list, read, validate, place (once per Idempotency-Key) and cancel."""

import hashlib
import json
import uuid
from decimal import Decimal
from typing import Annotated

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Header, Path, Query, Router
from ninja.responses import Status

from catalog.models import Product
from orders.checks import RequestRows
from orders.coterming import coterm_quote
from orders.models import Order
from orders.readiness import order_readiness
from orders.services import OrderRejected, order_place
from orders.services.changes import ChangeRefused
from orders.services.changes import order_cancel as cancel_order
from orders.upstream_mapping import coterm_target

from .. import inputs, limits, outputs, selectors
from ..auth import acting_user
from ..inputs import OrderFilters, OrderIn
from ..models import ApiOrder
from ..problems import ApiError, field_error
from .common import paged, problems

router = Router(tags=["orders"])

Reference = Annotated[str, Path(max_length=32)]
IdempotencyKey = Annotated[
    uuid.UUID,
    Header(
        alias="Idempotency-Key",
        description="A UUID you make once per order and send again on every retry of it.",
    ),
]
#: OrderRequest field names as the API's body spells them.
API_FIELD_NAMES = {
    "tenant_preference": "tenant.preference",
    "microsoft_domain": "tenant.domain",
    "microsoft_tenant_id": "tenant.tenant_id",
}
#: Top-level body fields: a problem at any other field concerns the request as a whole.
BODY_FIELDS = set(OrderIn.model_fields)
WRITE_PROBLEMS = (400, 403, 413, 415, 422)


def problem_item(field: str, message: str, fix: str | None = None) -> dict:
    """Return the error item of an order problem, at its body field when it has one."""
    path = API_FIELD_NAMES.get(field, field)
    if path.split(".")[0].split("[")[0] in BODY_FIELDS:
        return field_error(path, message, fix=fix)
    item = {"detail": message}
    if fix:
        item["fix"] = fix
    return item


def readiness_checked(request, payload: OrderIn, rows: RequestRows | None = None):
    """Return the OrderRequest of ``payload``, or raise a 422 listing every problem it has.

    ``rows`` keeps the customer, products and prices read here for the placement after it.
    """
    order_request = inputs.order_request(payload, rows)
    found = order_readiness(request=order_request, reseller=request.auth.reseller, rows=rows)
    if found:
        raise ApiError(
            422,
            _("The order cannot be placed as it is; every problem is listed."),
            errors=[problem_item(p.field, p.message, p.fix) for p in found],
        )
    return order_request


def fingerprint(data) -> str:
    """Return a hash of the JSON ``data`` that does not depend on key order or spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.get("/orders", response={200: outputs.OrderPage, **problems(400)})
def order_list(request, filters: Query[OrderFilters]):
    """List your orders, newest first, filtered by status and customer."""
    orders = selectors.api_orders(
        request.auth, status=filters.status or "", customer_id=filters.customer_id
    )
    return paged(orders, filters, outputs.order_summary_data, descending=True)


@router.post(
    "/orders",
    response={200: outputs.OrderOut, 201: outputs.OrderOut, **problems(*WRITE_PROBLEMS, 409)},
)
def order_create(request, payload: OrderIn, idempotency_key: IdempotencyKey):
    """Place an order: 201 the first time, 200 with the same order on a retry of its key."""
    token = request.auth
    limits.limit_hit(limits.ORDERS, str(token.pk))
    request_sha256 = fingerprint(json.loads(request.body))
    existing = Order.objects.filter(
        reseller_id=token.reseller_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return Status(200, _replay(existing, request_sha256))
    rows = RequestRows(token.reseller)
    order_request = readiness_checked(request, payload, rows)
    try:
        with transaction.atomic():
            order = order_place(
                request=order_request,
                reseller=token.reseller,
                placed_by=acting_user(token),
                idempotency_key=idempotency_key,
                ip_address=request.META.get("REMOTE_ADDR"),
                channel=Order.Channel.API,
                rows=rows,
                key_found_unused=True,  # looked up just above
            )
            _api_order, created = ApiOrder.objects.get_or_create(
                order=order, defaults={"token": token, "request_sha256": request_sha256}
            )
    except OrderRejected as rejected:
        fields = [field for field, _message in rejected.problems]
        if "idempotency_key" in fields:
            raise ApiError(409, errors=[_key_conflict(_("This key is already in use."))]) from None
        raise ApiError(
            422, errors=[problem_item(field, message) for field, message in rejected.problems]
        ) from None
    return Status(201 if created else 200, outputs.order_data(order))


@router.post("/orders/validate", response={200: outputs.ReadyOut, **problems(*WRITE_PROBLEMS)})
def order_validate(request, payload: OrderIn):
    """Check an order as placing it would (every rule, the marketplace's checks); place nothing.

    Answers 200 ``{"ready": true}`` or 422 with every problem at once.
    """
    order_request = readiness_checked(request, payload)
    products = Product.objects.in_bulk([line.product_id for line in order_request.lines])
    total = sum(
        (products[line.product_id].price * line.quantity for line in order_request.lines),
        Decimal("0"),
    )
    currencies = {product.currency for product in products.values()}
    customer = request.auth.reseller.customers.get(pk=order_request.customer_id)
    quote = coterm_quote(
        request=order_request,
        products=products,
        target=coterm_target(order_request, customer),
        today=timezone.localdate(),
    )
    return {
        "ready": True,
        "total": str(total),
        "currency": currencies.pop() if len(currencies) == 1 else None,
        "coterm_ends_on": quote.end if quote else None,
        "first_charge": str(quote.first_charge) if quote else None,
    }


@router.get("/orders/{reference}", response={200: outputs.OrderOut, **problems(400, 404)})
def order_detail(request, reference: Reference):
    """Return an order with its lines, parameters, subscriptions and whole history."""
    return outputs.order_data(_order_or_404(request.auth, reference))


@router.post(
    "/orders/{reference}/cancel",
    response={202: outputs.CancelledOut, **problems(400, 403, 404, 409)},
)
def order_cancel(request, reference: Reference):
    """Cancel a completed purchase within Microsoft's 7-day window (prorated refund)."""
    order = _order_or_404(request.auth, reference)
    try:
        follow_ups = cancel_order(
            order=order, user=acting_user(request.auth), channel=Order.Channel.API
        )
    except ChangeRefused as refused:
        raise ApiError(409, refused.message) from None
    order.refresh_from_db()
    return Status(
        202,
        {
            **outputs.order_data(order),
            "cancellation_orders": [outputs.order_summary_data(o) for o in follow_ups],
        },
    )


def _order_or_404(token, reference):
    order = selectors.api_order(token, reference)
    if order is None:
        raise ApiError(404, _("No order with this reference is yours."))
    return order


def _key_conflict(detail: str) -> dict:
    return {"header": "Idempotency-Key", "detail": detail}


def _replay(order, request_sha256) -> dict:
    origin = ApiOrder.objects.filter(order=order).first()
    if origin is not None and origin.request_sha256 != request_sha256:
        raise ApiError(
            409,
            errors=[
                _key_conflict(
                    _(
                        "This key already placed order %(reference)s with a different "
                        "request; make a new UUID for a new order."
                    )
                    % {"reference": order.reference}
                )
            ],
        )
    return outputs.order_data(order)

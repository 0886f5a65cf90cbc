"""Place a sales order: revalidate the request, write everything in one transaction, enqueue it."""

import logging
import uuid
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .. import cause_words, events
from ..attestations import attestation_text
from ..checks import RequestRows, request_problems
from ..dispatch import enqueue_submit
from ..models import Attestation, Order, OrderEvent, OrderLine, OrderParameter
from ..observe import order_observe
from ..parameters import line_parameters, order_parameters
from ..reference import new_reference
from ..requests import OrderRequest
from ..upstream_mapping import coterm_target
from .approvals import needs_approval

logger = logging.getLogger(__name__)

CHANNEL_ACTOR = {
    Order.Channel.WIZARD: OrderEvent.Actor.RESELLER,
    Order.Channel.SELF_SERVICE: OrderEvent.Actor.CUSTOMER,
    Order.Channel.API: OrderEvent.Actor.RESELLER,
    Order.Channel.ADMIN: OrderEvent.Actor.ADMIN,
}
PLACEMENT_CAUSE = {
    Order.Channel.WIZARD: cause_words.PLACED_BY_RESELLER,
    Order.Channel.SELF_SERVICE: cause_words.PLACED_BY_CUSTOMER,
    Order.Channel.API: cause_words.PLACED_BY_API,
    Order.Channel.ADMIN: cause_words.PLACED_BY_ADMIN,
}
#: Reference collisions are one in 32**8; three tries is more than enough.
REFERENCE_ATTEMPTS = 3


class OrderRejected(Exception):
    """The request cannot become an order; ``problems`` are (field, message) pairs for the buyer."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.problems))


def order_place(
    *,
    request: OrderRequest,
    reseller,
    placed_by,
    idempotency_key: uuid.UUID,
    ip_address: str | None,
    channel: str,
    rows=None,
    key_found_unused: bool = False,
) -> Order:
    """Create the order ``request`` describes, or return the one already made with this key.

    ``rows`` (an ``orders.checks.RequestRows``) reuses the customer and products the
    caller's readiness check already read. ``key_found_unused`` says the caller looked
    ``idempotency_key`` up in this request and found no order: it is not looked up again
    before the order is written. An order made with the key meanwhile (a second Buy in
    another tab) still wins: the key is unique per reseller, so this insert fails and that order is
    returned, as it is for any concurrent placement.
    """
    if not key_found_unused:
        existing = _order_for_key(idempotency_key, reseller)
        if existing is not None:
            return existing
    rows = rows or RequestRows(reseller)
    problems = request_problems(request=request, reseller=reseller, rows=rows)
    if problems:
        existing = _order_for_key(idempotency_key, reseller) if key_found_unused else None
        if existing is not None:
            return existing  # placed meanwhile: that order, not a refusal of a repeat
        raise OrderRejected([problem.as_pair() for problem in problems])
    attempt = 0
    while True:
        attempt += 1
        try:
            with transaction.atomic():
                held = needs_approval(reseller=reseller, channel=channel)
                order = _create_order(
                    request=request,
                    rows=rows,
                    reseller=reseller,
                    placed_by=placed_by,
                    idempotency_key=idempotency_key,
                    ip_address=ip_address,
                    channel=channel,
                    status=Order.Status.AWAITING_APPROVAL if held else Order.Status.PLACED,
                )
                if not held:  # a held order's reseller hears of it (orders/listeners.py)
                    transaction.on_commit(partial(enqueue_submit, order.pk), robust=True)
            order_observe(order)
            return order
        except IntegrityError:
            # Either a concurrent call with the same key won (return its order),
            # or the random reference collided (try another one).
            existing = _order_for_key(idempotency_key, reseller)
            if existing is not None:
                return existing
            if attempt >= REFERENCE_ATTEMPTS:
                raise
            logger.warning("Order reference collision; trying another (attempt %s)", attempt)


def _order_for_key(idempotency_key, reseller) -> Order | None:
    return Order.objects.filter(reseller=reseller, idempotency_key=idempotency_key).first()


def _create_order(
    *, request, rows, reseller, placed_by, idempotency_key, ip_address, channel, status
) -> Order:
    customer = rows.customer(request)
    products = rows.products(request)
    currency = products[request.lines[0].product_id].currency
    # The words saying where each price came from are a record: written in English, like the
    # order's history, whoever places the order in whichever language (docs/i18n.md).
    with translation.override(settings.LANGUAGE_CODE):
        prices = rows.prices(request)
    total = sum(
        (prices[line.product_id].price * line.quantity for line in request.lines), Decimal(0)
    )
    order = Order.objects.create(
        reference=new_reference(),
        idempotency_key=idempotency_key,
        reseller=reseller,
        customer=customer,
        placed_by=placed_by,
        channel=channel,
        kind=Order.Kind.SALES,
        status=status,
        po_number=request.po_number.strip(),
        currency=currency,
        total=total,
        coterm_with=coterm_target(request, customer),
        coterm_end_of_month=request.coterm_end_of_month,
    )
    # One INSERT for the lines and one for every parameter, the order's and the lines'.
    lines = OrderLine.objects.bulk_create(
        OrderLine.for_product(
            order,
            products[line_request.product_id],
            line_request.quantity,
            resolved=prices[line_request.product_id],
        )
        for line_request in request.lines
    )
    parameters = [(None, p) for p in order_parameters(request)]
    for line, line_request in zip(lines, request.lines, strict=True):
        product = products[line_request.product_id]
        parameters += [(line, p) for p in line_parameters(line_request, product)]
    OrderParameter.objects.bulk_create(
        OrderParameter(
            order=order,
            line=line,
            name=p["name"],
            value=p.get("value", ""),
            structured_value=p.get("structured_value"),
        )
        for line, p in parameters
    )
    _record_attestations(order, request, customer, products, placed_by, ip_address)
    placed = OrderEvent.objects.create(
        order=order,
        from_status="",
        to_status=order.status,
        action="place",
        cause=PLACEMENT_CAUSE[channel]
        + (" " + cause_words.WAITS_FOR_APPROVAL if status != Order.Status.PLACED else ""),
        actor=CHANNEL_ACTOR.get(channel, OrderEvent.Actor.SYSTEM),
        actor_user=placed_by,
    )
    events.publish(placed)
    return order


def _record_attestations(order, request, customer, products, placed_by, ip_address):
    now = timezone.now()
    texts = request.attestation_texts or {}
    rows = [
        Attestation(
            kind=Attestation.Kind.PARTNER_OF_RECORD,
            text=attestation_text(Attestation.Kind.PARTNER_OF_RECORD, texts),
        ),
        Attestation(
            kind=Attestation.Kind.TERMS, text=attestation_text(Attestation.Kind.TERMS, texts)
        ),
    ]
    if request.agreement is not None:
        agreement = request.agreement
        rows.append(
            Attestation(
                kind=Attestation.Kind.CUSTOMER_AGREEMENT,
                text=(
                    f"{attestation_text(Attestation.Kind.CUSTOMER_AGREEMENT, texts)}\n"
                    f"Accepted by {agreement.first_name} {agreement.last_name} <{agreement.email}> "
                    f"on {agreement.accepted_on.isoformat()}."
                ),
            )
        )
    for line in request.lines:
        product = products[line.product_id]
        if product.offer_attestation_required and line.offer_attestation_accepted:
            rows.append(
                Attestation(
                    kind=Attestation.Kind.OFFER,
                    product=product,
                    text=product.offer_attestation_text or f"Offer attestation for {product.name}.",
                )
            )
    for row in rows:
        row.order = order
        row.accepted_by = placed_by
        row.accepted_at = now
        row.ip_address = ip_address or None
    Attestation.objects.bulk_create(rows)

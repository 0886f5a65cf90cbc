"""Build order requests for tests, and place and complete orders against the simulator."""

import uuid
from datetime import date

from orders.notifications import notify_completion
from orders.pipeline import finishing, listing, polling, submission
from orders.requests import AgreementAcceptance, LineRequest, OrderRequest
from pricing.selectors import price_resolve_many


def order_request(customer, products, **overrides) -> OrderRequest:
    """Return a valid request for a new tenant buying one seat-line per product.

    Each line expects the price the reseller's price book gives the customer (the list
    price, without a book), as the wizard and the API show it.
    """
    prices = price_resolve_many(reseller=customer.reseller, customer=customer, products=products)
    values = {
        "customer_id": customer.pk,
        "lines": tuple(
            LineRequest(
                product_id=product.pk,
                quantity=max(product.minimum_quantity, 3),
                expected_unit_price=str(prices[product.pk].price),
                offer_attestation_accepted=product.offer_attestation_required,
            )
            for product in products
        ),
        "tenant_preference": "new",
        "microsoft_domain": f"contoso{customer.pk}x.onmicrosoft.com",
        "partner_of_record_accepted": True,
        "agreement": AgreementAcceptance(
            first_name="Jane",
            last_name="Doe",
            email="jane.doe@contoso.example",
            accepted_on=date(2026, 1, 31),
        ),
        "special_qualification": "None",
        "po_number": "PO-1",
        "terms_accepted": True,
    }
    values.update(overrides)
    return OrderRequest(**values)


def place_for(customer, products, *, placed_by=None, channel="api", domain_prefix="t"):
    """Place a new-tenant order for ``customer`` through the product's own ``order_place``."""
    from orders.services import order_place

    return order_place(
        request=order_request(
            customer,
            products,
            microsoft_domain=f"{domain_prefix}{uuid.uuid4().hex[:10]}.onmicrosoft.com",
        ),
        reseller=customer.reseller,
        placed_by=placed_by,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=channel,
    )


def complete_through_simulator(order, simulator, capture_on_commit, rounds=10):
    """Send ``order`` and poll it until the simulator completes it, as the workers would."""
    with capture_on_commit(execute=True):
        submission.order_submit(order.pk)
    for _ in range(rounds):
        simulator.advance(60)
        with capture_on_commit(execute=True):
            polling.order_poll(order.pk)
        order.refresh_from_db()
        if order.status == "completed":
            # The completion e-mails are a task of their own (orders.notify_completion),
            # enqueued after the commit: run it as the worker would.
            notify_completion(order.pk)
            return order
    raise AssertionError(f"{order.reference} stayed {order.status}")


def completed_order(customer, products, simulator, capture_on_commit, *, email):
    """Place a new-tenant order for ``customer`` as a staff member with ``email``; complete it."""
    from orders.models import Order
    from orders.services import order_place
    from tests.factories import ContactFactory, UserFactory

    buyer = UserFactory(reseller=customer.reseller, email=email)
    ContactFactory(customer=customer, email="it@litware.example")
    order = order_place(
        request=order_request(
            customer,
            products,
            microsoft_domain=f"litware{uuid.uuid4().hex[:8]}.onmicrosoft.com",
        ),
        reseller=customer.reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=Order.Channel.WIZARD,
    )
    return complete_through_simulator(order, simulator, capture_on_commit)


def finished_from_the_list(customer, simulator, enqueued, capture_on_commit, *, order=None):
    """Send ``order`` (a new one-line purchase unless given) and let it finish upstream; the
    customer's list poll finds it and its row is recorded, as the workers would do it
    (``enqueued`` then holds what that recording handed to Celery)."""
    from .simulated import plain_products

    order = order or place_for(customer, plain_products(1), domain_prefix="fl")
    with capture_on_commit(execute=True):
        submission.order_submit(order.pk)
    simulator.advance(3600)  # finished upstream
    enqueued.clear()
    with capture_on_commit(execute=True):
        listing.customer_orders_poll(customer.pk)
    (rows,) = [rows for name, rows, _ in enqueued if name == "orders.record_finished_orders"]
    enqueued.clear()
    with capture_on_commit(execute=True):
        finishing.finished_orders_record(rows)
    order.refresh_from_db()
    return order

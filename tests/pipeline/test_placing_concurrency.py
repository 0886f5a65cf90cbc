"""Ten simultaneous Buy clicks with one idempotency key make one order (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection, transaction

from orders.models import Order
from orders.services import order_place
from tests.factories import CustomerFactory, ProductFactory, UserFactory
from tests.orders.helpers import order_request

from .conftest import require_real_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("key_found_unused", [False, True], ids=["looked-up", "wizard-placement"])
def test_ten_concurrent_identical_buys_make_one_order(key_found_unused):
    """``key_found_unused``: as the wizard's placement, each caller found no order a moment
    before and places inside its own transaction (the order, the cart and the draft)."""
    require_real_services()
    customer = CustomerFactory()
    buyer = UserFactory(reseller=customer.reseller)
    request = order_request(customer, [ProductFactory()])
    key = uuid.uuid4()
    barrier = threading.Barrier(10)
    results, errors = [], []

    def buy():
        try:
            barrier.wait()
            with transaction.atomic():
                order = order_place(
                    request=request,
                    reseller=customer.reseller,
                    placed_by=buyer,
                    idempotency_key=key,
                    ip_address=None,
                    channel="wizard",
                    key_found_unused=key_found_unused,
                )
            results.append(order.pk)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(results) == 10 and len(set(results)) == 1
    assert Order.objects.filter(idempotency_key=key).count() == 1
    assert Order.objects.get().events.count() == 1

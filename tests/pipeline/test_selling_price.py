"""The reseller's selling price goes upstream as the line's specialPrice (issue 24).

Placed with the product's own service, sent by a real Celery worker to the simulator over
HTTP; the marketplace's own record of the subscription (its unitPrice and unitCost) is
read back by the pipeline and must give the margin we recorded.
"""

from decimal import Decimal

import pytest

from orders.models import Subscription
from pricing.models import Level, Method, PriceBook, PriceRule, Rounding

from .conftest import place_order, wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


def test_the_order_carries_the_selling_price_and_the_margins_agree(
    upstream, simulator, start_worker
):
    reseller, customer, _ = upstream
    book = PriceBook.objects.create(
        reseller=reseller, method=Method.MARKUP, rate=Decimal("25"), rounding=Rounding.CHARM
    )
    PriceRule.objects.create(
        book=book,
        level=Level.CUSTOMER,
        customer=customer,
        method=Method.MARGIN,
        rate=Decimal("30"),
        rounding=Rounding.UP_CENT,
    )
    worker = start_worker()
    order = wait_for_status(place_order(upstream), "completed", workers=[worker])
    line = order.lines.select_related("product").get()
    product = line.product
    expected = (product.cost * 100 / Decimal(70)).quantize(
        Decimal("0.01"), rounding="ROUND_CEILING"
    )
    assert line.unit_price == expected != product.price
    assert line.unit_cost == product.cost
    assert "Customer" in line.price_source
    sent = order.exchanges.get(operation="create_order").request_body
    assert sent["products"][0]["specialPrice"] == {"amount": str(expected), "currency": "USD"}

    subscription = Subscription.objects.get(order=order)
    assert (subscription.unit_price, subscription.unit_cost) == (expected, product.cost)
    assert subscription.marketplace_unit_price == expected
    assert subscription.marketplace_unit_cost == product.cost
    ours = subscription.unit_price - subscription.unit_cost
    theirs = subscription.marketplace_unit_price - subscription.marketplace_unit_cost
    assert ours == theirs > 0

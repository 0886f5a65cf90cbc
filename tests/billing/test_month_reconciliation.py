"""A simulated month: 200 purchases, 50 seat changes, 20 cancellations, one of each scripted
fault. The reconciliation finds exactly the three faults and nothing else.

For the volume, the orders are placed on the simulator through its API (so its rated data comes
from its own orders), and the product's rows are written directly from the simulator's answers,
as recording each completion would; test_pipeline_bill.py drives a smaller month through the
product's own pipeline.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing.models import BillCheck, Mismatch
from billing.services import bill_check_poll, bill_check_start
from catalog.models import Product
from orders.models import Order, OrderLine, Subscription
from tests.factories import CustomerFactory
from tests.simulator.conftest import Api, sales_body

DAY = 86400
PURCHASES, CHANGES, CANCELLATIONS = 200, 50, 20


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class Month:
    """Orders placed on the simulator, and the product's rows recording them."""

    def __init__(self, simulator, customer):
        self.api = Api(simulator.app).login()
        self.simulator, self.customer = simulator, customer
        self.products = {p.upstream_id: p for p in Product.objects.all()}
        self.subscriptions: list[Subscription] = []

    def advance(self, seconds):
        self.api.advance(seconds)

    def placed(self, body) -> dict:
        response = self.api.post("/orders", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def finished(self, placed: list[dict]) -> list[dict]:
        self.advance(60)
        orders = [self.api.get(f"/orders/{order['id']}").json() for order in placed]
        assert {order["status"] for order in orders} == {"completed"}
        return orders

    def record(self, upstream: dict, *, kind, subscription=None, quantity=None) -> Order:
        order = Order.objects.create(
            reference=f"NCE-M{upstream['id']}",
            idempotency_key=f"00000000-0000-4000-8000-{int(upstream['id']):012d}",
            reseller=self.customer.reseller,
            customer=self.customer,
            kind=kind,
            status=Order.Status.COMPLETED,
            subscription=subscription,
            upstream_order_id=upstream["id"],
            upstream_order_number=upstream["orderNumber"],
            completed_at=moment(upstream["provisioningDate"]),
        )
        return order

    def purchase(self, count):
        placed = []
        for n in range(count):
            billing = ("year", 1) if n % 4 == 0 else ("month", 1)
            body = sales_body(
                customer=self.customer.upstream_customer_id,
                domain=f"month{n}.onmicrosoft.com",
                quantity=3 + n % 5,
                billing=billing,
                po_number=f"PO-{n}",
            )
            placed.append(self.placed(body))
        for upstream in self.finished(placed):
            line = upstream["products"][0]
            product = self.products[line["id"]]
            detail = self.api.get(f"/subscriptions/{line['subscriptionId']}").json()
            order = self.record(upstream, kind=Order.Kind.SALES)
            subscription = Subscription.objects.create(
                customer=self.customer,
                order=order,
                product=product,
                upstream_id=line["subscriptionId"],
                status="active",
                seats=line["quantity"],
                created_at=moment(upstream["creationDate"]),
                cancellation_window_ends_at=moment(upstream["creationDate"]) + timedelta(days=7),
                unit_cost=product.cost,
                unit_price=product.price,
                currency="USD",
            )
            assert Decimal(detail["products"][0]["unitCost"]["amount"]) == product.cost
            self._line(order, product, line["quantity"], subscription)
            self.subscriptions.append(subscription)

    def _line(self, order, product, quantity, subscription):
        OrderLine.for_product(order, product, quantity, subscription=subscription).save()

    def change(self, subscriptions, delta):
        placed = []
        for subscription in subscriptions:
            line = {
                "subscriptionId": subscription.upstream_id,
                "mpn": subscription.product.mpn,
                "quantity": subscription.seats + delta,
            }
            body = {"customerId": self.customer.upstream_customer_id, "type": "change"}
            placed.append(self.placed({**body, "products": [line]}))
        for subscription, upstream in zip(subscriptions, self.finished(placed), strict=True):
            subscription.seats += delta
            subscription.save(update_fields=["seats"])
            order = self.record(upstream, kind=Order.Kind.CHANGE, subscription=subscription)
            self._line(order, subscription.product, subscription.seats, subscription)

    def cancel(self, subscriptions):
        placed = [
            self.placed(
                {
                    "customerId": self.customer.upstream_customer_id,
                    "type": "cancellation",
                    "subscriptionId": subscription.upstream_id,
                }
            )
            for subscription in subscriptions
        ]
        for subscription, upstream in zip(subscriptions, self.finished(placed), strict=True):
            order = self.record(upstream, kind=Order.Kind.CANCELLATION, subscription=subscription)
            self._line(order, subscription.product, subscription.seats, subscription)
            subscription.status = "terminated"
            subscription.save(update_fields=["status"])

    def fault(self, **rule):
        response = self.simulator.control.post("/_simulator/report-faults", json=rule)
        assert response.status_code == 201, response.text

    def today(self) -> date:
        return moment(self.simulator.control.get("/_simulator/clock").json()["now"]).date()


@pytest.fixture
def month(simulator, upstream_reseller, db):
    customer = CustomerFactory(reseller=upstream_reseller, upstream_customer_id="1000101")
    month = Month(simulator, customer)
    month.purchase(PURCHASES)
    subscriptions = month.subscriptions
    month.advance(2 * DAY)
    month.change(subscriptions[:25], +2)
    month.change(subscriptions[25:CHANGES], -1)
    month.advance(DAY)
    month.cancel(subscriptions[100 : 100 + CANCELLATIONS])
    return month


def test_a_month_with_one_of_each_fault_finds_exactly_the_faults(month, upstream_reseller):
    subscriptions = month.subscriptions
    twice, no_refund, repriced = subscriptions[150], subscriptions[100], subscriptions[160]
    month.fault(kind="duplicate", subscriptionId=twice.upstream_id)
    month.fault(kind="drop_refund", subscriptionId=no_refund.upstream_id)
    month.fault(kind="price", subscriptionId=repriced.upstream_id, unitCost="123.45")
    today = month.today()
    check = BillCheck.objects.create(
        reseller=upstream_reseller, period_start=today - timedelta(days=10), period_end=today
    )
    bill_check_start(check=check)
    month.advance(30)
    check = bill_check_poll(check=check)

    assert check.status == BillCheck.Status.RECONCILED, check.failure_message
    found = sorted(
        (m.kind, m.subscription_upstream_id, m.charge_type) for m in check.mismatches.all()
    )
    assert found == sorted(
        [
            (Mismatch.Kind.NOT_ORDERED, twice.upstream_id, "purchase"),
            (Mismatch.Kind.REFUND_MISSING, no_refund.upstream_id, "cancellationRefund"),
            (Mismatch.Kind.PRICE, repriced.upstream_id, "purchase"),
        ]
    )
    # every purchase, change and refund was read: one line more (billed twice), one fewer
    assert check.lines_read == PURCHASES + CHANGES + CANCELLATIONS
    assert check.lines_matched == PURCHASES + CHANGES + CANCELLATIONS - 2
    twice_found = check.mismatches.get(kind=Mismatch.Kind.NOT_ORDERED)
    assert twice_found.billed["note"] == "billed twice"

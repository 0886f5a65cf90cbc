"""The bill checked end to end: orders placed and completed through the product's pipeline
against the simulator, its rated-data report asked for, awaited, streamed and reconciled."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from billing import exports
from billing.charges import Charge, prorated
from billing.models import BillCheck, Mismatch
from billing.services import READING, bill_check_poll, bill_check_start
from billing.statements import statements_for
from customers.upstream import client_for
from orders.models import Subscription
from orders.services.changes import order_cancel, seat_change
from tests.factories import CustomerFactory
from tests.orders.helpers import complete_through_simulator, place_for
from tests.orders.simulated import plain_products

pytestmark = pytest.mark.django_db(transaction=False)


def english_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def german_money(amount: Decimal) -> str:
    """The digits as German groups them: 1.234,50."""
    return english_money(amount).replace(",", " ").replace(".", ",").replace(" ", ".")


def check_today(reseller, simulator):
    today = timezone.now().date()
    check = BillCheck.objects.create(reseller=reseller, period_start=today, period_end=today)
    check = bill_check_start(check=check)
    assert check.status == BillCheck.Status.GENERATING and check.report_id
    assert bill_check_poll(check=check).status == BillCheck.Status.GENERATING  # not ready yet
    simulator.advance(30)
    return bill_check_poll(check=check)


def test_a_report_another_worker_is_reading_is_left_to_it_until_its_claim_lapses(
    month, upstream_reseller, simulator
):
    today = timezone.now().date()
    check = BillCheck.objects.create(
        reseller=upstream_reseller, period_start=today, period_end=today
    )
    bill_check_start(check=check)
    simulator.advance(30)
    reading = {"report_status": READING, "next_poll_at": timezone.now() + timedelta(minutes=5)}
    BillCheck.objects.filter(pk=check.pk).update(**reading)
    assert bill_check_poll(check=BillCheck.objects.get(pk=check.pk)).status == "generating"
    lapsed = {"next_poll_at": timezone.now() - timedelta(seconds=1)}
    BillCheck.objects.filter(pk=check.pk).update(**lapsed)  # that worker died
    check = bill_check_poll(check=BillCheck.objects.get(pk=check.pk))
    assert check.status == BillCheck.Status.RECONCILED and check.lines_read == 6


@pytest.fixture
def month(upstream_reseller, simulator, django_capture_on_commit_callbacks):
    """Three purchases; seats added to the first, removed from the second; the third cancelled."""
    product = plain_products(1)[0]
    customers = [
        CustomerFactory(reseller=upstream_reseller, upstream_customer_id=upstream_id)
        for upstream_id in ("1000101", "1000102", "1000103")
    ]
    complete = lambda order: complete_through_simulator(  # noqa: E731
        order, simulator, django_capture_on_commit_callbacks
    )
    orders = [complete(place_for(customer, [product])) for customer in customers]
    first, second, third = (order.subscriptions.get() for order in orders)
    buyer = None
    complete(seat_change(subscription=first, new_total=first.seats + 2, user=buyer))
    complete(seat_change(subscription=second, new_total=second.seats - 1, user=buyer))
    (cancellation,) = order_cancel(order=orders[2], user=buyer)
    complete(cancellation)
    return first, second, third


def test_a_month_as_ordered_reconciles_with_nothing_to_explain(month, upstream_reseller, simulator):
    check = check_today(upstream_reseller, simulator)
    assert check.status == BillCheck.Status.RECONCILED, check.failure_message
    assert [(m.kind, m.billed, m.expected) for m in check.mismatches.all()] == []
    # three purchases, one addition, one reduction, one refund
    assert (check.lines_read, check.lines_matched) == (6, 6)
    assert check.billed_total == check.expected_total != Decimal(0)


def test_a_dropped_refund_and_a_changed_price_are_found_with_both_sides(
    month, upstream_reseller, simulator
):
    first, _, third = month
    for fault in (
        {"kind": "drop_refund", "subscriptionId": third.upstream_id},
        {
            "kind": "price",
            "subscriptionId": first.upstream_id,
            "chargeType": "purchase",
            "unitCost": "1.00",
        },
    ):
        assert simulator.control.post("/_simulator/report-faults", json=fault).status_code == 201
    check = check_today(upstream_reseller, simulator)
    found = {(m.kind, m.subscription_upstream_id): m for m in check.mismatches.all()}
    assert set(found) == {
        (Mismatch.Kind.REFUND_MISSING, third.upstream_id),
        (Mismatch.Kind.PRICE, first.upstream_id),
    }
    price = found[(Mismatch.Kind.PRICE, first.upstream_id)]
    assert price.billed["unit_cost"] == "1.00"
    assert Decimal(price.expected["unit_cost"]) == first.unit_cost
    refund = found[(Mismatch.Kind.REFUND_MISSING, third.upstream_id)]
    assert refund.billed is None and Decimal(refund.expected["amount"]) < 0
    assert refund.subscription == third and refund.customer == third.customer


def report_lines(reseller, simulator):
    """The simulator's rated data of today, downloaded as the product downloads it."""
    today = timezone.now().date()
    with client_for(reseller) as client:
        report = client.schedule_report(name="Totals", start=today, end=today)
        simulator.advance(30)
        report = client.get_report(report_id=report.id)
        with client.report_lines(report=report) as lines:
            return [Charge.from_report(row) for row in csv.DictReader(lines)]


def test_statements_in_csv_xlsx_and_pdf_add_up_to_the_report_to_the_cent(
    month, upstream_reseller, simulator
):
    report = report_lines(upstream_reseller, simulator)
    today = timezone.now().date()
    statements = list(statements_for(reseller=upstream_reseller, start=today, end=today))
    assert len(statements) == 3
    for statement in statements:
        subscriptions = {
            s.upstream_id: s for s in Subscription.objects.filter(customer=statement.customer)
        }
        billed = [line for line in report if line.subscription in subscriptions]
        # the report's lines for this customer, each at the customer's selling price
        expected = sum(
            prorated(
                subscriptions[line.subscription].unit_price,
                line.quantity,
                line.charged_days,
                line.period_days,
                negative=line.amount < 0,
            )
            for line in billed
        )
        assert len(statement.lines) == len(billed)
        assert statement.totals == {"USD": expected}

        text = exports.statement_csv(statement)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sum(Decimal(r["amount"]) for r in rows[:-1]) == expected
        assert rows[-1]["amount"] == str(expected)

        sheet = load_workbook(io.BytesIO(exports.statement_xlsx(statement))).active
        values = list(sheet.iter_rows(min_row=2, values_only=True))
        amount = exports.COLUMNS.index("amount")
        cells = [Decimal(str(row[amount])).quantize(Decimal("0.01")) for row in values]
        assert sum(cells[:-1]) == cells[-1] == expected

        pdf = PdfReader(io.BytesIO(exports.statement_pdf(statement)))
        words = "\n".join(page.extract_text() for page in pdf.pages)
        assert f"Total: {english_money(expected)} USD" in words
        with translation.override("de"):
            pdf = PdfReader(io.BytesIO(exports.statement_pdf(statement)))
        german = "\n".join(page.extract_text() for page in pdf.pages)
        assert f"Summe: {german_money(expected)} USD" in german

        # what the customer is billed carries its selling price, never our cost
        for subscription in subscriptions.values():
            assert subscription.unit_cost != subscription.unit_price
            assert str(subscription.unit_cost) not in text + words
            assert str(subscription.unit_price) in text

    export = "".join(
        exports.all_customers_csv(
            statements_for(reseller=upstream_reseller, start=today, end=today)
        )
    )
    rows = list(csv.DictReader(io.StringIO(export)))
    assert list(rows[0]) == list(exports.COLUMNS)
    assert sum(Decimal(r["amount"]) for r in rows) == sum(s.totals["USD"] for s in statements)

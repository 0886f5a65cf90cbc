"""Rated data after plan switches, for co-termed purchases and for subscriptions bought elsewhere:
what each line charges, from the simulator's own orders (docs/upstream.md "Reports")."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from simulator.coterming import first_period

from .test_changes import buy
from .test_coterming import POWER_BI, add_on, subscription_of
from .test_plan_switches import STANDARD, switch_order, target
from .test_reports import completed, download, schedule

DAY = 86400
CENT = Decimal("0.01")


def lines_of(api, subscription_id=None):
    lines = download(api, completed(api, schedule(api, format="json")))
    return [line for line in lines if subscription_id in (None, line["subscriptionId"])]


def cost(subscription):
    return Decimal(subscription["products"][0]["unitCost"]["amount"])


def share(unit, seats, days, period):
    return (unit * seats * days / period).quantize(CENT, ROUND_HALF_UP)


def test_an_upgrade_refunds_the_old_plans_days_left_and_charges_the_new_plans(api):
    basic = buy(api, quantity=5)  # Business Basic, a year billed monthly: 30-day periods
    api.advance(DAY * 10)
    switch = target(api, basic, mpn=STANDARD)
    assert switch_order(api, basic, switch["planId"]).status_code == 201
    api.advance(DAY * 25)  # past the next billing date: recurring at the new plan
    standard = api.get(f"/subscriptions/{basic['id']}").json()
    lines = lines_of(api, basic["id"])
    assert [(x["chargeType"], x["mpn"], x["quantity"], x["chargedDays"]) for x in lines] == [
        ("purchase", basic["products"][0]["mpn"], 5, 30),
        ("switchRefund", basic["products"][0]["mpn"], 5, 20),
        ("switchCharge", STANDARD, 5, 20),
        ("recurring", STANDARD, 5, 30),
    ]
    assert Decimal(lines[1]["amount"]) == -share(cost(basic), 5, 20, 30)
    assert Decimal(lines[2]["amount"]) == share(cost(standard), 5, 20, 30)
    assert lines[1]["orderNumber"] == lines[2]["orderNumber"] != ""
    assert (
        lines[3]["chargeDate"]
        == (date.fromisoformat(basic["creationDate"]) + timedelta(30)).isoformat()
    )


def test_an_upgrades_estimate_counts_the_days_its_bill_charges(api):
    """Mid-period of a year billed monthly: the days left of this billing period (20), not of
    the term, as the switchRefund and switchCharge lines count them."""
    basic = buy(api, quantity=5)
    api.advance(DAY * 10)
    switch = target(api, basic, mpn=STANDARD)
    estimate = switch_order(api, basic, switch["planId"], path="/orders/estimate")
    assert estimate.status_code == 200, estimate.text
    assert switch_order(api, basic, switch["planId"]).status_code == 201
    api.advance(DAY)
    refund, charge = [x for x in lines_of(api, basic["id"]) if x["chargeType"].startswith("switch")]
    assert refund["chargedDays"] == charge["chargedDays"] == 20

    old = Decimal(basic["products"][0]["unitPrice"]["amount"])
    (detail,) = estimate.json()["details"]
    new = Decimal(detail["unitPrice"]["amount"])
    assert Decimal(estimate.json()["total"]["amount"]) == share(new - old, 5, 20, 30)


def test_a_partial_upgrade_charges_the_moved_seats_on_the_new_subscription(api):
    basic = buy(api, quantity=5)
    api.advance(DAY * 10)
    switch = target(api, basic, mpn=STANDARD)
    order = switch_order(api, basic, switch["planId"], quantity=2).json()
    api.advance(DAY * 25)
    order = api.get(f"/orders/{order['id']}").json()
    moved_id = order["products"][0]["targetSubscriptionId"]
    moved = api.get(f"/subscriptions/{moved_id}").json()
    source = [(x["chargeType"], x["quantity"]) for x in lines_of(api, basic["id"])]
    assert source == [("purchase", 5), ("switchRefund", 2), ("recurring", 3)]
    new = lines_of(api, moved_id)
    assert [(x["chargeType"], x["mpn"], x["quantity"], x["chargedDays"]) for x in new] == [
        ("switchCharge", STANDARD, 2, 20),
        ("recurring", STANDARD, 2, 30),
    ]
    assert Decimal(new[0]["amount"]) == share(cost(moved), 2, 20, 30)
    # the new subscription is billed on its parent's dates
    parent_recurring = [x for x in lines_of(api, basic["id"]) if x["chargeType"] == "recurring"]
    assert new[1]["chargeDate"] == parent_recurring[0]["chargeDate"]


def test_a_longer_term_refunds_the_days_left_and_starts_a_new_period_that_day(api):
    monthly = buy(api, quantity=4, term=("month", 1))
    api.advance(DAY * 12)
    year = target(
        api, monthly, term={"type": "year", "duration": 1}, billing={"type": "year", "duration": 1}
    )
    assert year["billingPolicy"] == "prorate_starting_new_subscription_period"
    response = switch_order(api, monthly, year["planId"], kind="CHANGE_PLAN_PERIOD")
    assert response.status_code == 201, response.text
    api.advance(DAY * 40)
    annual = api.get(f"/subscriptions/{monthly['id']}").json()
    lines = lines_of(api, monthly["id"])
    assert [(x["chargeType"], x["chargedDays"], x["periodDays"]) for x in lines] == [
        ("purchase", 30, 30),
        ("switchRefund", 18, 30),
        ("switchCharge", 365, 365),  # nothing more: the next billing date is a year on
    ]
    assert Decimal(lines[2]["amount"]) == share(cost(annual), 4, 365, 365)
    assert lines[2]["chargeDate"] == lines[1]["chargeDate"]


def test_a_billing_change_charges_nothing_until_the_next_billing_date_then_the_new_period(api):
    basic = buy(api, quantity=3)  # a year billed monthly
    api.advance(DAY * 5)
    annual = target(
        api, basic, term={"type": "year", "duration": 1}, billing={"type": "year", "duration": 1}
    )
    assert (annual["billingPolicy"], annual["whenEffective"]) == (
        "period_change",
        "next_billing_period",
    )
    response = switch_order(api, basic, annual["planId"], kind="CHANGE_PLAN_PERIOD")
    assert response.status_code == 201, response.text
    api.advance(DAY * 70)
    after = api.get(f"/subscriptions/{basic['id']}").json()
    lines = lines_of(api, basic["id"])
    assert [(x["chargeType"], x["periodDays"]) for x in lines] == [
        ("purchase", 30),
        ("recurring", 365),  # the next billing date, 30 days on: a year at the annual price
    ]
    assert Decimal(lines[1]["amount"]) == share(cost(after), 3, 365, 365)


def test_a_co_termed_purchase_charges_its_share_up_to_the_first_billing_date(api):
    buy(api, quantity=3)
    response = add_on(api, POWER_BI, {"alignmentType": "MATCH_END_OF_CALENDAR_MONTH"})
    assert response.status_code == 201, response.text
    order = response.json()
    power_bi = subscription_of(api, order)
    created = date.fromisoformat(power_bi["creationDate"])
    first, period = first_period(created, date.fromisoformat(power_bi["renewalDate"]), 1)
    days = (first - created).days
    unit_price = Decimal(power_bi["products"][0]["unitPrice"]["amount"])
    assert Decimal(order["total"]["amount"]) == share(unit_price, 2, days, period)
    (purchase,) = lines_of(api, power_bi["id"])
    assert (purchase["chargedDays"], purchase["periodDays"]) == (days, period)
    assert Decimal(purchase["amount"]) == share(cost(power_bi), 2, days, period)


def test_subscriptions_bought_elsewhere_are_rated_at_each_billing_period_start(api):
    response = api.control.post(
        "/estate", json={"resellerId": "1000001", "customers": 2, "subscriptions": 6}
    )
    assert response.status_code == 201, response.text
    ids = response.json()["subscriptionIds"]
    lines = lines_of(api)
    for subscription_id in ids:
        detail = api.get(f"/subscriptions/{subscription_id}").json()
        own = [x for x in lines if x["subscriptionId"] == subscription_id]
        created = date.fromisoformat(detail["creationDate"])
        period = {"month": 30, "year": 365}[detail["billingPeriod"]["type"]] * detail[
            "billingPeriod"
        ]["duration"]
        assert own[0]["chargeType"] == "purchase" and own[0]["chargeDate"] == str(created)
        assert {x["chargeType"] for x in own[1:]} <= {"recurring"}
        assert [x["chargeDate"] for x in own[1:]] == [
            str(created + timedelta(days=period * k)) for k in range(1, len(own))
        ]
        assert all(x["quantity"] == detail["products"][0]["quantity"] for x in own)
        assert all(x["orderNumber"] == "" and Decimal(x["unitCost"]) == cost(detail) for x in own)

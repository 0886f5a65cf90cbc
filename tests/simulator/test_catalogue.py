"""The Microsoft NCE catalogue the simulator serves."""

import re
from decimal import Decimal

import pytest

from simulator.catalogue import AMBIGUOUS_MPN, HYBRID_BENEFIT_ATTESTATION

LEGAL_PAIRS = {
    (("month", 1), ("month", 1)),
    (("year", 1), ("month", 1)),
    (("year", 1), ("year", 1)),
    (("year", 3), ("month", 1)),
    (("year", 3), ("year", 1)),
    (("year", 3), ("year", 3)),
}


@pytest.fixture
def products(api):
    return api.get("/products", params={"limit": 500}).json()["data"]


def period(value):
    return value["type"], value["duration"]


def test_at_least_40_products_across_four_segments(products):
    assert len(products) >= 40
    assert {p["serviceName"] for p in products} == {
        "Microsoft NCE Commercial",
        "Microsoft NCE Education",
        "Microsoft NCE Nonprofit",
        "Microsoft NCE Government",
    }


@pytest.mark.parametrize(
    "name",
    [
        "Microsoft 365 Business Basic",
        "Microsoft 365 Business Standard",
        "Microsoft 365 Business Premium",
        "Microsoft 365 E3",
        "Microsoft 365 E5",
        "Microsoft 365 F3",
        "Exchange Online (Plan 1)",
        "Exchange Online (Plan 2)",
        "Microsoft Teams Essentials",
        "Microsoft Teams Enterprise",
        "Microsoft 365 Copilot",
        "Office 365 E1",
        "Office 365 E3",
        "Microsoft Defender for Business",
        "Microsoft Entra ID P1",
        "Microsoft Entra ID P2",
        "Microsoft Intune Plan 1",
        "Visio Plan 2",
        "Project Plan 3",
        "Power BI Pro",
        "Microsoft 365 A1",
        "Microsoft 365 A3",
        "Microsoft 365 A5",
        "Microsoft 365 Business Basic for nonprofits",
        "Microsoft 365 Business Premium for nonprofits",
        "Office 365 G3",
        "Office 365 G5",
        "Windows 365 Business",
    ],
)
def test_the_usual_offers_are_there(products, name):
    assert any(p["name"].startswith(name) for p in products)


def test_rows_are_well_formed(products):
    for product in products:
        assert re.fullmatch(r"CFQ7TTC0[0-9A-Z]{4}:\d{4}", product["mpn"])
        pair = (period(product["subscriptionPeriod"]), period(product["billingPeriod"]))
        assert pair in LEGAL_PAIRS
        assert re.search(r"\(NCE (COM|EDU|NPO|GOV) (MTH|ANN|3YR)\)$", product["name"])
        price = Decimal(product["prices"][0]["amount"])
        cost = Decimal(product["costs"][0]["amount"])
        assert 0 < cost < price
        assert isinstance(product["prices"][0]["amount"], str)
        assert int(product["minimumQuantity"]) <= int(product["maximumQuantity"])
        assert isinstance(product["minimumQuantity"], str)


def test_each_term_and_billing_pair_is_its_own_row(products):
    basic = [p for p in products if p["mpn"] == "CFQ7TTC0LH18:0001"]
    pairs = {(period(p["subscriptionPeriod"]), period(p["billingPeriod"])) for p in basic}
    assert pairs == LEGAL_PAIRS
    assert len({p["id"] for p in basic}) == len(basic)


def test_monthly_term_costs_more_and_annual_billing_is_twelve_months(products):
    rows = {
        (period(p["subscriptionPeriod"]), period(p["billingPeriod"])): Decimal(
            p["prices"][0]["amount"]
        )
        for p in products
        if p["mpn"] == "CFQ7TTC0LDPB:0001"
    }
    monthly_on_annual = rows[(("year", 1), ("month", 1))]
    assert rows[(("month", 1), ("month", 1))] > monthly_on_annual
    assert rows[(("year", 1), ("year", 1))] == monthly_on_annual * 12


def test_one_mpn_is_sold_by_two_vendors(products):
    vendors = {p["vendor"] for p in products if p["mpn"] == AMBIGUOUS_MPN}
    assert len(vendors) == 2


def test_offer_attestation_is_flagged_in_attributes(products):
    flagged = [p for p in products if p["attributes"]["offerAttestationRequired"] == "true"]
    assert flagged and all("Hybrid Benefit" in p["name"] for p in flagged)
    assert {p["attributes"]["offerAttestationText"] for p in flagged} == {
        HYBRID_BENEFIT_ATTESTATION
    }


def test_filters(api):
    by_mpn = api.get("/products", params={"mpn": "CFQ7TTC0LH16:0001", "limit": 50}).json()
    assert by_mpn["pagination"]["total"] == 3
    by_name = api.get("/products", params={"name": "copilot", "limit": 50}).json()["data"]
    assert by_name and all("Copilot" in p["name"] for p in by_name)
    education = api.get(
        "/products", params={"serviceName": "Microsoft NCE Education", "limit": 50}
    ).json()["data"]
    assert education and all("(NCE EDU" in p["name"] for p in education)
    second_vendor = api.get("/products", params={"vendor": "Microsoft CSP"}).json()["data"]
    assert {p["mpn"] for p in second_vendor} == {AMBIGUOUS_MPN}

"""POST /validation/parameters: one verdict per parameter, with Microsoft's texts."""

import pytest

from . import upstream_texts as texts
from .conftest import CUSTOMER

PROBE = {
    "mpn": "CFQ7TTC0LH18:0001",
    "vendor": "Microsoft",
    "subscriptionPeriod": {"type": "year", "duration": 1},
    "billingPeriod": {"type": "month", "duration": 1},
    "quantity": 1,
}


def verdicts(api, *parameters, mpn=None, customer=CUSTOMER, order_type="sales"):
    line = dict(PROBE, parameters=[{"name": n, "value": v} for n, v in parameters])
    if mpn:
        line["mpn"] = mpn
    response = api.post(
        "/validation/parameters",
        json={"customerId": customer, "type": order_type, "products": [line]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"][0]["mpn"] == line["mpn"]
    return {p["name"]: p for p in body["data"][0]["parameters"]}


@pytest.mark.parametrize(
    "mpn_id, message",
    [
        ("1234567", None),
        ("7654321", None),
        ("9999999", texts.MPN_NOT_FOUND),
        ("5555555", texts.MPN_NOT_FOUND),
        ("2222222", texts.MPN_NOT_INDIRECT_RESELLER),
        ("3333333", texts.MPA_NOT_ACCEPTED),
        ("12AB567", "MPN Id must be numeric."),
    ],
)
def test_mpn_ids(api, mpn_id, message):
    result = verdicts(api, ("tier1_mpn", mpn_id))["tier1_mpn"]
    assert result["result"] == ("success" if message is None else "error")
    assert result["value"] == mpn_id
    if message:
        assert result["message"] == message


@pytest.mark.parametrize(
    "mpn_id, domain, ok",
    [
        ("1234567", "northwindit.onmicrosoft.com", True),
        ("1234567", "5f0c3a0e-6a43-4b8e-9a57-3f4b2f0d1c11", True),
        ("1234567", "fabrikampartners.onmicrosoft.com", False),
        ("1234567", "unknownreseller.onmicrosoft.com", False),
        ("7654321", "fabrikampartners.onmicrosoft.com", True),
    ],
)
def test_tier_configuration_pairs(api, mpn_id, domain, ok):
    result = verdicts(api, ("tier1_mpn", mpn_id), ("indirect_reseller_domain", domain))
    assert (result["indirect_reseller_domain"]["result"] == "success") is ok
    assert result["tier1_mpn"]["result"] == "success"


def test_available_domain(api):
    result = verdicts(
        api, ("tenant_preference", "new"), ("microsoft_domain", "brandnew42.onmicrosoft.com")
    )["microsoft_domain"]
    assert result == {
        "name": "microsoft_domain",
        "value": "brandnew42.onmicrosoft.com",
        "result": "success",
        "message": "Domain available to purchase.",
    }


def test_taken_domain_offers_free_alternatives(api):
    result = verdicts(
        api, ("tenant_preference", "new"), ("microsoft_domain", "contoso.onmicrosoft.com")
    )["microsoft_domain"]
    assert result["result"] == "error"
    assert result["message"] == "Domain contoso.onmicrosoft.com is not available to purchase."
    assert [c["value"] for c in result["valueChoices"]] == [
        "contoso1.onmicrosoft.com",
        "contoso2.onmicrosoft.com",
        "contoso3.onmicrosoft.com",
    ]


@pytest.mark.parametrize(
    "domain, fragment",
    [
        ("contoso.com", ".onmicrosoft.com"),
        ("con-toso.onmicrosoft.com", "Latin letters and numbers"),
        ("a" * 28 + ".onmicrosoft.com", "at most 27"),
        ("woodgrovebank.onmicrosoft.com", "not available"),
    ],
)
def test_new_domain_problems(api, domain, fragment):
    result = verdicts(api, ("tenant_preference", "new"), ("microsoft_domain", domain))
    assert result["microsoft_domain"]["result"] == "error"
    assert fragment in result["microsoft_domain"]["message"]


def test_domain_of_a_placed_order_is_taken(api):
    api.place(domain="freshtenant.onmicrosoft.com")
    result = verdicts(api, ("microsoft_domain", "freshtenant.onmicrosoft.com"))
    assert result["microsoft_domain"]["result"] == "error"


@pytest.mark.parametrize(
    "domain, tenant_ok, mca_ok",
    [
        ("woodgrovebank.onmicrosoft.com", True, True),
        ("tailspintoys.onmicrosoft.com", True, False),
        ("litware.onmicrosoft.com", False, True),
        ("wingtiptoys.onmicrosoft.com", False, False),
    ],
)
def test_existing_tenants_relationship_and_mca(api, domain, tenant_ok, mca_ok):
    result = verdicts(
        api,
        ("tenant_preference", "existing"),
        ("microsoft_domain", domain),
        ("mca_acceptance", None),
    )
    assert (result["microsoft_domain"]["result"] == "success") is tenant_ok
    if not tenant_ok:
        assert (
            "has no commerce relationship with the customer id"
            in result["microsoft_domain"]["message"]
        )
        assert result["microsoft_domain"]["message"].startswith("The partner id 1234567 ")
    assert (result["mca_acceptance"]["result"] == "success") is mca_ok
    if not mca_ok:
        assert result["mca_acceptance"]["message"] == texts.MCA_MISSING


def test_existing_tenant_by_id_and_unknown_tenant(api):
    by_id = verdicts(
        api,
        ("tenant_preference", "existing"),
        ("microsoft_tenant_id", "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6"),
    )
    assert by_id["microsoft_tenant_id"]["result"] == "success"
    unknown = verdicts(
        api, ("tenant_preference", "existing"), ("microsoft_domain", "nobodyhere.onmicrosoft.com")
    )
    assert unknown["microsoft_domain"]["result"] == "error"
    assert (
        verdicts(api, ("microsoft_tenant_id", "not-a-guid"))["microsoft_tenant_id"]["result"]
        == "error"
    )


def test_value_choices(api):
    result = verdicts(
        api,
        ("tenant_preference", "new"),
        ("special_qualifications", "None"),
        ("mca_acceptance", "yes"),
    )
    assert [c["value"] for c in result["tenant_preference"]["valueChoices"]] == ["new", "existing"]
    assert [c["value"] for c in result["special_qualifications"]["valueChoices"]] == ["None", "soe"]
    assert result["mca_acceptance"]["valueChoices"] == [
        {"label": "Yes", "value": "yes", "default": True}
    ]
    bad = verdicts(api, ("tenant_preference", "maybe"), ("special_qualifications", "gcc"))
    assert bad["tenant_preference"]["result"] == "error"
    assert bad["special_qualifications"]["result"] == "error"


@pytest.mark.parametrize(
    "name, value, ok",
    [
        ("agreement_date", "01-31-2022", True),
        ("agreement_date", "2022-01-31", False),
        ("agreement_date", "12-31-2999", False),
        ("first_name_agreement", "Jane", True),
        ("first_name_agreement", "J", False),
        ("email_address_agreement", "jane@contoso.example", True),
        ("email_address_agreement", "jane@microsoft.com", False),
    ],
)
def test_agreement_parameters(api, name, value, ok):
    assert (verdicts(api, (name, value))[name]["result"] == "success") is ok


def test_offer_attestation_is_asked_for_hybrid_benefit_offers(api):
    result = verdicts(api, ("tenant_preference", "new"), mpn="CFQ7TTC0J203:0001")
    attestation = result["offer_attestation"]
    assert attestation["result"] == "error"
    assert "Windows Hybrid Benefit" in attestation["message"]
    line = dict(
        PROBE,
        mpn="CFQ7TTC0J203:0001",
        parameters=[
            {"name": "offer_attestation", "structured_value": {"attestation_accepted": True}}
        ],
    )
    accepted = api.post(
        "/validation/parameters", json={"customerId": CUSTOMER, "products": [line]}
    ).json()
    assert accepted["data"][0]["parameters"][0]["result"] == "success"
    plain = verdicts(api, ("tenant_preference", "new"))
    assert "offer_attestation" not in plain


def test_unknown_parameters_are_echoed_as_success(api):
    assert verdicts(api, ("effective_city", "Seattle"))["effective_city"]["result"] == "success"


def test_customer_must_be_the_resellers(api, other_api):
    body = {"customerId": CUSTOMER, "products": [dict(PROBE, parameters=[])]}
    response = other_api.post("/validation/parameters", json=body)
    assert response.status_code == 400
    assert api.post("/validation/parameters", json={"customerId": CUSTOMER}).status_code == 400

"""The request builder: cleaned steps in, one OrderRequest out (a plain function)."""

from datetime import date

from orders.requests import AgreementAcceptance, LineRequest
from wizard.forms.cart import LineSnapshot
from wizard.request_builder import build_order_request


class FakeCustomer:
    """Only the primary key is read; a real row is not needed for a plain function."""

    pk = 42


def steps(**overrides):
    base = {
        "cart": {"lines": [LineSnapshot(7, 5, "12.50"), LineSnapshot(9, 1, "31.00")]},
        "customer": {"customer": FakeCustomer()},
        "tenant": {
            "tenant_preference": "new",
            "microsoft_domain": "fourthcoffee.onmicrosoft.com",
            "microsoft_tenant_id": "",
        },
        "attestation": {"partner_of_record": True, "offer_9": True},
        "agreement": {
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace@fourthcoffee.example",
            "accepted_on": date(2026, 1, 31),
        },
        "review": {"po_number": "PO-1", "terms": True},
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def test_a_new_tenant_order_with_agreement_and_offer_attestation():
    request = build_order_request(steps=steps())

    assert request.customer_id == 42
    assert request.lines == (
        LineRequest(7, 5, "12.50", offer_attestation_accepted=False),
        LineRequest(9, 1, "31.00", offer_attestation_accepted=True),
    )
    assert (request.tenant_preference, request.microsoft_domain) == (
        "new",
        "fourthcoffee.onmicrosoft.com",
    )
    assert request.partner_of_record_accepted and request.terms_accepted
    assert request.agreement == AgreementAcceptance(
        "Grace", "Hopper", "grace@fourthcoffee.example", date(2026, 1, 31)
    )
    assert (request.special_qualification, request.education_segment) == ("None", "")
    assert request.po_number == "PO-1"
    assert set(request.attestation_texts) == {"partner_of_record", "customer_agreement", "terms"}


def test_skipped_steps_mean_no_agreement_and_no_qualification():
    request = build_order_request(
        steps=steps(
            agreement=None,
            tenant={
                "tenant_preference": "existing",
                "microsoft_domain": "",
                "microsoft_tenant_id": "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6",
            },
        )
    )

    assert request.agreement is None
    assert request.microsoft_tenant_id == "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6"
    assert "customer_agreement" not in request.attestation_texts


def test_education_qualification_and_segment_are_carried():
    request = build_order_request(
        steps=steps(
            qualification={"special_qualification": "Education", "education_segment": "K12"}
        )
    )

    assert (request.special_qualification, request.education_segment) == ("Education", "K12")


def test_while_reviewing_nothing_is_accepted_yet():
    request = build_order_request(steps=steps(review=None, attestation=None))

    assert not request.terms_accepted and not request.partner_of_record_accepted
    assert request.po_number == ""

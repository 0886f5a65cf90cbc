"""The attestation evidence pack: what it holds, who may take it, and how a copy is checked."""

import json
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.digest import evidence_verify
from evidence.models import EvidenceExport
from orders.models import Attestation, Order
from orders.services import order_place
from tests.factories import CustomerFactory, ProductFactory, UserFactory
from tests.orders.helpers import order_request

pytestmark = pytest.mark.django_db

EXPORT = reverse("evidence:export")
VERIFY = reverse("evidence:verify")


def place(customer, buyer, products, *, ip="203.0.113.7"):
    return order_place(
        request=order_request(customer, products),
        reseller=customer.reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=ip,
        channel=Order.Channel.WIZARD,
    )


@pytest.fixture
def attested_product(db):
    return ProductFactory(
        price=Decimal("30.00"),
        offer_attestation_required=True,
        offer_attestation_text="Each user of Windows 365 with Hybrid Benefit has Windows Pro.",
    )


@pytest.fixture
def order(customer, reseller_user, attested_product):
    return place(customer, reseller_user, [attested_product])


def download(client, **params):
    return client.get(EXPORT, {"download": "1", **params})


def test_json_pack_holds_every_acceptance_of_the_order_word_for_word(
    client, reseller_user, order, attested_product
):
    client.force_login(reseller_user)
    response = download(client, order=order.reference, format="json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f"evidence-{order.reference}.json" in response["Content-Disposition"]
    document = json.loads(response.content)
    records = document["evidence"]["attestations"]
    stored = Attestation.objects.filter(order=order).order_by("accepted_at", "pk")
    assert [(r["kind"], r["text"]) for r in records] == [(a.kind, a.text) for a in stored]
    assert {r["kind"] for r in records} >= {"partner_of_record", "offer", "customer_agreement"}
    offer = next(r for r in records if r["kind"] == "offer")
    assert offer["text"] == attested_product.offer_attestation_text
    assert offer["product"]["mpn"] == attested_product.mpn
    assert offer["ip_address"] == "203.0.113.7"
    assert offer["accepted_by"]["username"] == reseller_user.get_username()
    assert offer["order"]["reference"] == order.reference
    agreement = next(r for r in records if r["kind"] == "customer_agreement")
    assert agreement["agreement"] == {
        "agreement_date": "01-31-2026",
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane.doe@contoso.example",
    }


def test_digest_verifies_and_a_changed_byte_fails(client, reseller_user, order):
    client.force_login(reseller_user)
    content = download(client, order=order.reference, format="json").content

    checked = evidence_verify(content)
    assert checked.intact
    assert checked.stated_digest == EvidenceExport.objects.get().evidence_digest

    tampered = content.replace(b"203.0.113.7", b"203.0.113.8", 1)
    assert tampered != content
    assert not evidence_verify(tampered).intact


def test_each_download_is_recorded_with_who_scope_and_digests(
    client, reseller_user, order, customer
):
    client.force_login(reseller_user)
    pdf = download(client, order=order.reference, format="pdf")
    download(client, order=order.reference, format="json")
    download(client, customer=customer.pk, format="json")

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    first, second, third = EvidenceExport.objects.order_by("pk")
    assert (first.requested_by, first.reseller, first.order, first.format) == (
        reseller_user,
        reseller_user.reseller,
        order,
        "pdf",
    )
    assert first.record_count == order.attestations.count()
    assert (third.customer, third.format) == (customer, "json")
    assert first.evidence_digest == second.evidence_digest  # the same records, two files
    assert first.file_digest != second.file_digest
    assert third.evidence_digest != second.evidence_digest  # its scope says "customer"


def test_the_pdf_copy_is_recognised_byte_for_byte_and_a_changed_one_is_not(
    client, reseller_user, order
):
    client.force_login(reseller_user)
    pdf = download(client, order=order.reference, format="pdf").content

    same = client.post(VERIFY, {"copy": SimpleUploadedFile("e.pdf", pdf)})
    assert "On record" in same.content.decode()
    changed = client.post(VERIFY, {"copy": SimpleUploadedFile("e.pdf", pdf[:-10] + b"0" * 10)})
    assert "Not recognised" in changed.content.decode()


def test_verify_page_says_changed_for_a_tampered_json_copy(client, reseller_user, order):
    client.force_login(reseller_user)
    content = download(client, order=order.reference, format="json").content
    tampered = content.replace(b"Jane", b"John", 1)

    page = client.post(VERIFY, {"copy": SimpleUploadedFile("e.json", tampered)}).content.decode()
    assert "Changed" in page
    assert (
        "Intact"
        in client.post(VERIFY, {"copy": SimpleUploadedFile("e.json", content)}).content.decode()
    )


def test_date_range_keeps_only_acceptances_inside_it(client, reseller_user, customer, order):
    client.force_login(reseller_user)
    day = order.attestations.first().accepted_at.date()

    inside = json.loads(download(client, accepted_from=day, accepted_to=day, format="json").content)
    before = json.loads(
        download(client, accepted_to=day.replace(year=day.year - 1), format="json").content
    )
    assert len(inside["evidence"]["attestations"]) == order.attestations.count()
    assert before["evidence"]["attestations"] == []


def test_a_reseller_never_gets_another_resellers_records(client, order, attested_product):
    stranger = UserFactory()
    their_order = place(CustomerFactory(reseller=stranger.reseller), stranger, [attested_product])
    client.force_login(stranger)

    refused = download(client, order=order.reference, format="json")
    assert refused.status_code == 400
    assert "No order with this number" in refused.content.decode()
    everything = json.loads(download(client, format="json").content)
    assert {r["order"]["reference"] for r in everything["evidence"]["attestations"]} == {
        their_order.reference
    }
    assert EvidenceExport.objects.filter(requested_by=stranger).count() == 1


def test_an_admin_exports_across_resellers(client, admin_user, order, attested_product):
    other = UserFactory()
    other_order = place(CustomerFactory(reseller=other.reseller), other, [attested_product])
    client.force_login(admin_user)

    document = json.loads(download(client, format="json").content)
    assert {r["order"]["reference"] for r in document["evidence"]["attestations"]} == {
        order.reference,
        other_order.reference,
    }
    assert EvidenceExport.objects.get().reseller is None


@pytest.mark.parametrize("who", ["support_user", "customer_user"])
def test_support_and_end_customers_cannot_export(client, request, who, customer, order):
    user = (
        request.getfixturevalue("support_user")
        if who == "support_user"
        else UserFactory(end_customer=True, customer=customer)
    )
    client.force_login(user)
    assert download(client, format="json").status_code == 403
    assert not EvidenceExport.objects.exists()


def test_a_backwards_range_is_refused_at_its_field(client, reseller_user):
    client.force_login(reseller_user)
    response = download(client, accepted_from="2026-05-02", accepted_to="2026-05-01", format="pdf")
    assert response.status_code == 400
    assert "The end of the range comes before its start." in response.content.decode()


def test_order_page_links_to_its_evidence(client, reseller_user, order):
    client.force_login(reseller_user)
    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    assert f"{EXPORT}?order={order.reference}" in page.content.decode()


def test_the_pdf_names_the_check_by_the_words_the_evidence_page_uses(
    client, reseller_user, order, monkeypatch
):
    from evidence import render

    lines = []
    line_of = render._EvidencePDF.line_of
    monkeypatch.setattr(
        render._EvidencePDF,
        "line_of",
        lambda pdf, text, **kwargs: lines.append(text) or line_of(pdf, text, **kwargs),
    )
    client.force_login(reseller_user)

    page = client.get(EXPORT).content.decode()
    download(client, order=order.reference, format="pdf")

    assert ">Check a copy</h2>" in page
    assert any('"Check a copy" on the Evidence page' in line for line in lines)
    assert not any("Verify page" in line for line in lines)

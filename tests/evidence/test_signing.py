"""Evidence packs are signed (Ed25519): an edited pack with a recomputed digest is not intact,
and anyone can verify a pack offline with the published public key alone."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import signing
from evidence.digest import evidence_digest, evidence_verify

from .test_export import EXPORT, VERIFY, attested_product, download, order  # noqa: F401

pytestmark = pytest.mark.django_db


def _recomputed(document: dict) -> bytes:
    """What a forger does: edit the records and write the digest anew."""
    document["digest"]["value"] = evidence_digest(document["evidence"])
    return json.dumps(document, indent=2).encode()


def test_an_edited_pack_with_a_recomputed_digest_is_changed(client, reseller_user, order):  # noqa: F811
    client.force_login(reseller_user)
    document = json.loads(download(client, order=order.reference, format="json").content)
    document["evidence"]["attestations"][0]["ip_address"] = "198.51.100.99"
    forged = _recomputed(document)

    checked = evidence_verify(forged)
    assert checked.digest_matches and not checked.signature_valid and not checked.intact
    page = client.post(VERIFY, {"copy": SimpleUploadedFile("e.json", forged)}).content.decode()
    assert "Changed" in page and "Intact" not in page


def test_a_pack_with_a_record_removed_is_changed(client, reseller_user, order):  # noqa: F811
    client.force_login(reseller_user)
    document = json.loads(download(client, order=order.reference, format="json").content)
    assert len(document["evidence"]["attestations"]) > 1
    document["evidence"]["attestations"].pop()
    page = client.post(
        VERIFY, {"copy": SimpleUploadedFile("e.json", _recomputed(document))}
    ).content.decode()
    assert "Changed" in page and "Intact" not in page


def test_a_forged_signature_block_is_changed(client, reseller_user, order):  # noqa: F811
    client.force_login(reseller_user)
    document = json.loads(download(client, order=order.reference, format="json").content)
    document["generated_by"] = "someone-else"
    assert not evidence_verify(json.dumps(document).encode()).intact
    del document["signature"]
    unsigned = evidence_verify(json.dumps(document).encode())
    assert not unsigned.signed and not unsigned.intact


def test_anyone_verifies_a_pack_offline_with_the_published_key(client, reseller_user, order):  # noqa: F811
    published = client.get("/.well-known/evidence-signing-key").json()  # anonymous
    assert published["algorithm"] == "Ed25519"
    client.force_login(reseller_user)
    document = json.loads(download(client, order=order.reference, format="json").content)

    # Only the public key and the standard library's JSON: what a third party would do.
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    signature = document.pop("signature")
    assert signature["key_id"] == published["key_id"]
    signed = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key.verify(base64.b64decode(signature["value"]), signed.encode())  # raises if not


def test_the_pdf_carries_the_public_key(client, reseller_user, order):  # noqa: F811
    """Printed on the first page and named in the PDF's keywords; only the keywords can be
    read back here (the page text is compressed glyph codes, and no PDF reader is installed)."""
    client.force_login(reseller_user)
    pdf = download(client, order=order.reference, format="pdf").content
    keywords = (
        f"evidence-signing-key {signing.key_id()} "
        + base64.b64encode(signing.public_key_raw()).decode()
    )
    assert keywords.encode() in pdf or keywords.encode("utf-16-be").hex().upper().encode() in pdf


def test_the_key_comes_from_the_environment_when_set(settings):
    derived = signing.key_id()
    settings.EVIDENCE_SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()
    assert signing.key_id() != derived
    assert signing.signature_valid(b"x", signing.sign(b"x"))
    assert reverse("evidence_signing_key") == "/.well-known/evidence-signing-key"

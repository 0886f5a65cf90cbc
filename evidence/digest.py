"""The digest and the signature that let anyone check a copy of an evidence pack.

The digest is SHA-256 over the pack's records written as canonical JSON (keys
sorted, no insignificant white space, UTF-8). It only says the records are
the ones it was computed from: anyone can recompute it after an edit. What
proves a pack is ours and unchanged is the **signature**: Ed25519, by the
server's key (``evidence.signing``), over the canonical JSON of the whole
document without its ``signature`` member (the records, the digest, who made
it and when). "Intact" means that signature verifies and the digest matches.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import signing

ALGORITHM = "sha256"


class NotAnEvidencePack(ValueError):
    """The file is not an evidence pack this product wrote."""


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def evidence_digest(records: dict) -> str:
    """Return the hex SHA-256 of ``records`` in canonical JSON."""
    return hashlib.sha256(canonical_json(records)).hexdigest()


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def signed_part(document: dict) -> bytes:
    """Return the bytes the signature covers: the document without ``signature``, canonical."""
    return canonical_json({key: value for key, value in document.items() if key != "signature"})


def document_sign(document: dict) -> dict:
    """Return ``document`` with its ``signature`` member."""
    return {
        **document,
        "signature": {
            "algorithm": signing.ALGORITHM,
            "key_id": signing.key_id(),
            "value": signing.sign(signed_part(document)),
        },
    }


@dataclass(frozen=True)
class Verification:
    stated_digest: str
    digest_matches: bool
    signed: bool  # the file carries a signature at all (packs made before signing do not)
    signature_valid: bool

    @property
    def intact(self) -> bool:
        """The server's signature verifies and the records match the digest."""
        return self.signature_valid and self.digest_matches


def evidence_verify(content: bytes) -> Verification:
    """Check a JSON evidence pack: its signature, and its records against its digest.

    Raise ``NotAnEvidencePack`` when ``content`` is not such a file at all.
    """
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise NotAnEvidencePack(_("The file is not JSON.")) from exc
    if not isinstance(document, dict):
        raise NotAnEvidencePack(_("The file is not an evidence pack."))
    stated = document.get("digest")
    records = document.get("evidence")
    if (
        not isinstance(stated, dict)
        or stated.get("algorithm") != ALGORITHM
        or not isinstance(stated.get("value"), str)
        or not isinstance(records, dict)
    ):
        raise NotAnEvidencePack(_("The file has no evidence records and digest."))
    signature = document.get("signature")
    signed = isinstance(signature, dict) and isinstance(signature.get("value"), str)
    return Verification(
        stated_digest=stated["value"],
        digest_matches=evidence_digest(records) == stated["value"],
        signed=signed,
        signature_valid=signed
        and signature.get("algorithm") == signing.ALGORITHM
        and signing.signature_valid(signed_part(document), signature["value"]),
    )

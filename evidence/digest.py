"""The digest that lets a later copy of an evidence pack be checked against the original.

The digest is SHA-256 over the pack's records written as canonical JSON (keys
sorted, no insignificant white space, UTF-8). The JSON file carries it beside
the records; the PDF prints it. Changing any byte of a record changes it.
"""

import hashlib
import json

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


def evidence_verify(content: bytes) -> tuple[str, bool]:
    """Check a JSON evidence pack: return its stated digest and whether its records match it.

    Raise ``NotAnEvidencePack`` when ``content`` is not such a file at all.
    """
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotAnEvidencePack("The file is not JSON.") from exc
    if not isinstance(document, dict):
        raise NotAnEvidencePack("The file is not an evidence pack.")
    stated = document.get("digest")
    records = document.get("evidence")
    if (
        not isinstance(stated, dict)
        or stated.get("algorithm") != ALGORITHM
        or not isinstance(stated.get("value"), str)
        or not isinstance(records, dict)
    ):
        raise NotAnEvidencePack("The file has no evidence records and digest.")
    return stated["value"], evidence_digest(records) == stated["value"]

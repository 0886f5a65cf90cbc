"""Write an evidence pack as a JSON file (the checkable original) or a PDF (to read and file)."""

import base64
import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from . import signing
from .digest import ALGORITHM, document_sign, evidence_digest

#: Used when it exists: it prints every character of the texts as shown.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: The scope's keys (``EvidenceScope.describe``) as the PDF's reader reads them.
SCOPE_WORDS = {
    "order": gettext_lazy("order"),
    "customer": gettext_lazy("customer"),
    "accepted_from": gettext_lazy("accepted from"),
    "accepted_to": gettext_lazy("accepted to"),
}


def evidence_document(records: dict, *, generated_at: str, generated_by: str) -> dict:
    """Return the JSON document: the records, their digest, who made it when, all signed."""
    return document_sign(
        {
            "generated_at": generated_at,
            "generated_by": generated_by,
            "evidence": records,
            "digest": {"algorithm": ALGORITHM, "value": evidence_digest(records)},
        }
    )


def evidence_json(document: dict) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def evidence_pdf(document: dict) -> bytes:
    """Return a PDF listing every record, with the digest of the records on each page."""
    pdf = _EvidencePDF(digest=document["digest"]["value"])
    pdf.set_title(_("Attestation evidence"))
    pdf.set_author(document["generated_by"])
    public_key = base64.b64encode(signing.public_key_raw()).decode()
    pdf.set_keywords(f"evidence-signing-key {document['signature']['key_id']} {public_key}")
    pdf.add_page()
    pdf.heading(_("Attestation and agreement evidence"))
    scope = document["evidence"]["scope"]
    pdf.line_of(
        _("Generated %(when)s by %(who)s.")
        % {"when": document["generated_at"], "who": document["generated_by"]}
    )
    pdf.line_of(
        _("Scope: %(scope)s")
        % {
            "scope": ", ".join(
                f"{SCOPE_WORDS.get(k, k.replace('_', ' '))} {v}" for k, v in scope.items() if v
            )
        }
    )
    signature = document["signature"]
    pdf.line_of(
        _(
            "SHA-256 of the records: %(digest)s. The JSON export of the same scope carries "
            "this digest and the server's signature: check it offline, or with "
            '"Check a copy" on the Evidence page.'
        )
        % {"digest": document["digest"]["value"]}
    )
    pdf.line_of(
        _(
            "Signed with %(algorithm)s key %(key)s, public key (base64, raw) %(public_key)s, "
            "also published at /.well-known/evidence-signing-key."
        )
        % {
            "algorithm": signature["algorithm"],
            "key": signature["key_id"],
            "public_key": public_key,
        },
        size=8,
    )
    records = document["evidence"]["attestations"]
    if not records:
        pdf.line_of(_("No attestation or agreement acceptance falls within this scope."))
    for number, record in enumerate(records, start=1):
        pdf.record(number, record)
    return bytes(pdf.output())


class _EvidencePDF(FPDF):
    def __init__(self, *, digest: str):
        super().__init__(format=getattr(settings, "EVIDENCE_PDF_PAGE", "A4"))
        self.digest = digest
        self.set_auto_page_break(auto=True, margin=18)
        if UNICODE_FONT.exists():
            self.add_font("body", fname=str(UNICODE_FONT))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.set_font(self.family, size=10)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, size=7)
        words = _("Records SHA-256 %(digest)s - page %(page)s") % {
            "digest": self.digest,
            "page": self.page_no(),
        }
        self.cell(0, 5, self.printable(words))

    def printable(self, text: str) -> str:
        if self.family == "body":
            return text
        # The built-in font knows Latin-1 only; the JSON file keeps the exact text.
        return text.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str):
        self.set_font(self.family, size=15)
        self.multi_cell(0, 8, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, size=10)

    def line_of(self, text: str, *, size: int = 10):
        self.set_font(self.family, size=size)
        self.multi_cell(0, 5, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def record(self, number: int, record: dict):
        self.ln(3)
        order = record["order"]
        self.heading(
            _("%(number)s. %(label)s - order %(reference)s")
            % {"number": number, "label": record["label"], "reference": order["reference"]}
        )
        person = record["accepted_by"]
        who = person["name"] or person["username"] or _("unknown")
        if person["email"]:
            who += f" <{person['email']}>"
        tenant = record["tenant"]["domain"] or record["tenant"]["id"] or _("no tenant yet")
        self.line_of(
            _("Accepted by %(who)s at %(when)s from %(address)s.")
            % {"who": who, "when": record["accepted_at"], "address": record["ip_address"]}
        )
        self.line_of(
            _(
                "Customer %(customer)s, tenant %(tenant)s; reseller %(reseller)s; "
                "order placed %(placed_at)s."
            )
            % {
                "customer": record["customer"]["company_name"],
                "tenant": tenant,
                "reseller": order["reseller"],
                "placed_at": order["placed_at"],
            }
        )
        if record.get("product"):
            self.line_of(
                _("Product %(name)s (%(mpn)s).")
                % {"name": record["product"]["name"], "mpn": record["product"]["mpn"]}
            )
        agreement = record.get("agreement")
        if agreement:
            self.line_of(
                _(
                    "Agreement sent upstream: accepted on %(date)s by %(first)s %(last)s "
                    "<%(email)s>."
                )
                % {
                    "date": agreement.get("agreement_date", "?"),
                    "first": agreement.get("first_name", ""),
                    "last": agreement.get("last_name", ""),
                    "email": agreement.get("email", ""),
                }
            )
        self.line_of(_("Text shown:"), size=9)
        self.set_x(self.l_margin + 4)
        self.multi_cell(0, 5, self.printable(record["text"]), new_x="LMARGIN", new_y="NEXT")

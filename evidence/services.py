"""Hand out an evidence pack and record that it was handed out."""

from dataclasses import dataclass

from django.utils import timezone

from .digest import file_digest
from .models import EvidenceExport
from .render import evidence_document, evidence_json, evidence_pdf
from .selectors import EvidenceScope, evidence_records

CONTENT_TYPES = {
    EvidenceExport.Format.JSON: "application/json",
    EvidenceExport.Format.PDF: "application/pdf",
}


@dataclass(frozen=True)
class EvidenceFile:
    filename: str
    content: bytes
    content_type: str
    export: EvidenceExport


def evidence_export(*, user, scope: EvidenceScope, fmt: str, ip_address: str | None):
    """Build the pack ``user`` may see for ``scope`` in ``fmt``, record the download, return it."""
    records = evidence_records(user=user, scope=scope)
    now = timezone.now()
    document = evidence_document(
        records, generated_at=now.isoformat(), generated_by=user.get_username()
    )
    content = (
        evidence_json(document) if fmt == EvidenceExport.Format.JSON else evidence_pdf(document)
    )
    export = EvidenceExport.objects.create(
        requested_by=user,
        reseller=getattr(user, "reseller", None),
        order=scope.order,
        customer=scope.customer,
        accepted_from=scope.accepted_from,
        accepted_to=scope.accepted_to,
        format=fmt,
        record_count=len(records["attestations"]),
        evidence_digest=document["digest"]["value"],
        file_digest=file_digest(content),
        ip_address=ip_address or None,
    )
    name = scope.order.reference if scope.order else f"{now:%Y%m%d-%H%M%S}"
    return EvidenceFile(
        filename=f"evidence-{name}.{fmt}",
        content=content,
        content_type=CONTENT_TYPES[fmt],
        export=export,
    )

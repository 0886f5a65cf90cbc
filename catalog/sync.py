"""Catalogue sync: make catalog.Product mirror the marketplace's products.

Rows are matched on (mpn, vendor, term, billing period). New rows are
created, changed rows updated, and rows the marketplace no longer lists are
deactivated (never deleted: carts and orders point at them). Pages are read
outside any transaction and written in batches, so 50,000 products take a few
bulk statements per batch rather than a query per row.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from django.db import transaction
from django.utils import timezone

from marketplace.client import MarketplaceClient
from marketplace.types import Product as UpstreamProduct

from .models import Period, Product, Segment

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
CENT = Decimal("0.01")
#: The fields a sync owns; anything else on a row (none today) is left alone.
SYNCED_FIELDS = (
    "upstream_id",
    "name",
    "service_name",
    "segment",
    "price",
    "cost",
    "currency",
    "minimum_quantity",
    "maximum_quantity",
    "offer_attestation_required",
    "offer_attestation_text",
    "coterming_required",
    "coterming_type",
    "active",
)
#: "(NCE COM ANN)" style suffixes: the middle word is the segment.
SEGMENT_CODES = {
    "COM": Segment.COMMERCIAL,
    "EDU": Segment.EDUCATION,
    "NPO": Segment.NONPROFIT,
    "NFP": Segment.NONPROFIT,
    "GOV": Segment.GOVERNMENT,
    "GCC": Segment.GOVERNMENT,
}
SELLABLE_PERIODS = frozenset(Period.values)
SEGMENTS = frozenset(Segment.values)
NAME_SUFFIX = re.compile(r"\(NCE\s+([A-Z]{3})\b[^)]*\)\s*$")
DEFAULT_MAXIMUM_QUANTITY = 10000


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    #: Upstream rows that cannot be sold here, each with the reason.
    skipped: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return (
            f"{self.seen} products: {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated, "
            f"{len(self.skipped)} skipped"
        )


def catalog_sync(*, client: MarketplaceClient) -> SyncResult:
    """Upsert every product the marketplace lists and deactivate those it no longer lists."""
    result = SyncResult()
    existing = {
        (row["mpn"], row["vendor"], row["term"], row["billing_period"]): row
        for row in Product.objects.values(
            "pk", "mpn", "vendor", "term", "billing_period", *SYNCED_FIELDS
        )
    }
    seen_keys: set[tuple] = set()
    now = timezone.now()
    for chunk in batched(client.list_products(), BATCH_SIZE):
        # The page was fetched above, outside the transaction; only writes happen inside.
        with transaction.atomic():
            _write_chunk(chunk, existing, seen_keys, now, result)
    vanished = [
        row["pk"] for key, row in existing.items() if key not in seen_keys and row["active"]
    ]
    with transaction.atomic():
        for pks in batched(vanished, BATCH_SIZE):
            result.deactivated += Product.objects.filter(pk__in=pks).update(active=False)
        Product.objects.filter(active=True).update(synced_at=now)
    logger.info("Catalogue sync from %s: %s", client.base_url, result)
    return result


def _write_chunk(chunk, existing, seen_keys, now, result: SyncResult) -> None:
    to_create, to_update = [], []
    for upstream in chunk:
        values, problem = product_values(upstream)
        if problem:
            result.skipped.append(problem)
            continue
        key = (upstream.mpn, upstream.vendor, values["term"], values["billing_period"])
        if key in seen_keys:
            result.skipped.append(f"{upstream.mpn} ({upstream.vendor}) is listed twice.")
            continue
        seen_keys.add(key)
        current = existing.get(key)
        if current is None:
            to_create.append(Product(mpn=key[0], vendor=key[1], synced_at=now, **values))
        elif any(current[name] != values[name] for name in SYNCED_FIELDS):
            to_update.append(Product(pk=current["pk"], synced_at=now, **values))
        else:
            result.unchanged += 1
    if to_create:
        # update_conflicts: a concurrent sync may have created the same row meanwhile.
        Product.objects.bulk_create(
            to_create,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["mpn", "vendor", "term", "billing_period"],
            update_fields=[*SYNCED_FIELDS, "synced_at"],
        )
    if to_update:
        Product.objects.bulk_update(to_update, [*SYNCED_FIELDS, "synced_at"], batch_size=BATCH_SIZE)
    result.created += len(to_create)
    result.updated += len(to_update)


def batched(iterable, size):
    """Yield lists of up to ``size`` items (itertools.batched arrives in Python 3.12)."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def product_values(upstream: UpstreamProduct) -> tuple[dict, str | None]:
    """Return the catalog.Product fields for an upstream product, or why it cannot be sold."""
    label = f"{upstream.mpn or '(no MPN)'} {upstream.name!r}"
    if not upstream.mpn or not upstream.vendor:
        return {}, f"{label}: no MPN or vendor."
    if upstream.subscription_period not in SELLABLE_PERIODS:
        return {}, f"{label}: term {upstream.subscription_period} is not sold here."
    if upstream.billing_period not in SELLABLE_PERIODS:
        return {}, f"{label}: billing period {upstream.billing_period} is not sold here."
    price = upstream.price
    if price is None:
        return {}, f"{label}: no price."
    cost = upstream.cost
    minimum = upstream.minimum_quantity or 1
    maximum = upstream.maximum_quantity or DEFAULT_MAXIMUM_QUANTITY
    return {
        "term": upstream.subscription_period,
        "billing_period": upstream.billing_period,
        "upstream_id": upstream.id[:32],
        "name": upstream.name[:255],
        "service_name": upstream.service_name[:255],
        "segment": segment_of(upstream),
        "price": price.amount.quantize(CENT, rounding=ROUND_HALF_UP),
        "cost": (cost.amount if cost else Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP),
        "currency": (price.currency or "USD")[:3],
        "minimum_quantity": max(minimum, 1),
        "maximum_quantity": max(maximum, minimum, 1),
        "offer_attestation_required": upstream.offer_attestation_required,
        "offer_attestation_text": upstream.offer_attestation_text,
        "coterming_required": upstream.coterming_required.upper()[:10],
        "coterming_type": upstream.coterming_type.upper()[:12],
        "active": True,
    }, None


def segment_of(upstream: UpstreamProduct) -> str:
    """Return the NCE segment: from the product's attributes, else its "(NCE EDU …)" name suffix."""
    declared = str(upstream.attributes.get("segment", "")).lower()
    if declared in SEGMENTS:
        return declared
    match = NAME_SUFFIX.search(upstream.name)
    if match and match.group(1) in SEGMENT_CODES:
        return SEGMENT_CODES[match.group(1)]
    name = upstream.name.lower()
    if "education" in name or "student" in name or "faculty" in name:
        return Segment.EDUCATION
    if "nonprofit" in name:
        return Segment.NONPROFIT
    if " gcc" in name or "government" in name:
        return Segment.GOVERNMENT
    return Segment.COMMERCIAL

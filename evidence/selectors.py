"""Gather the attestations and agreement acceptances a user may export, as plain records."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from orders import parameters as names
from orders.models import Attestation, Order, OrderParameter

AGREEMENT_PARAMETERS = {
    names.AGREEMENT_DATE: "agreement_date",
    names.AGREEMENT_FIRST_NAME: "first_name",
    names.AGREEMENT_LAST_NAME: "last_name",
    names.AGREEMENT_EMAIL: "email",
}


@dataclass(frozen=True)
class EvidenceScope:
    """Which records a pack holds: one order, one customer, and/or a range of acceptance dates."""

    order: Order | None = None
    customer: object | None = None
    accepted_from: date | None = None
    accepted_to: date | None = None

    def describe(self) -> dict:
        return {
            "order": self.order.reference if self.order else None,
            "customer": self.customer.company_name if self.customer else None,
            "accepted_from": self.accepted_from.isoformat() if self.accepted_from else None,
            "accepted_to": self.accepted_to.isoformat() if self.accepted_to else None,
        }


def evidence_attestations(*, user, scope: EvidenceScope):
    """Return the attestation rows in ``scope`` that ``user`` may see, oldest first."""
    orders = Order.objects.visible_to(user)
    if scope.order is not None:
        orders = orders.filter(pk=scope.order.pk)
    if scope.customer is not None:
        orders = orders.filter(customer=scope.customer)
    rows = Attestation.objects.filter(order__in=orders)
    tz = timezone.get_current_timezone()
    if scope.accepted_from:
        rows = rows.filter(accepted_at__gte=datetime.combine(scope.accepted_from, time.min, tz))
    if scope.accepted_to:
        rows = rows.filter(accepted_at__lte=datetime.combine(scope.accepted_to, time.max, tz))
    return rows.select_related(
        "order", "order__customer", "order__reseller", "accepted_by", "product"
    ).order_by("accepted_at", "pk")


def evidence_records(*, user, scope: EvidenceScope) -> dict:
    """Return the pack's records: every attestation in scope, with its order and tenant."""
    attestations = list(evidence_attestations(user=user, scope=scope))
    agreements = _agreement_parameters({a.order_id for a in attestations})
    return {
        "scope": scope.describe(),
        "attestations": [_record(a, agreements.get(a.order_id, {})) for a in attestations],
    }


def _record(attestation: Attestation, agreement: dict) -> dict:
    order = attestation.order
    customer = order.customer
    person = attestation.accepted_by
    record = {
        "kind": attestation.kind,
        "label": attestation.get_kind_display(),
        "text": attestation.text,
        "accepted_at": attestation.accepted_at.isoformat(),
        "ip_address": attestation.ip_address,
        "accepted_by": {
            "username": person.get_username() if person else None,
            "name": person.get_full_name() if person else None,
            "email": person.email if person else None,
        },
        "order": {
            "reference": order.reference,
            "kind": order.kind,
            "placed_at": order.placed_at.isoformat(),
            "upstream_order_number": order.upstream_order_number or None,
            "reseller": order.reseller.name,
        },
        "customer": {"company_name": customer.company_name},
        "tenant": {
            "domain": customer.tenant_domain or None,
            "id": str(customer.tenant_id) if customer.tenant_id else None,
        },
        "product": (
            {"mpn": attestation.product.mpn, "name": attestation.product.name}
            if attestation.product
            else None
        ),
    }
    if attestation.kind == Attestation.Kind.CUSTOMER_AGREEMENT:
        record["agreement"] = agreement
    return record


def _agreement_parameters(order_ids) -> dict[int, dict]:
    """Return, per order, the agreement details that were sent upstream with it."""
    found: dict[int, dict] = {}
    rows = OrderParameter.objects.filter(
        order_id__in=order_ids, line__isnull=True, name__in=AGREEMENT_PARAMETERS
    ).values_list("order_id", "name", "value")
    for order_id, name, value in rows:
        found.setdefault(order_id, {})[AGREEMENT_PARAMETERS[name]] = value
    return found

"""Correct the values a refusal pointed at, and send the same order again.

The order keeps its reference (the upstream search finds it by it), and the
resubmission is a new attempt of the same order, never a second order. What
changes is recorded: the event names every parameter with its old and new
value, and the first attempt's request stays in the order's upstream exchanges.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import cause_words
from .. import parameters as names
from ..attestations import attestation_text
from ..lifecycle import order_record
from ..models import Attestation, Order, OrderParameter
from .changes import ChangeRefused, actor_for, order_resubmit


def order_amend_and_resubmit(
    *, order: Order, values: dict[str, str], user, ip_address: str | None
) -> Order:
    """Set the order-level parameters in ``values``, record the change, and resubmit."""
    if order.status != Order.Status.FAILED:
        raise ChangeRefused(
            _("Only a failed order can be corrected; this one is %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        changes = []
        for name, new in values.items():
            parameter = OrderParameter.objects.filter(order=order, line=None, name=name).first()
            old = parameter.value if parameter else ""
            if old == new:
                continue
            changes.append(f"{name}: {old or '(not sent)'} → {new}")
            if parameter is None:
                OrderParameter.objects.create(order=order, name=name, value=new)
            else:
                parameter.value = new
                parameter.save(update_fields=["value"])
        if names.MCA_ACCEPTANCE in values:
            _record_agreement(order, user, ip_address)
        summary = "; ".join(changes) or "no value changed"
        order_record(
            order,
            "amend",
            actor=actor_for(user),
            actor_user=user,
            cause=cause_words.CORRECTED % {"summary": summary},
        )
        order_resubmit(
            order=order,
            user=user,
            cause=cause_words.RESUBMITTED % {"summary": summary},
        )
    return order


def _record_agreement(order, user, ip_address):
    kind = Attestation.Kind.CUSTOMER_AGREEMENT
    if not order.attestations.filter(kind=kind).exists():
        Attestation.objects.create(
            order=order,
            kind=kind,
            text=attestation_text(kind, {}),
            accepted_by=user,
            accepted_at=timezone.now(),
            ip_address=ip_address or None,
        )

"""The reminders as e-mails a reseller may reword (mail/): refund window closing, renewal coming."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.money import format_money
from customers.templatetags.words import moment
from mail.registry import EmailKind, register

from .renewal_outlook import renewals_coming
from .renewal_words import RENEWAL_VARIABLES, renewal_context
from .selectors import closing_batches

CLOSING = "refund_window_closing"
RENEWAL = "renewal_coming"

VARIABLES = {
    "reseller_name": _("your company's name"),
    "time_zone": _("the time zone the times are in"),
    "hours_left": _("hours until the first window closes"),
    "items": _(
        "the seats: each has customer_name, seats, product, reference, closes_at, "
        "refund_money (the refund written for the reader), refund and currency (the bare "
        "figures), is_purchase and url"
    ),
}


def closing_context(reseller, due, now) -> dict:
    """The plain values of one reminder: the batches ``due`` for ``reseller``."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    soonest = min(item.closes_at for item in due)
    zone = reseller.time_zone
    with timezone.override(zone):
        items = [
            {
                "customer_name": item.order.customer.company_name,
                "seats": item.seats_left,
                "product": item.subscription.product.name,
                "reference": item.order.reference,
                "closes_at": moment(timezone.localtime(item.closes_at), "zone"),
                "refund": str(item.refund_estimate),
                "currency": item.currency,
                "refund_money": format_money(item.refund_estimate, item.currency),
                "is_purchase": item.is_purchase,
                "url": base + item.return_path(),
            }
            for item in due
        ]
    return {
        "reseller_name": reseller.name,
        "time_zone": str(zone),
        "hours_left": max(1, round((soonest - now).total_seconds() / 3600)),
        "items": items,
    }


def _preview(reseller):
    now = timezone.now()
    due = closing_batches(now=now, within=timedelta(days=7), reseller=reseller)
    return closing_context(reseller, due[:3], now) if due else None


def _renewal_preview(reseller):
    coming = renewals_coming(today=timezone.now().date(), reseller=reseller)
    return renewal_context(reseller, coming) if coming else None


def register_kinds() -> None:
    register(EmailKind(CLOSING, _("Refund window closing (to your staff)"), VARIABLES, _preview))
    register(
        EmailKind(
            RENEWAL,
            _("Renewals coming, with what will happen (to your staff)"),
            RENEWAL_VARIABLES,
            _renewal_preview,
        )
    )

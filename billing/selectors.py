"""Reads for the bill pages: checks and mismatches a user may see."""

from django.db.models import Count, Q

from .models import BillCheck, Mismatch


def bill_checks_for(user):
    return (
        BillCheck.objects.visible_to(user)
        .select_related("reseller", "requested_by")
        .annotate(
            open_mismatches=Count("mismatches", filter=Q(mismatches__explained_at=None)),
            all_mismatches=Count("mismatches"),
        )
    )


def mismatches_of(check: BillCheck):
    return check.mismatches.select_related("customer", "explained_by", "subscription")


def mismatch_for(user, pk: int) -> Mismatch:
    return Mismatch.objects.visible_to(user).select_related("bill_check").get(pk=pk)

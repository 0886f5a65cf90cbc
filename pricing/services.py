"""Writes to a reseller's price book."""

from django.db import transaction

from .models import PriceBook, PriceRule


def book_for(*, reseller) -> PriceBook:
    """Return the reseller's price book, made (at the marketplace's list price) if it has none."""
    book, _ = PriceBook.objects.get_or_create(reseller=reseller)
    return book


def rule_add(*, book: PriceBook, rule: PriceRule) -> PriceRule:
    """Save ``rule`` (already validated) in ``book``."""
    rule.book = book
    with transaction.atomic():
        rule.save()
        book.save(update_fields=["updated_at"])
    return rule


def rule_delete(*, book: PriceBook, rule_id: int) -> bool:
    """Delete one of ``book``'s rules; say whether there was one."""
    deleted, _ = PriceRule.objects.filter(book=book, pk=rule_id).delete()
    if deleted:
        book.save(update_fields=["updated_at"])
    return bool(deleted)

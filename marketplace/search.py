"""Find the upstream order that carries one of our references, and prove the search covered all.

There is no idempotency key upstream. Our reference travels in the order's
``poNumber``, which only the order's detail returns (list rows leave it out).
So a search lists the customer's orders created inside a time window
(``customerId``, ``creationTimeFrom``, ``creationTimeTo``), every page of them,
and opens each one it cannot rule out.

"Not found" is worth something only if the search saw every order that could
be ours. ``ReferenceSearch.complete`` is False, with the reason, whenever that
cannot be shown: a page failed; the pages did not add up to the ``total``;
a row lies outside the window or belongs to another customer (the filter was
ignored: the notes say unknown parameters are dropped silently); a row has no
creation date to check; more orders in the window than ``max_orders``; an
order could not be opened. The caller must then keep looking, never send again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .constants import MAX_PAGE_LIMIT, RECONCILE_MAX_ORDERS
from .exceptions import MarketplaceError
from .mapping import po_number_has_reference
from .pagination import clamp_limit
from .types import Order, OrderSummary
from .types.boundary import page_parser


@dataclass
class ReferenceSearch:
    """What one search looked at, what it found, and whether its "not found" can be trusted."""

    customer_id: str
    reference: str
    created_from: datetime | None
    created_to: datetime
    found: Order | None = None
    complete: bool = False
    reason: str = ""
    total: int | None = None
    pages: int = 0
    listed: int = 0
    opened: int = 0
    skipped: int = 0
    error: MarketplaceError | None = field(default=None, repr=False)

    @property
    def not_found(self) -> bool:
        """True only when every order that could be ours was seen and none carries the reference."""
        return self.complete and self.found is None

    def summary(self) -> str:
        """Say in one sentence what was searched (for the order's history)."""
        window = (
            f"created {_iso(self.created_from)} to {_iso(self.created_to)}"
            if self.created_from
            else f"created up to {_iso(self.created_to)}"
        )
        seen = (
            f"{self.listed} of {self.total if self.total is not None else '?'} orders of customer "
            f"{self.customer_id} {window} listed in {self.pages} page(s), {self.opened} opened, "
            f"{self.skipped} already known to be other orders of ours"
        )
        if self.found is not None:
            return f"Found {self.reference} as {self.found.order_number or self.found.id}: {seen}."
        if self.complete:
            return f"{self.reference} is in none of them: {seen}."
        return f"Search incomplete ({self.reason}): {seen}."

    def as_record(self) -> dict:
        """Return the search as JSON for the support timeline."""
        return {
            "customerId": self.customer_id,
            "reference": self.reference,
            "creationTimeFrom": _iso(self.created_from) if self.created_from else None,
            "creationTimeTo": _iso(self.created_to),
            "complete": self.complete,
            "reason": self.reason,
            "found": (self.found.order_number or self.found.id) if self.found else None,
            "total": self.total,
            "pages": self.pages,
            "listed": self.listed,
            "opened": self.opened,
            "skipped": self.skipped,
            "summary": self.summary(),
        }


def search_by_reference(
    *,
    get: Callable[[str, dict], object],
    open_order: Callable[[str], Order],
    customer_id: str,
    reference: str,
    created_from: datetime | None,
    created_to: datetime | None = None,
    skip_ids: Collection[str] = (),
    max_orders: int = RECONCILE_MAX_ORDERS,
    page_size: int = MAX_PAGE_LIMIT,
) -> ReferenceSearch:
    """Search the customer's orders in the window for ``reference``; see the module docstring.

    ``get(path, params)`` returns a list answer's JSON and ``open_order(id)`` one
    order's detail; both raise ``MarketplaceError``. ``skip_ids`` are upstream
    ids already known to be other orders (their poNumber carries another
    reference): they need not be opened.
    """
    # Whole seconds (what any date-time filter takes), widened outwards, never inwards.
    created_to = _ceil_second(_aware(created_to or datetime.now(UTC)))
    created_from = _aware(created_from).replace(microsecond=0) if created_from else None
    search = ReferenceSearch(
        customer_id=customer_id,
        reference=reference,
        created_from=created_from,
        created_to=created_to,
    )
    limit = clamp_limit(page_size)
    params = {
        "customerId": customer_id,
        "creationTimeFrom": _iso(created_from) if created_from else None,
        "creationTimeTo": _iso(created_to),
    }
    seen: set[str] = set()
    offset = 0
    while True:
        try:
            page = get(
                "orders",
                {**params, "offset": offset, "limit": limit},
                parse=page_parser(OrderSummary.from_api, offset=offset, limit=limit),
            )
        except MarketplaceError as exc:
            return _incomplete(search, f"the page at offset {offset} failed: {exc.message}", exc)
        search.pages += 1
        if search.total is None:
            search.total = page.total
            if page.total is not None and page.total > max_orders:
                return _incomplete(
                    search,
                    f"{page.total} orders in the window, more than the {max_orders} "
                    "a search may open",
                )
        for row in page.items:
            problem = _row_problem(row, search)
            if problem:
                return _incomplete(search, problem)
            if row.id in seen:
                continue  # the list shifted under us (a newer order arrived): seen already
            seen.add(row.id)
            search.listed += 1
            if row.id in skip_ids:
                search.skipped += 1
                continue
            try:
                order = open_order(row.id)
            except MarketplaceError as exc:
                why = f"order {row.id} could not be opened: {exc.message}"
                return _incomplete(search, why, exc)
            search.opened += 1
            if po_number_has_reference(order.po_number, reference):
                search.found = order
                search.complete = True
                return search
        offset += len(page.items)
        if len(page.items) < limit:
            break
        if page.total is not None and offset >= page.total:
            break
        if len(seen) > max_orders:
            return _incomplete(search, f"more than {max_orders} orders in the window")
    if search.total is not None and search.listed < search.total:
        return _incomplete(
            search, f"the pages held {search.listed} orders where the list said {search.total}"
        )
    search.complete = True
    return search


def _row_problem(row: OrderSummary, search: ReferenceSearch) -> str:
    """Return why ``row`` shows a filter was not applied, or ''."""
    if row.customer_id and row.customer_id != search.customer_id:
        return f"order {row.id} belongs to customer {row.customer_id}: customerId was ignored"
    if search.created_from is None:
        return ""
    if row.creation_date is None:
        return f"order {row.id} has no creationDate: the date filter cannot be checked"
    created = _aware(row.creation_date)
    if created < search.created_from or created > search.created_to:
        return (
            f"order {row.id} was created {_iso(created)}, outside the window: "
            "creationTimeFrom/creationTimeTo were ignored"
        )
    return ""


def _incomplete(search: ReferenceSearch, reason: str, error=None) -> ReferenceSearch:
    search.complete = False
    search.reason = reason
    search.error = error
    return search


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _ceil_second(value: datetime) -> datetime:
    if value.microsecond:
        return value.replace(microsecond=0) + timedelta(seconds=1)
    return value


def _iso(value: datetime) -> str:
    return _aware(value).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

"""Lists: the {data, pagination} envelope, and lazy iteration over every page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from .constants import MAX_PAGE_LIMIT
from .types import Page

T = TypeVar("T")


def page_from_api(body, parse: Callable[[dict], T], *, offset: int, limit: int) -> Page[T]:
    """Return one page of a list answer (``{"data": [...], "pagination": {...}}``)."""
    body = body if isinstance(body, dict) else {}
    rows = body.get("data")
    rows = rows if isinstance(rows, list) else []
    pagination = body.get("pagination")
    pagination = pagination if isinstance(pagination, dict) else {}
    total = pagination.get("total")
    return Page(
        items=tuple(parse(row) for row in rows if isinstance(row, dict)),
        offset=int(pagination.get("offset", offset) or 0),
        limit=int(pagination.get("limit", limit) or limit),
        total=int(total) if isinstance(total, int | str) and str(total).isdigit() else None,
    )


def clamp_limit(limit: int) -> int:
    """Return a page size the upstream accepts (1 to 500)."""
    return max(1, min(int(limit), MAX_PAGE_LIMIT))


def iterate_pages(fetch_page: Callable[[int, int], Page[T]], *, limit: int) -> Iterator[T]:
    """Yield every item of a list, fetching the next page only when it is needed.

    Stops at a short or empty page, or when ``total`` items have been seen.
    """
    limit = clamp_limit(limit)
    offset = 0
    while True:
        page = fetch_page(offset, limit)
        yield from page.items
        offset += len(page.items)
        if len(page.items) < limit or (page.total is not None and offset >= page.total):
            return

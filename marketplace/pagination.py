"""Lists: the {data, pagination} envelope, and lazy iteration over every page."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from .constants import EXTRA_PAGES, MAX_LIST_ROWS_WITHOUT_TOTAL, MAX_PAGE_LIMIT
from .exceptions import ListIncomplete
from .types import Page

T = TypeVar("T")


def page_from_api(body, parse: Callable[[dict], T], *, offset: int, limit: int) -> Page[T]:
    """Return one page of a list answer (``{"data": [...], "pagination": {...}}``).

    The client checks the body's shape first (``marketplace.types.boundary``);
    this mapping still never fails on a stray value: a count that is not a
    whole number of 0 or more falls back to what was asked for.
    """
    body = body if isinstance(body, dict) else {}
    rows = body.get("data")
    rows = rows if isinstance(rows, list) else []
    pagination = body.get("pagination")
    pagination = pagination if isinstance(pagination, dict) else {}
    return Page(
        items=tuple(parse(row) for row in rows if isinstance(row, dict)),
        offset=_count(pagination.get("offset"), offset),
        limit=_count(pagination.get("limit"), limit) or limit,
        total=_count(pagination.get("total"), None),
    )


def _count(value, default):
    """Return a whole number of 0 or more (a JSON number or ASCII digits), else ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
        return int(value)
    return default


def clamp_limit(limit) -> int:
    """Return a page size the upstream accepts (1 to 500); anything unusable is 500."""
    try:
        limit = int(limit)
    except (TypeError, ValueError, OverflowError):
        return MAX_PAGE_LIMIT
    return max(1, min(limit, MAX_PAGE_LIMIT))


def max_pages(total: int | None, limit: int) -> int:
    """Return how many pages a list of ``total`` rows may take before it is not paging."""
    rows = MAX_LIST_ROWS_WITHOUT_TOTAL if total is None else total
    return math.ceil(rows / limit) + EXTRA_PAGES


def page_ids(items: Sequence) -> tuple:
    """Return the ids of a page's rows (the rows themselves when they have none)."""
    return tuple(getattr(item, "id", item) for item in items)


def iterate_pages(fetch_page: Callable[[int, int], Page[T]], *, limit: int) -> Iterator[T]:
    """Yield every item of a list, fetching the next page only when it is needed.

    Stops at a short or empty page, or when ``total`` items have been seen.
    Raises ``ListIncomplete`` (after yielding what came before) when a full page
    repeats the previous one's ids, or the pages go on past ``max_pages``: an
    upstream that ignores ``offset`` would otherwise be paged forever.
    """
    limit = clamp_limit(limit)
    offset = 0
    pages = 0
    previous: tuple = ()
    while True:
        page = fetch_page(offset, limit)
        pages += 1
        ids = page_ids(page.items)
        if ids and ids == previous:
            raise ListIncomplete(
                f"The page at offset {offset} repeated the previous page: the marketplace "
                f"ignored the offset, so the list stopped after {offset} rows.",
                offset=offset,
                pages=pages,
            )
        yield from page.items
        offset += len(page.items)
        if len(page.items) < limit or (page.total is not None and offset >= page.total):
            return
        if pages >= max_pages(page.total, limit):
            raise ListIncomplete(
                f"The list went on past {pages} pages of {limit} (total "
                f"{page.total if page.total is not None else 'not reported'}): the marketplace "
                f"is not paging, so the list stopped after {offset} rows.",
                offset=offset,
                pages=pages,
            )
        previous = ids

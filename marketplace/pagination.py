"""Lists: the {data, pagination} envelope, and lazy iteration over every page."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from .constants import EXTRA_PAGES, MAX_LIST_ROWS_WITHOUT_TOTAL, MAX_PAGE_LIMIT
from .exceptions import ListIncomplete
from .types import Page
from .types.pages import page_from_api

T = TypeVar("T")

__all__ = ["clamp_limit", "iterate_pages", "max_pages", "page_from_api"]


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

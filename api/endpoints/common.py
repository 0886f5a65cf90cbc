"""What the endpoints share: the problem responses they document, and paging."""

from .. import selectors
from ..inputs import Paging, make_cursor
from ..outputs import Problem


def problems(*statuses) -> dict:
    """Return the problem responses an endpoint documents: ``statuses`` and those of every one."""
    return {status: Problem for status in sorted({*statuses, 401, 429, 500})}


def paged(queryset, paging: Paging, serialize, *, descending=False) -> dict:
    """Return one page of ``queryset`` as ``{"results": [...], "next_cursor": ...}``."""
    rows, more = selectors.page(
        queryset, after=paging.after(), limit=paging.limit, descending=descending
    )
    return {
        "results": [serialize(row) for row in rows],
        "next_cursor": make_cursor(rows[-1].pk) if more else None,
    }

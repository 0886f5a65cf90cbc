"""One page of a list answer, mapped from the ``{data, pagination}`` envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .common import Page

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

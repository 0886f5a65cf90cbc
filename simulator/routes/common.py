"""What every API route needs: the state, the caller's session, the body, pagination."""

from __future__ import annotations

from flask import current_app, g, request

from ..errors import ApiError
from ..indexes import Selection
from ..state import State

DEFAULT_LIMIT = 10
MAX_LIMIT = 500


def state() -> State:
    return current_app.extensions["simulator"]


def session() -> dict:
    return g.session


def json_body():
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "The request body must be JSON.")
    return body


def _integer(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Parameter '{name}' must be an integer.") from None
    if value < 0:
        raise ApiError(400, f"Parameter '{name}' must not be negative.")
    return value


def _page_bounds() -> tuple[int, int]:
    offset = _integer("offset", 0)
    limit = _integer("limit", DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise ApiError(400, f"Parameter 'limit' must not be greater than {MAX_LIMIT}.")
    return offset, limit


def paginate(items: list, view) -> dict:
    """Return the {data, pagination} envelope of one page of `items` (already newest first)."""
    offset, limit = _page_bounds()
    page = items[offset : offset + limit]
    return {
        "data": [view(item) for item in page],
        "pagination": {"offset": offset, "limit": limit, "total": len(items)},
    }


def paginate_selection(selection: Selection, view) -> dict:
    """Return the {data, pagination} envelope of one page of an index selection."""
    offset, limit = _page_bounds()
    page, total = selection.page(offset, limit)
    return {
        "data": [view(item) for item in page],
        "pagination": {"offset": offset, "limit": limit, "total": total},
    }


def single_value(name: str) -> str | None:
    """Return a filter that takes exactly one value; a comma-separated list is a 400."""
    value = request.args.get(name)
    if value is not None and "," in value:
        raise ApiError(400, f"Parameter '{name}' accepts a single value.")
    return value or None


def newest_first(records) -> list:
    return sorted(records, key=lambda r: (r["_created"], int(r["id"])), reverse=True)


def not_found(kind: str, identifier: str) -> ApiError:
    return ApiError(404, f"{kind} #{identifier} is not found.")

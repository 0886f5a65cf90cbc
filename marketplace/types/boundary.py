"""The one boundary between the upstream's JSON and the typed results: shape, then mapping.

Every success body the client reads goes through ``parse_body``: the body is
first checked against its shape (``shapes.py``), and only then mapped by the
type's ``from_api``. Whatever is malformed becomes a ``MalformedResponseError``
naming the endpoint, the correlation id and each field at fault; nothing else
escapes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from pydantic import ValidationError

from ..exceptions import MalformedResponseError
from .pages import page_from_api
from .shapes import SHAPES, PageShape, TokenShape, ValidationAnswerShape, adapter
from .validation import ValidationResult

logger = logging.getLogger("marketplace")

#: How many field problems the error's message names (``problems`` keeps them all).
PROBLEMS_IN_MESSAGE = 3


class ShapeError(ValueError):
    """A body that is not the expected shape; ``problems`` names each field at fault."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def check_shape(body, shape, *, where: str = "") -> None:
    """Raise ShapeError unless ``body`` is a JSON object of ``shape``."""
    if not isinstance(body, dict):
        raise ShapeError([f"{where or 'body'}: expected an object, got {_kind(body)}"])
    try:
        adapter(shape).validate_python(body)
    except ValidationError as exc:
        raise ShapeError([_problem(error, where) for error in exc.errors()]) from None


def parse_body(
    body,
    parse: Callable | type,
    *,
    endpoint: str,
    correlation_id: str | None = None,
    status_code: int | None = None,
):
    """Check ``body`` for the shape ``parse`` expects, then map it.

    Raises only MalformedResponseError, whatever the body.

    ``parse`` is a type with ``from_api`` (or that bound method), or a parser
    made by ``page_parser``/``validation_parser``/``token_parser``.
    """
    shape, build = _resolve(parse)
    where = {"correlation_id": correlation_id, "status_code": status_code, "body": body}
    try:
        check_shape(body, shape)
    except ShapeError as exc:
        raise malformed_response(exc.problems, endpoint, **where) from None
    try:
        return build(body)
    except ShapeError as exc:  # a nested shape (a page's rows) checked while building
        raise malformed_response(exc.problems, endpoint, **where) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # The shapes let through something the mapping cannot take: a gap in SHAPES.
        logger.error("Mapping %s failed on a body of the right shape: %r", endpoint, exc)
        problem = f"body: could not be read ({type(exc).__name__})"
        raise malformed_response([problem], endpoint, **where) from None


class Parser:
    """A shape and the function that maps a body of that shape."""

    def __init__(self, shape, build: Callable):
        self.shape = shape
        self.build = build


def page_parser(row: Callable | type, *, offset: int, limit: int) -> Parser:
    """The parser of one page of a list whose rows ``row`` maps."""
    row_shape, row_build = _resolve(row)

    def build(body):
        for index, item in enumerate(body["data"]):
            check_shape(item, row_shape, where=f"data.{index}")
        return page_from_api(body, row_build, offset=offset, limit=limit)

    return Parser(PageShape, build)


def _build_validation(body) -> list[ValidationResult]:
    return [ValidationResult.from_api(row) for row in body["data"]]


#: POST /validation/parameters: ``{"data": [result, ...]}``.
VALIDATION_RESULTS = Parser(ValidationAnswerShape, _build_validation)


def token_parser(build: Callable) -> Parser:
    """POST /token: ``{"token": ..., "expiresInSeconds": ...}``."""
    return Parser(TokenShape, build)


def _resolve(parse):
    if isinstance(parse, Parser):
        return parse.shape, parse.build
    target = parse if isinstance(parse, type) else getattr(parse, "__self__", None)
    if target not in SHAPES:
        raise TypeError(f"No shape is known for {parse!r}")
    return SHAPES[target], target.from_api


def malformed_response(
    problems, endpoint, correlation_id=None, status_code=None, body=None
) -> MalformedResponseError:
    """Return the error for an answer to ``endpoint`` with these field ``problems``.

    ``body`` is kept as text (at most 2,000 characters) for the support timeline:
    a decoded body may hold NaN, which no JSON column stores.
    """
    named = "; ".join(problems[:PROBLEMS_IN_MESSAGE])
    more = len(problems) - PROBLEMS_IN_MESSAGE
    if more > 0:
        named += f"; and {more} more"
    quote = f" quoting correlation id {correlation_id}" if correlation_id else ""
    return MalformedResponseError(
        f"The marketplace's answer to {endpoint} is not in the shape its API documents "
        f"({named}). Nothing was read from it. Try again in a few minutes; if it keeps "
        f"happening, contact the distributor's support{quote}.",
        endpoint=endpoint,
        problems=problems,
        status_code=status_code,
        correlation_id=correlation_id,
        body=_as_text(body),
    )


def _as_text(body) -> str | None:
    if body is None:
        return None
    try:
        return json.dumps(body, default=str)[:2000]
    except (ValueError, RecursionError):
        return repr(body)[:2000]


def _problem(error: dict, where: str) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if not _is_union_tag(part))
    location = ".".join(part for part in (where, location) if part) or "body"
    message = error.get("msg", "is not valid")
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{location}: {message}"


def _is_union_tag(part) -> bool:
    # pydantic names union branches in loc ("list[...]", "PeriodShape"); they say nothing useful.
    return isinstance(part, str) and (part.endswith("]") or part.endswith("Shape"))


def _kind(value) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "text", bool: "true/false", dict: "an object"}.get(
        type(value), "a number"
    )

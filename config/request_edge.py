"""Refuse, once and for every route, requests whose address no view should ever read.

A control character (NUL, ESC, DEL, C1…) in the path or in any query
parameter's name or value, or more query parameters than
``DATA_UPLOAD_MAX_NUMBER_FIELDS``, is a 400 before any view or database sees
it: a problem+json under /api/, a page elsewhere.
"""

import unicodedata

from django.core.exceptions import TooManyFieldsSent
from django.shortcuts import render

from api.problems import problem_response

API_PREFIX = "/api/"
BAD_REQUEST_TEMPLATE = "400.html"
CONTROL_DETAIL = "The address contains a control character (such as NUL); remove it."
TOO_MANY_DETAIL = "The address has too many query parameters."


def has_control_character(text: str) -> bool:
    """Return True if ``text`` holds a Unicode control character (category Cc)."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def address_problem(request) -> tuple[str, str | None] | None:
    """Return (sentence, offending parameter) when the request's address is refused."""
    if has_control_character(request.path_info):
        return CONTROL_DETAIL, None
    try:
        query = request.GET
    except TooManyFieldsSent:
        return TOO_MANY_DETAIL, None
    for name, values in query.lists():
        if has_control_character(name) or any(has_control_character(v) for v in values):
            return CONTROL_DETAIL, name
    return None


class RequestEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = address_problem(request)
        if problem is None:
            return self.get_response(request)
        detail, parameter = problem
        if request.path_info.startswith(API_PREFIX):
            errors = [{"parameter": parameter, "detail": detail}] if parameter else ()
            return problem_response(400, detail, errors=errors)
        return render(request, BAD_REQUEST_TEMPLATE, {"detail": detail}, status=400)

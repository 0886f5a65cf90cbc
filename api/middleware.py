"""Make every error answer under /api/ a problem+json, whoever produced it.

The API's own handlers already answer with problems; this catches what
happens outside them: another middleware's refusal (a support session
POSTing gets a 403 from ``customers.middleware``), a method the URL does not
take (405), an exception Django turned into an HTML 500.
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from customers.permissions import refuses_write

from .problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
#: Headers of the original answer that still apply to the problem.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
SUPPORT_DETAIL = _("Support accounts can read but not change anything.")
#: Exceptions that are the client's doing, whatever view raised them.
REFUSALS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        return problem_response(
            response.status_code,
            self.detail(request, response),
            headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        )

    def detail(self, request, response):
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and refuses_write(user, request.method):
            return SUPPORT_DETAIL
        return None

    def process_exception(self, request, exception):
        if not request.path_info.startswith(API_PREFIX):
            return None
        if isinstance(exception, REFUSALS):
            # Django answers these itself (404, 403, 400) and __call__ makes that a problem:
            # a refusal is not a failure of ours and never an ERROR in the log.
            return None
        logger.error("API %s %s failed", request.method, request.path, exc_info=exception)
        return problem_response(500)

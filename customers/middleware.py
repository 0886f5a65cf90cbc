"""Site-wide guards: support staff read everything and change nothing; a code before any page;
a person's request does not wait out a long marketplace pause."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .permissions import refuses_write
from .step_up import two_factor_redirect
from .two_factor import two_factor_required
from .upstream import serving_a_person

#: URL names a read-only user may still POST to: signing in and out and their own codes change
#: no data, and choosing a language changes only the user's own preference.
WRITE_ALLOWED_URL_NAMES = frozenset(
    {"login", "logout", "set_language", "two_factor_verify", "two_factor_enrol", "two_factor"}
)


class ReadOnlySupportMiddleware:
    """Refuse any non-safe request from a read-only (support) user with a 403.

    Views that change data also use ``ReadOnlyForSupportMixin``; this catches a
    view that forgot to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in WRITE_ALLOWED_URL_NAMES:
            return None
        if refuses_write(request.user, request.method):
            raise PermissionDenied(_("Support accounts can read but not change anything."))
        return None


#: URL names a signed-in user who still owes a code may open: the code step itself.
BEFORE_CODE_URL_NAMES = frozenset(
    {"login", "logout", "two_factor_verify", "two_factor_enrol", "set_language"}
)


class TwoFactorMiddleware:
    """Send a signed-in user who must give a code, and has not, to the code step first.

    Whoever must (``customers.two_factor.two_factor_required``) opens no page, the admin
    included, until they gave a code in this session (or set up an authenticator). Requests
    without a session user (the JSON API's bearer tokens, /healthz) are not concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_CODE_URL_NAMES:
            return None
        if not two_factor_required(user):
            return None
        return two_factor_redirect(request)


class PersonWaitingMiddleware:
    """Every request is a person (or an integration) waiting for an answer: marketplace calls
    made while serving it wait out only a short pause (``customers.upstream.longest_wait``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving_a_person():
            return self.get_response(request)

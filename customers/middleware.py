"""Site-wide guard: support staff read everything and change nothing."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .permissions import refuses_write

#: URL names a read-only user may still POST to: signing in and out changes no data,
#: and choosing a language changes only the user's own preference.
WRITE_ALLOWED_URL_NAMES = frozenset({"login", "logout", "set_language"})


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

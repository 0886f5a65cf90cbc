"""Token authentication for the API views: the token, never a session, says who is asking."""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from .errors import NON_FIELD, ApiError, error_response
from .tokens import api_token_authenticate

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="api"'}


def bearer_token(request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def api_view(*methods):
    """Serve a JSON view for ``methods`` to token holders only.

    CSRF protection guards cookie-authenticated requests; these views ignore
    cookies and refuse any request without a valid token, so they are exempt.
    ``request.api_token`` is set for the view; ApiError becomes its JSON answer.
    """

    def decorator(view_func):
        @csrf_exempt
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            token = api_token_authenticate(bearer_token(request))
            if token is None:
                return error_response(
                    401,
                    [(NON_FIELD, "Send a valid API token: Authorization: Bearer <token>.")],
                    headers=UNAUTHORIZED_HEADERS,
                )
            if request.method not in methods:
                return error_response(
                    405,
                    [(NON_FIELD, f"Use {' or '.join(methods)} here.")],
                    headers={"Allow": ", ".join(methods)},
                )
            request.api_token = token
            try:
                return view_func(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error.status, error.errors)

        return wrapped

    return decorator


def acting_user(token):
    """Return the person orders placed with ``token`` are recorded as placed by, or None.

    That is who created the token, while they are active staff of its reseller;
    ``api.ApiOrder`` always records the token itself.
    """
    user = token.created_by
    if (
        user is not None
        and user.is_active
        and user.role == user.Role.RESELLER_STAFF
        and user.reseller_id == token.reseller_id
    ):
        return user
    return None

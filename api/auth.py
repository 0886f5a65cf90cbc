"""Token authentication: the token, never a session, says who is asking; both are rate-limited."""

from ninja.security import HttpBearer

from . import limits
from .tokens import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``, counted per token and, when wrong, per address.

    An address that sent too many missing or wrong tokens this minute gets 429 for
    every request until the minute ends, a valid token included, so guessing is
    slowed for everyone there (and a right guess looks like any other 429).
    """

    def __call__(self, request):
        address = limits.client_address(request)
        token = super().__call__(request)
        if token is None:
            limits.limit_hit(limits.FAILED_AUTH, address)  # 429 past the limit, else 401
            return None
        limits.token_request_counted(str(token.pk), address)
        return token

    def authenticate(self, request, token):
        return api_token_authenticate(token.strip())


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

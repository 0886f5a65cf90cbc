"""Who may use which page, and who may change anything.

Use these on every view, in every app:

* ``ResellerRequiredMixin`` / ``@reseller_required``: reseller staff only
  (``request.user.reseller`` is then always set).
* ``RoleRequiredMixin`` with ``allowed_roles`` / ``@role_required(...)``: any set
  of roles, e.g. ``role_required(User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER)``.
* ``ReadOnlyForSupportMixin`` / ``@read_only_for_support``: on every view that
  changes data. Support staff may read everything and change nothing: any
  method other than GET, HEAD or OPTIONS is refused with 403.

Which *rows* a user may read is decided elsewhere, by
``Model.objects.visible_to(user)`` (``customers.scoping``): another tenant's
object is a 404, never a 403, so its existence is not revealed.

``customers.middleware.ReadOnlySupportMiddleware`` refuses support staff's
writes for the whole site as a safety net; the mixin states the intent where
the view is written and keeps the rule when a view is reused elsewhere.
"""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def user_has_role(user, *roles):
    """Return True if ``user`` is signed in, active and holds one of ``roles``.

    Superusers count as admins. Reseller staff must belong to a reseller and
    end-customer users to a customer, or they hold no role at all.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    role = User.Role.ADMIN if user.is_superuser else user.role
    if role == User.Role.RESELLER_STAFF and not user.reseller_id:
        return False
    if role == User.Role.CUSTOMER_USER and not user.customer_id:
        return False
    return role in roles


def refuses_write(user, method):
    """Return True if ``user`` may not send a request with ``method``."""
    return method.upper() not in SAFE_METHODS and user.is_authenticated and user.is_read_only


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow only users holding one of ``allowed_roles``; others get a 403."""

    allowed_roles: tuple[str, ...] = ()

    def get_allowed_roles(self):
        return self.allowed_roles

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, *self.get_allowed_roles()):
            raise PermissionDenied(_("Your account cannot use this page."))
        return super().dispatch(request, *args, **kwargs)


class ResellerRequiredMixin(RoleRequiredMixin):
    """Reseller staff only; ``request.user.reseller`` is set in the view."""

    allowed_roles = (User.Role.RESELLER_STAFF,)


class ReadOnlyForSupportMixin:
    """Refuse every non-safe method (POST, PUT, PATCH, DELETE) for support staff."""

    def dispatch(self, request, *args, **kwargs):
        if refuses_write(request.user, request.method):
            raise PermissionDenied(_("Support accounts can read but not change anything."))
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles):
    """Decorate a function view so only users holding one of ``roles`` may use it."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise PermissionDenied(_("Your account cannot use this page."))
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


reseller_required = role_required(User.Role.RESELLER_STAFF)


def read_only_for_support(view_func):
    """Decorate a function view that changes data: support staff get a 403 on writes."""

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if refuses_write(request.user, request.method):
            raise PermissionDenied(_("Support accounts can read but not change anything."))
        return view_func(request, *args, **kwargs)

    return wrapped

"""The customer's sign-ins we keep for later: the account password and a new tenant's admin.

Seed 002: the customer account's password is generated when the customer is
created, and "you will be able to access the password later"; a new tenant's
first administrator gets a user id and a temporary password, which the customer
reads under "View Password". Both are stored encrypted (``Credential.secret``),
revealed only when someone with the right asks, and every reveal is recorded.
"""

import secrets
import string

from django.views.decorators.debug import sensitive_variables

from .models import Credential, CredentialView, Customer, User
from .permissions import user_has_role

PASSWORD_LENGTH = 16
PASSWORD_SPECIALS = "!#$%*+-=?@_"

#: Where a completed new-tenant subscription carries its first admin's sign-in. The names are
#: the simulator's assumption (docs/upstream.md): the real API does not publish them.
ADMIN_LOGIN = "admin_login"
ADMIN_TEMPORARY_PASSWORD = "admin_temporary_password"

#: Who may reveal a credential; which customers they reach comes from visible_to().
REVEALERS = (User.Role.RESELLER_STAFF, User.Role.CUSTOMER_USER)


def generate_password() -> str:
    """Return a password the marketplace accepts: upper, lower, digit and special characters."""
    alphabet = string.ascii_letters + string.digits + PASSWORD_SPECIALS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password)
        ):
            return password


@sensitive_variables("password")
def account_password_keep(*, customer: Customer, login: str, password: str) -> Credential:
    """Keep the password the customer account was created with upstream."""
    credential, _ = Credential.objects.update_or_create(
        customer=customer,
        kind=Credential.Kind.ACCOUNT,
        defaults={"login": login, "secret": password},
    )
    return credential


@sensitive_variables("password")
def record_tenant_admin(customer: Customer, detail, *, order_reference: str = "") -> None:
    """Keep a new tenant's admin login and temporary password from a completed subscription.

    ``detail`` is the subscription as the marketplace returned it; a subscription
    of an existing tenant carries neither, and nothing is written.
    """
    login = detail.fulfillment_parameter(ADMIN_LOGIN)
    password = detail.fulfillment_parameter(ADMIN_TEMPORARY_PASSWORD)
    if not login or not password:
        return
    defaults = {"login": login, "secret": password, "order_reference": order_reference}
    domain = detail.fulfillment_parameter("microsoft_domain")
    if domain:
        defaults["tenant_domain"] = domain
    existing = Credential.objects.filter(customer=customer, kind=Credential.Kind.TENANT_ADMIN)
    current = existing.first()
    if current is not None and current.login == login and current.secret == password:
        return  # the same tenant read again (another subscription, a repeated poll)
    # One INSERT … ON CONFLICT (customer, kind) instead of update_or_create's locked read,
    # savepoints and write: the completion that records it holds its order's transaction.
    Credential.objects.bulk_create(
        [Credential(customer=customer, kind=Credential.Kind.TENANT_ADMIN, **defaults)],
        update_conflicts=True,
        unique_fields=["customer", "kind"],
        update_fields=[*defaults, "updated_at"],
    )


def credentials_context(*, customer: Customer, user) -> dict:
    """Return what templates/customers/_credentials.html needs for ``customer`` and ``user``.

    Everyone who can read the customer sees which sign-ins are kept and who
    viewed them; only reseller staff and the customer's own users may reveal one.
    """
    credentials = Credential.objects.visible_to(user).filter(customer=customer)
    return {
        "credentials": list(credentials),
        "credential_views": recent_views(customer=customer, user=user),
        "can_reveal": can_reveal(user),
    }


def can_reveal(user) -> bool:
    """Return True if ``user`` holds a role that may reveal a password."""
    return user_has_role(user, *REVEALERS)


def credential_reveal(*, credential: Credential, user, ip_address: str | None) -> str:
    """Return the secret of ``credential`` and record that ``user`` saw it.

    The caller has found ``credential`` through ``visible_to(user)``; the role is
    checked again here so no other path reveals it to support or admins.
    """
    if not can_reveal(user):
        raise PermissionError("This account cannot view passwords.")
    CredentialView.objects.create(
        credential=credential, viewer=user, viewer_role=user.role, ip_address=ip_address
    )
    return credential.secret


def recent_views(*, customer: Customer, user, limit: int = 20) -> list[CredentialView]:
    """Return the latest reveals of ``customer``'s credentials that ``user`` may read."""
    views = CredentialView.objects.visible_to(user).filter(credential__customer=customer)
    return list(views.select_related("credential", "viewer")[:limit])

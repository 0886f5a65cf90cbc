"""Who may fill a cart and place orders."""


def can_order(user) -> bool:
    """Reseller staff order for their customers; support and admins only look."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == user.Role.RESELLER_STAFF
        and user.reseller_id
    )

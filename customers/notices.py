"""What Microsoft supports of customer self-service (seed 003), told to admins and resellers."""

from django.utils.translation import gettext_lazy as _

SELF_SERVICE_MICROSOFT_NOTICE = _(
    "Microsoft offers no API for customer self-service on new commerce: the order reaches "
    "Microsoft as placed by the partner. Microsoft does not recognise or support this way of "
    "ordering and may change new commerce at any time in ways that degrade it; the partner "
    "remains responsible for every order its customers place."
)

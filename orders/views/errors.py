"""The error catalogue: every upstream error the product knows, and the ones it does not yet."""

from django.views.generic import TemplateView

from customers.models import User
from customers.permissions import RoleRequiredMixin

from ..error_catalogue import ENTRIES
from ..models import UnrecognisedUpstreamError

UNRECOGNISED_SHOWN = 50


class ErrorCatalogueView(RoleRequiredMixin, TemplateView):
    allowed_roles = tuple(User.Role)
    template_name = "orders/error_catalogue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        unrecognised = (
            UnrecognisedUpstreamError.objects.all()[:UNRECOGNISED_SHOWN]
            if user.sees_everything
            else None
        )
        return super().get_context_data(
            entries=ENTRIES,
            unrecognised=unrecognised,
            # Where an entry is documented (seeds, upstream notes) means something to support only.
            shows_sources=user.sees_everything,
            **kwargs,
        )

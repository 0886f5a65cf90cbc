"""View password: a customer's kept sign-ins, revealed one at a time on a POST and recorded.

Reseller staff reach their own customers, an end customer only itself (both
through ``visible_to``: anything else is a 404). The page never carries a
password until someone asks for it, and the answer is never cached. Whoever opens it has
given a code from their authenticator in this session (``step_up_required``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from config.client_address import client_address
from customers.credentials import REVEALERS, credential_reveal, credentials_context
from customers.models import Credential, Customer
from customers.permissions import ReadOnlyForSupportMixin, RoleRequiredMixin
from customers.step_up import step_up_required

PAGE_TEMPLATE = "customers/credentials.html"
BLOCK_TEMPLATE = "customers/_credentials.html"


class CustomerCredentialMixin(RoleRequiredMixin):
    allowed_roles = REVEALERS

    def get_customer(self) -> Customer:
        customers = Customer.objects.visible_to(self.request.user).select_related("reseller")
        return get_object_or_404(customers, pk=self.kwargs["pk"])


@method_decorator([never_cache, step_up_required], name="dispatch")
class CredentialsView(ReadOnlyForSupportMixin, CustomerCredentialMixin, View):
    """The customer's sign-ins, each behind a View password button, and who viewed them.

    GET shows the page without any password; POST with ``kind`` shows that one
    password to the person who asked and records that they saw it.
    """

    def get(self, request, pk):
        customer = self.get_customer()
        context = {
            "customer": customer,
            **credentials_context(customer=customer, user=request.user),
        }
        return render(request, PAGE_TEMPLATE, context)

    def post(self, request, pk):
        customer = self.get_customer()
        kind = request.POST.get("kind", "")
        if kind not in Credential.Kind.values:
            raise Http404(_("No such credential."))
        credential = get_object_or_404(
            Credential.objects.visible_to(request.user), customer=customer, kind=kind
        )
        secret = credential_reveal(
            credential=credential, user=request.user, ip_address=client_address(request)
        )
        context = {
            "customer": customer,
            **credentials_context(customer=customer, user=request.user),
            "revealed_kind": credential.kind,
            "secret": secret,
        }
        return render(request, BLOCK_TEMPLATE if request.htmx else PAGE_TEMPLATE, context)

"""The self-service order wizard: an end customer orders licences for its own company.

The same wizard as the reseller's (its forms, rules, request builder and
``order_place``), with three differences: the customer is always the
signed-in user's own, the reseller's saved partner details must already be
READY, and the Partner of Record attestation is the reseller's standing
statement instead of a question (docs/self-service.md says why).
"""

import dataclasses
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from catalog.permissions import self_service_refusal
from customers.models import Customer, Reseller, User
from customers.permissions import user_has_role
from orders.models import Attestation, Order

from . import conditions, services
from .forms import STEP_FORMS
from .forms.self_service import (
    AGREEMENT_TEXT,
    STANDING_PARTNER_OF_RECORD_TEXT,
    OfferAttestationStepForm,
    OwnAgreementStepForm,
)
from .views import OrderWizardView

#: Steps only reseller staff answer: who the customer is, and the reseller's own partner details.
RESELLER_ONLY_STEPS = frozenset({"customer", "partner"})
SELF_SERVICE_FORMS = [
    (
        name,
        {"attestation": OfferAttestationStepForm, "agreement": OwnAgreementStepForm}.get(
            name, form
        ),
    )
    for name, form in STEP_FORMS
    if name not in RESELLER_ONLY_STEPS
]
NOT_READY_TEMPLATE = "wizard/self_service_not_ready.html"


# --- Conditions: the reseller wizard's, with the customer's own tenant fixed when it has one ---


def has_own_tenant(wizard) -> bool:
    return wizard.selected_customer().has_tenant


def tenant_needed(wizard) -> bool:
    """A customer that already has a tenant orders into it; one without chooses, as resellers do."""
    return not has_own_tenant(wizard)


def offer_attestation_needed(wizard) -> bool:
    """Only offer attestations are asked of a customer, so the step shows only for such offers."""
    return any(line.product.offer_attestation_required for line in wizard.cart_lines)


def agreement_needed(wizard) -> bool:
    """The customer's own tenant: ask unless the marketplace says its MCA is in place."""
    if has_own_tenant(wizard):
        return not wizard.own_tenant_mca_in_place()
    return conditions.agreement_needed(wizard)


def qualification_needed(wizard) -> bool:
    return conditions.qualification_needed(wizard)


CONDITIONS = {
    "tenant": tenant_needed,
    "attestation": offer_attestation_needed,
    "agreement": agreement_needed,
    "qualification": qualification_needed,
}


class SelfServiceWizardView(OrderWizardView):
    form_list = SELF_SERVICE_FORMS
    condition_dict = CONDITIONS
    allowed_roles = (User.Role.CUSTOMER_USER,)
    channel = Order.Channel.SELF_SERVICE

    def dispatch(self, request, *args, **kwargs):
        """Refuse with a page that says why, before any step is shown or stored."""
        if user_has_role(request.user, User.Role.CUSTOMER_USER):
            reseller = self.selected_customer().reseller
            if not reseller.self_service_enabled:
                return self_service_refusal(request)
            if not reseller.is_partner_ready:
                return render(request, NOT_READY_TEMPLATE, {"reseller": reseller})
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.cart_lines and kwargs.get("step") in (None, "cart"):
            messages.info(request, _("Choose the plans you want from the catalogue first."))
            return redirect("catalog:list")
        return super().get(request, *args, **kwargs)

    # --- The fixed parts: the reseller, the customer and (when it has one) its tenant -------

    @cached_property
    def reseller(self) -> Reseller:
        return self.selected_customer().reseller

    def selected_customer(self) -> Customer:
        """Return the signed-in user's own company: never a customer named by the request.

        Read once per request with its reseller and the reseller's marketplace connection
        (the refusal check, the steps and the marketplace checks all use them), and kept on
        the user, where the page's header reads it. Contacts are read when needed (the
        agreement step), not on every step.
        """
        if not hasattr(self, "_own_customer"):
            self._own_customer = Customer.objects.select_related("reseller__connection").get(
                pk=self.request.user.customer_id
            )
            self.request.user.customer = self._own_customer
        return self._own_customer

    def fixed_steps(self) -> dict:
        customer = self.selected_customer()
        steps = {"customer": {"customer": customer}}
        if customer.has_tenant:
            steps["tenant"] = {
                "tenant_preference": conditions.TENANT_EXISTING,
                "microsoft_domain": customer.tenant_domain,
                "microsoft_tenant_id": str(customer.tenant_id or ""),
            }
        return steps

    def cleaned_steps(self, *, until="review"):
        return {**super().cleaned_steps(until=until), **self.fixed_steps()}

    def build_request(self, *, steps):
        """Add the reseller's standing Partner of Record attestation, which order_place requires."""
        request = super().build_request(steps=steps)
        texts = {
            **request.attestation_texts,
            Attestation.Kind.PARTNER_OF_RECORD.value: STANDING_PARTNER_OF_RECORD_TEXT.format(
                reseller=self.reseller.name
            ),
        }
        if request.agreement is not None:
            texts[Attestation.Kind.CUSTOMER_AGREEMENT.value] = AGREEMENT_TEXT
        return dataclasses.replace(
            request, partner_of_record_accepted=True, attestation_texts=texts
        )

    def own_tenant_mca_in_place(self) -> bool:
        """Ask the marketplace once per draft whether the own tenant's MCA is in place.

        The reseller wizard learns it on the tenant step, which a customer with a
        tenant never sees; the answer is kept with the draft, nowhere else. Not
        knowing (the marketplace unreachable) asks for the agreement.
        """
        extra = self.storage.extra_data
        if conditions.MCA_IN_PLACE not in extra:
            customer = self.selected_customer()
            try:
                check = services.tenant_check(
                    reseller=self.reseller,
                    customer=customer,
                    tenant=customer.tenant_domain or str(customer.tenant_id),
                )
            except ValidationError:
                return False
            extra[conditions.MCA_IN_PLACE] = bool(check.mca_accepted)
            self.storage.extra_data = extra
        return bool(extra[conditions.MCA_IN_PLACE])

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context["self_service"] = True
        return context

"""The reseller's partner profile: MPN ID and indirect-reseller tenant, checked upstream."""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView
from django.views.generic.edit import FormView

from customers.forms import PartnerProfileForm, ResellerPreferencesForm
from customers.models import Reseller
from customers.notices import SELF_SERVICE_MICROSOFT_NOTICE
from customers.permissions import ReadOnlyForSupportMixin, ResellerRequiredMixin
from customers.services import reseller_check_partner
from customers.upstream import client_for
from marketplace.exceptions import MarketplaceError
from marketplace.wording import is_busy, marketplace_failure_message

logger = logging.getLogger(__name__)


class PartnerProfileView(ResellerRequiredMixin, ReadOnlyForSupportMixin, UpdateView):
    """Show whether the reseller is READY to order, and let its staff fix it."""

    form_class = PartnerProfileForm
    template_name = "customers/partner_profile.html"

    def get_object(self, queryset=None):
        return self.request.user.reseller

    def get_context_data(self, **kwargs):
        kwargs.setdefault("preferences_form", ResellerPreferencesForm(instance=self.object))
        kwargs.setdefault("self_service_notice", SELF_SERVICE_MICROSOFT_NOTICE)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        reseller = form.save(commit=False)
        if form.has_changed():
            reseller.tier_status = Reseller.TierStatus.UNCHECKED
            reseller.tier_reason = ""
            reseller.tier_checked_at = None
        reseller.save()
        self.check_upstream(reseller)
        return redirect("customers:partner")

    def check_upstream(self, reseller):
        """Ask the marketplace; say what came back, in words that tell what to do next."""
        try:
            with client_for(reseller) as client:
                reseller_check_partner(reseller=reseller, client=client)
        except MarketplaceError as error:
            logger.warning("Reseller %s: partner check failed: %s", reseller.pk, error)
            if is_busy(error):
                text = _("Your MPN ID and tenant are saved. %(failure)s") % {
                    "failure": marketplace_failure_message(
                        error, outcome=_("they were not checked"), next_step=""
                    )
                }
            else:
                text = _(
                    "Your MPN ID and tenant are saved, but the marketplace could not check them "
                    "just now (%(reason)s). Try “Save and check” again in a few minutes."
                ) % {"reason": error.message}
            messages.error(self.request, text)
            return
        if reseller.is_partner_ready:
            messages.success(
                self.request, _("The marketplace confirmed your partner profile: READY.")
            )
        else:
            messages.warning(
                self.request,
                _(
                    "The marketplace answered INQUIRING: fix what it reports "
                    "below, then check again."
                ),
            )


class ResellerPreferencesView(ResellerRequiredMixin, ReadOnlyForSupportMixin, FormView):
    """Save the reseller's preferences from the partner profile page."""

    form_class = ResellerPreferencesForm
    template_name = "customers/partner_profile.html"
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        # The form lives on the partner profile page; a bookmark or a reload lands there.
        return redirect("customers:partner")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user.reseller}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Preferences saved."))
        return redirect("customers:partner")

    def form_invalid(self, form):
        reseller = self.request.user.reseller
        return self.render_to_response(
            {
                "form": PartnerProfileForm(instance=reseller),
                "preferences_form": form,
                "reseller": reseller,
                "object": reseller,
                "self_service_notice": SELF_SERVICE_MICROSOFT_NOTICE,
            },
            status=400,
        )

"""The upcoming renewals page and its auto-renew switch."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from customers.permissions import ReadOnlyForSupportMixin, ResellerRequiredMixin
from orders.models import Subscription

from .selectors import UPCOMING_DAYS, upcoming_renewals
from .services import RenewalChangeRefused, subscription_set_auto_renew


class UpcomingRenewalsView(ResellerRequiredMixin, TemplateView):
    template_name = "renewals/upcoming.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            renewals=upcoming_renewals(self.request.user), days=UPCOMING_DAYS, **kwargs
        )


class AutoRenewView(ResellerRequiredMixin, ReadOnlyForSupportMixin, View):
    def post(self, request, subscription_id):
        try:
            subscription = (
                Subscription.objects.visible_to(request.user)
                .select_related("order", "customer__reseller", "product")
                .get(pk=subscription_id)
            )
        except Subscription.DoesNotExist:
            raise Http404(_("No such subscription.")) from None
        enabled = request.POST.get("auto_renew") == "on"
        try:
            subscription_set_auto_renew(
                subscription=subscription, enabled=enabled, user=request.user
            )
        except RenewalChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                (
                    _("%(product)s for %(customer)s will renew on %(date)s.")
                    if enabled
                    else _("%(product)s for %(customer)s will end on %(date)s.")
                )
                % {
                    "product": subscription.product.name,
                    "customer": subscription.customer.company_name,
                    "date": date_format(subscription.renewal_date, "DATE_FORMAT"),
                },
            )
        return redirect("renewals:upcoming")

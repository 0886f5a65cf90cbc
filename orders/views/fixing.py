"""Fix and resubmit: the failed order's refused step, editable, with the marketplace's words."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..fixing import MESSAGE_FIELDS, fix_form, fix_place_for
from ..services.amending import order_amend_and_resubmit
from ..services.changes import ChangeRefused
from .actions import ResellerOrderMixin


class FixView(ResellerOrderMixin, TemplateView):
    template_name = "orders/fix.html"

    def get(self, request, reference):
        order = self.get_order()
        place = fix_place_for(order)
        if place is None:
            messages.info(
                request, _("This order has nothing to correct: resubmit it or order again.")
            )
            return self.back_to(order)
        return self.render(order, place, fix_form(place, order))

    def post(self, request, reference):
        order = self.get_order()
        place = fix_place_for(order)
        if place is None:
            messages.error(request, _("This order can no longer be corrected."))
            return self.back_to(order)
        form = fix_form(place, order, request.POST)
        if not form.is_valid():
            return self.render(order, place, form, status=400)
        try:
            order_amend_and_resubmit(
                order=order,
                values=form.parameter_values(),
                user=request.user,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Order %(reference)s corrected and sent again.") % {"reference": order.reference},
            )
        return self.back_to(order)

    def render(self, order, place, form, status=200):
        context = self.get_context_data(
            order=order, place=place, form=form, message_field=MESSAGE_FIELDS[place.step]
        )
        return self.render_to_response(context, status=status)

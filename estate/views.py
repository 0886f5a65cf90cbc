"""The estate pages: start an import, and watch it run (htmx refreshes the progress; without
JavaScript the page's own link does).

Runs are found through ``visible_to``: another reseller's run is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from customers.models import Reseller, User
from customers.permissions import ReadOnlyForSupportMixin, RoleRequiredMixin

from .models import ImportRun
from .services import import_run_start

READERS = (User.Role.RESELLER_STAFF, User.Role.SUPPORT, User.Role.ADMIN)
STARTERS = (User.Role.RESELLER_STAFF, User.Role.ADMIN)
RUNS_SHOWN = 20


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == User.Role.ADMIN


class ImportRunListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "estate/runs.html"
    context_object_name = "runs"

    def get_queryset(self):
        runs = ImportRun.objects.visible_to(self.request.user).select_related("reseller")
        return runs[:RUNS_SHOWN]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_start=user.role in STARTERS or user.is_superuser,
            resellers=Reseller.objects.order_by("name") if _is_admin(user) else None,
            **kwargs,
        )


class ImportRunStartView(RoleRequiredMixin, ReadOnlyForSupportMixin, View):
    allowed_roles = STARTERS

    def post(self, request):
        if _is_admin(request.user):
            reseller_id = request.POST.get("reseller", "")
            if not reseller_id.isdigit():
                messages.error(request, _("Choose the reseller whose estate to import."))
                return redirect("estate:runs")
            reseller = get_object_or_404(Reseller, pk=int(reseller_id))
        else:
            reseller = request.user.reseller
        run = import_run_start(reseller=reseller, user=request.user)
        return redirect("estate:run", pk=run.pk)


class ImportRunDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = READERS
    context_object_name = "run"

    def get_template_names(self):
        if self.request.htmx:
            return ["estate/run.html#progress"]
        return ["estate/run.html"]

    def get_object(self, queryset=None):
        runs = ImportRun.objects.visible_to(self.request.user).select_related("reseller")
        try:
            return runs.get(pk=self.kwargs["pk"])
        except ImportRun.DoesNotExist:
            raise Http404(_("No such import.")) from None

"""The bill pages: checks of a period and their mismatches, statements and the PSA export."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from customers.models import Customer, User
from customers.permissions import ReadOnlyForSupportMixin, RoleRequiredMixin

from . import exports
from .forms import ExplainForm, PeriodForm, StatementForm
from .models import BillCheck, Mismatch
from .selectors import bill_checks_for, mismatch_for, mismatches_of
from .services import BillCheckRefused, bill_check_request, mismatch_explain
from .statements import statement_for, statements_for
from .tasks import start_check

READERS = (User.Role.RESELLER_STAFF, User.Role.SUPPORT, User.Role.ADMIN)


class BillPageMixin(RoleRequiredMixin, ReadOnlyForSupportMixin):
    """Reseller staff; support and admins read (they change nothing here)."""

    allowed_roles = READERS


class BillChecksView(BillPageMixin, TemplateView):
    template_name = "billing/checks.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("form", PeriodForm(initial=PeriodForm.last_month()))
        return super().get_context_data(
            checks=bill_checks_for(user)[:50],
            can_check=bool(user.reseller_id),
            statement_form=StatementForm(
                initial=PeriodForm.last_month(), customers=Customer.objects.visible_to(user)
            ),
            **kwargs,
        )

    def post(self, request):
        form = PeriodForm(request.POST)
        if not request.user.reseller_id:
            raise Http404(_("Only a reseller's staff ask for its bill."))
        if form.is_valid():
            start, end = form.period()
            try:
                with transaction.atomic():
                    check = bill_check_request(
                        reseller=request.user.reseller, start=start, end=end, user=request.user
                    )
                    transaction.on_commit(lambda: start_check.delay(check.pk))
            except BillCheckRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The report is requested from the marketplace."))
                return redirect("billing:check", pk=check.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _check_for(user, pk) -> BillCheck:
    return get_object_or_404(BillCheck.objects.visible_to(user).select_related("reseller"), pk=pk)


class BillCheckView(BillPageMixin, TemplateView):
    template_name = "billing/check.html"

    def get_context_data(self, **kwargs):
        check = _check_for(self.request.user, self.kwargs["pk"])
        mismatches = list(mismatches_of(check))
        return super().get_context_data(
            check=check,
            mismatches=mismatches,
            open_count=sum(1 for m in mismatches if m.explained_at is None),
            kinds=Mismatch.Kind,
            can_explain=self.request.user.reseller_id == check.reseller_id,
            explain_form=ExplainForm(),
            **kwargs,
        )


class BillCheckStatusView(BillPageMixin, TemplateView):
    """The check's status, refreshed in place by htmx while the report is generated."""

    template_name = "billing/check.html#status"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            check=_check_for(self.request.user, self.kwargs["pk"]), **kwargs
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context["check"].in_progress:
            response["HX-Refresh"] = "true"  # done: the whole page, with its findings
        return response


class ExplainView(BillPageMixin, View):
    def post(self, request, pk):
        try:
            mismatch = mismatch_for(request.user, pk)
        except Mismatch.DoesNotExist:
            raise Http404(_("No such mismatch.")) from None
        if request.user.reseller_id != mismatch.bill_check.reseller_id:
            raise Http404(_("Only the reseller's staff explain its bill."))
        form = ExplainForm(request.POST)
        target = reverse("billing:check", kwargs={"pk": mismatch.bill_check_id})
        if not form.is_valid():
            messages.error(request, _("Say what explains it: the note is required."))
            return redirect(f"{target}#mismatch-{mismatch.pk}")
        try:
            mismatch_explain(mismatch=mismatch, user=request.user, note=form.cleaned_data["note"])
        except BillCheckRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The mismatch is marked explained."))
        return redirect(f"{target}#mismatch-{mismatch.pk}")


FILE_TYPES = {
    "csv": ("text/csv", exports.statement_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.statement_xlsx,
    ),
    "pdf": ("application/pdf", exports.statement_pdf),
}


class StatementView(BillPageMixin, TemplateView):
    template_name = "billing/statement.html"

    def get(self, request, *args, **kwargs):
        customers = Customer.objects.visible_to(request.user).order_by("company_name")
        bound = "customer" in request.GET
        form = StatementForm(
            request.GET if bound else None, initial=PeriodForm.last_month(), customers=customers
        )
        statement = None
        if bound and form.is_valid():
            start, end = form.period()
            statement = statement_for(customer=form.cleaned_data["customer"], start=start, end=end)
            file_type = FILE_TYPES.get(request.GET.get("format", ""))
            if file_type:
                content_type, render = file_type
                response = HttpResponse(render(statement), content_type=content_type)
                name = f"statement-{statement.customer.pk}-{start}-{end}.{request.GET['format']}"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
        status = 400 if bound and not form.is_valid() else 200
        context = self.get_context_data(
            form=form, statement=statement, query=request.GET.urlencode()
        )
        return self.render_to_response(context, status=status)


class ExportView(BillPageMixin, View):
    """Every customer's statement lines of a period in one CSV, for a PSA or accounting import."""

    def get(self, request):
        if not request.user.reseller_id:
            raise Http404(_("The export is of one reseller's customers."))
        form = PeriodForm(request.GET or None)
        if not form.is_valid():
            messages.error(request, _("Choose the period to export: from and to."))
            return redirect("billing:checks")
        start, end = form.period()
        chunks = exports.all_customers_csv(
            statements_for(reseller=request.user.reseller, start=start, end=end)
        )
        response = StreamingHttpResponse(chunks, content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="customers-{start}-{end}.csv"'
        return response

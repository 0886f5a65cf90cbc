"""The reseller's customers: a searchable list and one customer's page."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from customers.models import Customer, User
from customers.permissions import RoleRequiredMixin

#: Who may read customer pages; which rows they see comes from visible_to().
CUSTOMER_READERS = (User.Role.RESELLER_STAFF, User.Role.SUPPORT, User.Role.ADMIN)


class CustomerListView(RoleRequiredMixin, ListView):
    allowed_roles = CUSTOMER_READERS
    template_name = "customers/customer_list.html"
    context_object_name = "customers"
    paginate_by = 25

    def get_search_query(self):
        return self.request.GET.get("q", "").strip()[:100]

    def get_queryset(self):
        customers = Customer.objects.visible_to(self.request.user).select_related("reseller")
        query = self.get_search_query()
        if query:
            customers = customers.filter(
                Q(company_name__icontains=query)
                | Q(tenant_domain__icontains=query)
                | Q(upstream_customer_id=query)
                | Q(contacts__email__icontains=query)
            ).distinct()
        return customers.order_by("company_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.get_search_query()
        context["show_reseller"] = self.request.user.sees_everything
        return context


class CustomerDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = CUSTOMER_READERS
    template_name = "customers/customer_detail.html"
    context_object_name = "customer"

    def get_object(self, queryset=None):
        customers = Customer.objects.visible_to(self.request.user).select_related("reseller")
        return get_object_or_404(customers, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        customer = self.object
        context["contacts"] = customer.contacts.all()
        # Its orders and subscriptions: orders' tags read them (orders/templatetags/customer_lists).
        context["users"] = customer.users.filter(is_active=True).order_by("username")
        return context

from django.urls import path

from . import live, self_service, views

app_name = "wizard"

order_wizard = views.OrderWizardView.as_view(url_name="wizard:step", done_step_name="done")
self_service_wizard = self_service.SelfServiceWizardView.as_view(
    url_name="wizard:self_service_step", done_step_name="done"
)

urlpatterns = [
    path("", order_wizard, name="start"),
    path("placed/<str:reference>/", views.order_confirmation, name="confirmation"),
    path("live/customers/", live.customer_search, name="customer_search"),
    path("live/tenant-name/", live.tenant_name_check, name="tenant_name_check"),
    path("live/partner/", live.partner_check, name="partner_check"),
    path("live/relationship/", live.relationship_check, name="relationship_check"),
    path("self-service/", self_service_wizard, name="self_service"),
    path("self-service/<str:step>/", self_service_wizard, name="self_service_step"),
    path("<str:step>/", order_wizard, name="step"),
]

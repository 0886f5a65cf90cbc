from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("operations.urls")),
    path("admin/", admin.site.urls),
    path("", include("customers.urls")),
    path("catalog/", include("catalog.urls")),
    path("order/", include("wizard.urls")),
    path("orders/", include("orders.urls")),
    path("subscriptions/", include("orders.subscription_urls")),
    path("support/", include("orders.support_urls")),
    path("evidence/", include("evidence.urls")),
    path("errors/", include("orders.error_urls")),
    path("approvals/", include("orders.approval_urls")),
    path("renewals/", include("renewals.urls")),
    path("api/", include("api.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
]

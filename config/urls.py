from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_GET

from evidence.views import signing_key_view

urlpatterns = [
    path(
        ".well-known/evidence-signing-key",
        require_GET(signing_key_view),
        name="evidence_signing_key",
    ),
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

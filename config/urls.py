from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_GET

from evidence.views import signing_key_view

urlpatterns = [
    path("", include("operations.urls")),
    path(
        ".well-known/evidence-signing-key",
        require_GET(signing_key_view),
        name="evidence_signing_key",
    ),
    path("admin/", admin.site.urls),
    path("", include("home.urls")),
    path("", include("customers.urls")),
    path("catalog/", include("catalog.urls")),
    path("order/", include("wizard.urls")),
    path("", include("orders.urls")),
    path("subscriptions/", include("subscriptions.urls")),
    path("support/", include("support.urls")),
    path("evidence/", include("evidence.urls")),
    path("renewals/", include("renewals.urls")),
    path("billing/", include("billing.urls")),
    path("api/", include("api.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
    path("settings/emails/", include("mail.urls")),
    path("estate/", include("estate.urls")),
    path("prices/", include("pricing.urls")),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("customers.urls")),
    path("catalog/", include("catalog.urls")),
    path("order/", include("wizard.urls")),
    path("orders/", include("orders.urls")),
    path("support/", include("orders.support_urls")),
    path("api/v1/", include("api.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
]

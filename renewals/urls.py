from django.urls import path

from . import views

app_name = "renewals"

urlpatterns = [
    path("", views.UpcomingRenewalsView.as_view(), name="upcoming"),
    path("<int:subscription_id>/auto-renew/", views.AutoRenewView.as_view(), name="auto_renew"),
]

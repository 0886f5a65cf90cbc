from django.urls import path

from . import switching, views

app_name = "subscriptions"

urlpatterns = [
    path("", views.SubscriptionListView.as_view(), name="list"),
    path("<int:pk>/", views.SubscriptionDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/partner-roles/",
        views.PartnerRolesCheckView.as_view(),
        name="partner_roles",
    ),
    path("<int:pk>/switch/", switching.PlanSwitchView.as_view(), name="switch"),
]

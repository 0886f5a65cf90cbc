from django.urls import path

from .views import subscriptions

app_name = "subscriptions"

urlpatterns = [
    path("", subscriptions.SubscriptionListView.as_view(), name="list"),
    path("<int:pk>/", subscriptions.SubscriptionDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/partner-roles/",
        subscriptions.PartnerRolesCheckView.as_view(),
        name="partner_roles",
    ),
]

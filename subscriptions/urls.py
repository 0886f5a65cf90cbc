from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.SubscriptionListView.as_view(), name="list"),
    path("<int:pk>/", views.SubscriptionDetailView.as_view(), name="detail"),
    path("<int:pk>/seats/", views.SubscriptionSeatsView.as_view(), name="seats"),
    path("<int:pk>/cancel/", views.AdoptedCancelView.as_view(), name="cancel_adopted"),
    path(
        "<int:pk>/partner-roles/",
        views.PartnerRolesCheckView.as_view(),
        name="partner_roles",
    ),
]

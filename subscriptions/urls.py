from django.urls import path

from . import renewal_changes, switching, views

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
    path("<int:pk>/switch/", switching.PlanSwitchView.as_view(), name="switch"),
    path("<int:pk>/renewal/", renewal_changes.RenewalChangeView.as_view(), name="renewal_change"),
    path(
        "<int:pk>/renewal/<str:reference>/cancel/",
        renewal_changes.ScheduledCancelView.as_view(),
        name="scheduled_cancel",
    ),
]

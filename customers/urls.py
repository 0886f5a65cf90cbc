from django.contrib.auth import views as auth_views
from django.urls import include, path

from .language import set_language_view
from .views import credentials, customers, partner, two_factor

customer_patterns = [
    path("customers/", customers.CustomerListView.as_view(), name="list"),
    path("customers/<int:pk>/", customers.CustomerDetailView.as_view(), name="detail"),
    path(
        "customers/<int:pk>/credentials/",
        credentials.CredentialsView.as_view(),
        name="credentials",
    ),
    path("partner/", partner.PartnerProfileView.as_view(), name="partner"),
    path(
        "partner/preferences/",
        partner.ResellerPreferencesView.as_view(),
        name="preferences",
    ),
]

urlpatterns = [
    path(
        "accounts/login/",
        two_factor.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/language/", set_language_view, name="set_language"),
    path("accounts/two-factor/", two_factor.TwoFactorView.as_view(), name="two_factor"),
    path(
        "accounts/two-factor/verify/",
        two_factor.VerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "accounts/two-factor/enrol/",
        two_factor.EnrolView.as_view(),
        name="two_factor_enrol",
    ),
    path("", include((customer_patterns, "customers"))),
]

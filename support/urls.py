from django.urls import path

from .views import support

app_name = "support"

urlpatterns = [
    path("", support.SupportSearchView.as_view(), name="search"),
    path("orders/<str:reference>/", support.SupportOrderView.as_view(), name="order"),
]

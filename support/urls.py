from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.SupportSearchView.as_view(), name="search"),
    path("orders/<str:reference>/", views.SupportOrderView.as_view(), name="order"),
]

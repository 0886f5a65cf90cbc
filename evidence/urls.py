from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.EvidenceView.as_view(), name="export"),
    path("verify/", views.EvidenceVerifyView.as_view(), name="verify"),
]

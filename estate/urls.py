from django.urls import path

from . import views

app_name = "estate"

urlpatterns = [
    path("", views.ImportRunListView.as_view(), name="runs"),
    path("start/", views.ImportRunStartView.as_view(), name="start"),
    path("runs/<int:pk>/", views.ImportRunDetailView.as_view(), name="run"),
]

from django.urls import path

from . import views

app_name = "mail"
urlpatterns = [
    path("", views.email_list, name="list"),
    path("log/", views.email_log, name="log"),
    path("<slug:key>/<str:language>/", views.email_edit, name="edit"),
]

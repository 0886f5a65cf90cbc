from django.urls import path

from . import views

app_name = "pricing"
urlpatterns = [
    path("", views.book, name="book"),
    path("rules/<int:rule_pk>/delete/", views.rule_remove, name="rule_delete"),
]

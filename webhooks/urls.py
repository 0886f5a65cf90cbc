from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("<int:endpoint_pk>/", views.endpoint_detail, name="detail"),
    path("<int:endpoint_pk>/rotate/", views.endpoint_rotate, name="rotate"),
    path("messages/<int:message_pk>/replay/", views.message_replay_view, name="replay"),
]

from django.urls import path

from .views.errors import ErrorCatalogueView

app_name = "errors"

urlpatterns = [path("", ErrorCatalogueView.as_view(), name="catalogue")]

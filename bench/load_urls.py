"""The product's URLs and the bare view of bench/load.py (served only by the load test)."""

from django.http import HttpResponse
from django.urls import include, path

BARE_PATH = "_load/bare/"


def bare(request):
    """The anchor: a Django view that does no work of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH, bare), path("", include("config.urls"))]

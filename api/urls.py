"""/api/: version 1 (its document at v1/openapi.json, its reference page at v1/docs).

Mounted at ``api/`` in config/urls.py. Any other path under /api/ is a 404
problem, never an HTML page.
"""

from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from .main import api
from .problems import problem_response


@csrf_exempt
def not_found(request, rest=""):
    """Answer a path under /api/ that names no endpoint."""
    return problem_response(404, _("No endpoint has this path; see /api/v1/docs."))


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]

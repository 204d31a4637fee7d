"""/api/v1/: the API, then a JSON 404 for any other path under it (not the HTML page)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from whistledesk.api.main import api


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^", not_found),
]

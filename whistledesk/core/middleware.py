"""Security headers on every response: a strict Content-Security-Policy with no inline script,
and `Cache-Control: no-store` wherever a page may show something personal."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

# Everything is served from our own origin: no third-party requests, no analytics.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Pages under these paths may show something personal or secret (staff: casework, the audit
# log, a TOTP seed, API tokens; public: the draft form, check answers, the receipt, the
# follow-up inbox), so no browser or proxy may keep a copy. The public information pages
# (start, privacy, accessibility, cookies, policy) and static files are not under them.
PRIVATE_PATH_PREFIXES = ("/staff/", "/admin/", "/api/", "/report/", "/follow-up/")


def is_private_path(path: str) -> bool:
    return path.startswith(PRIVATE_PATH_PREFIXES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin ships inline scripts and styles; it is staff-only and keeps Django's own.
        if not request.path_info.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if is_private_path(request.path_info):
            add_never_cache_headers(response)
        return response


class NulInPathMiddleware:
    """A NUL byte (%00) is never part of one of our addresses: answer "not found" at once.

    Without this a %00 in a reference reaches the database, which PostgreSQL refuses with
    an error (a 500) instead of finding nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            from whistledesk.core.views import page_not_found

            return page_not_found(request)
        return self.get_response(request)

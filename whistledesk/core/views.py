"""Error pages: plain, branded, never a stack trace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    # Signed-in staff keep their menu on an error page; everyone else sees the public frame.
    user = getattr(request, "user", None)
    # The path inside the organisation (ADR 0017): `/cco/staff/...` is a staff page too.
    staff = request.path_info.startswith("/staff/") and bool(user and user.is_authenticated)
    template = "whistledesk/error_staff.html" if staff else "whistledesk/error.html"
    try:
        html: str = render_to_string(template, {"title": title, "body": body}, request=request)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        html = f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1><p>{body}</p>"
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, _("Sorry, there is a problem with that request"), _("Go back and try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("You do not have permission to see this page"),
        _("If you think you should, ask a manager to check your role."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("If you typed the web address, check it is correct."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Sorry, there is a problem with the service"),
        _("Nothing you sent has been lost. Try again later."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Your session has expired or the form was out of date"),
        _("Go back, reload the page and send the form again. Nothing has been saved yet."),
    )

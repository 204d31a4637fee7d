"""Every API error is JSON with a clear message: {"detail": "...", "field": ...}.

Domain errors carry messages written for people, so they are passed on as they are.
Nothing else is: an unexpected error gives a generic message, and its log line names
only the exception type and the endpoint (a message could quote stored values).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from whistledesk.cases.workflow import TransitionRefused
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.organisation.selectors import NotConfigured

logger = logging.getLogger("whistledesk.api")

UNAUTHORISED = (
    "Send a valid API token: 'Authorization: Bearer <token>'. Create one on your account's "
    "API tokens page. Tokens that are revoked, expired or belong to an inactive account "
    "are refused."
)


def error(api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any) -> Any:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    # loc is (source, field, ...): the source (query, path, body) is noise to a caller.
    # The rejected input is not echoed back.
    items = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())[1:]]
        items.append({"field": ".".join(loc) or "body", "message": str(e.get("msg", "invalid"))})
    text = "; ".join(f"{i['field']}: {i['message']}" for i in items) or "The request is invalid."
    return text, items


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (replacing ninja's defaults)."""

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error(api, request, 401, UNAUTHORISED)
        response["WWW-Authenticate"] = 'Bearer realm="whistledesk"'
        return response

    @api.exception_handler(NotPermitted)
    def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
        return error(api, request, 403, exc.message)

    @api.exception_handler(TransitionRefused)
    def refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
        # 409: the request is well formed but the case's state does not allow it.
        return error(api, request, 409, exc.message, field=exc.field)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error(api, request, 422, exc.message, field=exc.field)

    @api.exception_handler(NotConfigured)
    def not_configured(request: HttpRequest, exc: NotConfigured) -> HttpResponse:
        return error(api, request, 409, str(exc))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        text, items = _validation_message(exc.errors)
        return error(api, request, 422, text, errors=items)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(api, request, 404, "Not found.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(api, request, exc.status_code, exc.message)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error(
            "API error %s in %s %s",
            type(exc).__name__,
            request.method,
            getattr(request.resolver_match, "route", "?"),
        )
        return error(api, request, 500, "Something went wrong on our side. Try again later.")

"""Template context shared by every page: the service and organisation names, local mode."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.organisation.texts import localised


def _organisation_name() -> str:
    """The organisation's name in the page's language (Welsh on a Welsh page)."""
    try:
        return localised(organisation_get(), "name")
    except NotConfigured:
        return "Whistledesk"


def branding(request: HttpRequest) -> dict[str, str | bool]:
    return {
        "service_name": settings.WHISTLEDESK_SERVICE_NAME,
        "organisation_name": _organisation_name(),
        # `make run` (local settings): every page says it is not a real service.
        "local_mode": getattr(settings, "WHISTLEDESK_LOCAL_MODE", False),
    }

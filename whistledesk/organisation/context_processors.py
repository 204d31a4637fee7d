"""Template context shared by every page: the service and organisation names, local mode."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from whistledesk.organisation.selectors import organisation_name_or_default


def branding(request: HttpRequest) -> dict[str, str | bool]:
    return {
        "service_name": settings.WHISTLEDESK_SERVICE_NAME,
        "organisation_name": organisation_name_or_default(),
        # `make run` (local settings): every page says it is not a real service.
        "local_mode": getattr(settings, "WHISTLEDESK_LOCAL_MODE", False),
    }

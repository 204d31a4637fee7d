"""Start-up checks of the email settings (`whistledesk check`, `check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def notify_settings_complete(**kwargs: Any) -> list[checks.CheckMessage]:
    if settings.NOTIFY_API_KEY and not settings.NOTIFY_EMAIL_TEMPLATE_ID:
        return [
            checks.Error(
                "NOTIFY_API_KEY is set but NOTIFY_EMAIL_TEMPLATE_ID is not.",
                hint="Make a Notify email template with subject ((subject)) and body ((body)) "
                "and set NOTIFY_EMAIL_TEMPLATE_ID to its id.",
                id="whistledesk.E101",
            )
        ]
    return []


@checks.register(checks.Tags.compatibility, deploy=True)
def email_is_sent(**kwargs: Any) -> list[checks.CheckMessage]:
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return [
            checks.Info(
                "Staff alerts are printed by the worker, not sent.",
                hint="Set EMAIL_HOST (SMTP) or NOTIFY_API_KEY (GOV.UK Notify): "
                "docs/operations.md, 'Background worker and email'.",
                id="whistledesk.I101",
            )
        ]
    return []

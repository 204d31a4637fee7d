"""A Django email backend that sends through GOV.UK Notify (notifications-python-client).

Notify sends only from templates: the office makes one email template whose subject is
((subject)) and whose body is ((body)), and names it with NOTIFY_EMAIL_TEMPLATE_ID.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        if not settings.NOTIFY_API_KEY or not settings.NOTIFY_EMAIL_TEMPLATE_ID:
            raise ImproperlyConfigured(
                "GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID."
            )
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL
        )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            for to in message.recipients():
                try:
                    self.client.send_email_notification(
                        email_address=to,
                        template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        return sent

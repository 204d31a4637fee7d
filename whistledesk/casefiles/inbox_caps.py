"""Caps on what one case's whistleblower can send through the follow-up inbox.

The receipt opens one case's inbox, and its holder is anonymous: a per-client throttle
cannot tell two senders apart behind one address, nor one sender across addresses. So the
case itself carries the caps, counted from the database (no cache, no client address):

- messages from the whistleblower: at most WHISTLEDESK_INBOX_MESSAGES_PER_HOUR in any hour
  and WHISTLEDESK_INBOX_MESSAGES_PER_DAY in any 24 hours (sliding windows);
- files from the whistleblower (sent with the disclosure and since): at most
  WHISTLEDESK_INBOX_FILE_MB_PER_CASE megabytes in all.

`message_from_source` checks before cleaning any file (so an over-cap sender costs no mat2
run) and again inside its transaction with the case's source account row locked, so two
concurrent sends cannot both slip under a cap.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from whistledesk.casefiles.models import Attachment, Direction, Message
from whistledesk.cases.models import Disclosure
from whistledesk.core.exceptions import DomainError

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


class InboxCapReached(DomainError):
    """This case has sent as much as we accept for now. The message says when or what."""


def _wait(until: timedelta) -> str:
    minutes = max(1, math.ceil(until.total_seconds() / 60))
    if minutes <= 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"


def inbox_caps_check(*, disclosure: Disclosure, adding_bytes: int) -> None:
    """Raise InboxCapReached if one more message (with `adding_bytes` of files) is too many."""
    now = timezone.now()
    per_hour = int(settings.WHISTLEDESK_INBOX_MESSAGES_PER_HOUR)
    per_day = int(settings.WHISTLEDESK_INBOX_MESSAGES_PER_DAY)
    sent = Message.objects.filter(
        disclosure=disclosure, direction=Direction.FROM_SOURCE, created_at__gt=now - DAY
    ).aggregate(
        day=Count("id"),
        hour=Count("id", filter=Q(created_at__gt=now - HOUR)),
        first_in_day=Min("created_at"),
        first_in_hour=Min("created_at", filter=Q(created_at__gt=now - HOUR)),
    )
    if sent["hour"] >= per_hour:
        wait = _wait((sent["first_in_hour"] or now) + HOUR - now)
        raise InboxCapReached(
            f"You have sent {sent['hour']} messages in the last hour, the most we accept for "
            f"one case. We have them all. Send this one in {wait}.",
            field="text",
        )
    if sent["day"] >= per_day:
        wait = _wait((sent["first_in_day"] or now) + DAY - now)
        raise InboxCapReached(
            f"You have sent {sent['day']} messages in the last 24 hours, the most we accept "
            f"for one case. We have them all. Send this one in {wait}.",
            field="text",
        )
    if adding_bytes:
        most = int(settings.WHISTLEDESK_INBOX_FILE_MB_PER_CASE) * 1024 * 1024
        # Files from the whistleblower have no staff author.
        stored = (
            Attachment.objects.filter(disclosure=disclosure, created_by__isnull=True).aggregate(
                total=Sum("size")
            )["total"]
            or 0
        )
        if stored + adding_bytes > most:
            left = max(0, most - stored) / (1024 * 1024)
            raise InboxCapReached(
                f"You have sent {stored / (1024 * 1024):,.0f} MB of files for this case; the "
                f"most we accept is {most // (1024 * 1024):,} MB in all, so there is room for "
                f"{left:,.1f} MB more. Send a smaller file, or write to us without a file and "
                "we will tell you how to send the rest.",
                field="file",
            )


__all__ = ["InboxCapReached", "inbox_caps_check"]

"""The worker's job that reads the mailbox (scheduled by notifications.scheduler)."""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from whistledesk.mailintake.imap import MailboxUnavailable

logger = logging.getLogger(__name__)


@task()
def mailbox_poll() -> str:
    from whistledesk.mailintake.services import mailbox_poll as poll

    try:
        result = poll()
    except ImproperlyConfigured as exc:
        # Which organisation the mailbox feeds is not settled: nothing is read or moved.
        logger.error("Mailbox not read: %s", exc)
        return "not configured"
    except MailboxUnavailable as exc:
        # Nothing is lost: what was not committed is still in the folder for the next poll.
        logger.warning("Mailbox not read this time: %s", exc)
        return "unavailable"
    return f"taken {len(result.taken)}, already {result.already}, left {result.left}"

"""Start-up check of the mailbox settings (`whistledesk check`): a half-set mailbox says so
when the service starts, not in the worker's log a minute later."""

from __future__ import annotations

import os
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from whistledesk.mailintake.config import MailboxConfig, mailbox_configured


@checks.register(checks.Tags.compatibility)
def mailbox_settings_complete(**kwargs: Any) -> list[checks.CheckMessage]:
    if not mailbox_configured():
        return []
    hint = "docs/operations.md, 'Email intake'."
    try:
        config = MailboxConfig.from_env()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint=hint, id="whistledesk.E141")]
    except ValueError:
        return [
            checks.Error("WHISTLEDESK_IMAP_PORT is not a number.", hint=hint, id="whistledesk.E142")
        ]
    if config.ca_file and not os.path.isfile(config.ca_file):
        return [
            checks.Error(
                "WHISTLEDESK_IMAP_CA_FILE names a file that does not exist.",
                hint=hint,
                id="whistledesk.E143",
            )
        ]
    return []

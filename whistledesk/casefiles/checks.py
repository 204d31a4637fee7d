"""System check: mat2, which removes metadata from every uploaded file, is installed.

Without it every upload is refused (the whistleblower is told the file could not be
cleaned), so an installation missing it must say so before anyone uses it.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.checks import CheckMessage, Warning, register

from whistledesk.casefiles import attachments


@register()
def mat2_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if os.access(attachments.MAT2, os.X_OK):
        return []
    return [
        Warning(
            f"mat2 is not installed at {attachments.MAT2}: every uploaded file would be "
            "refused, because its metadata cannot be removed.",
            hint="Install Debian's package: sudo apt-get install mat2 (or run `make run`, "
            "which installs it when it can).",
            id="whistledesk.W002",
        )
    ]


@register()
def source_email_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A sending key that is set but unreadable would switch whistleblowers' emails off
    without a word (docs/adr/0011): say so instead."""
    from django.conf import settings

    from whistledesk.casefiles.source_email import key_is_readable

    bad = [
        name
        for name in ("WHISTLEDESK_SOURCE_EMAIL_KEY", "WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY")
        if getattr(settings, name, "") and not key_is_readable(getattr(settings, name))
    ]
    return [
        Warning(
            f"{name} is not a base64-encoded 32-byte key: whistleblowers are not offered "
            "new-message emails.",
            hint="Make one as docs/operations.md says (Background worker and email).",
            id="whistledesk.W010",
        )
        for name in bad
    ]

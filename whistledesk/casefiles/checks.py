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

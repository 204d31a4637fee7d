"""System checks (`whistledesk check`, and before runserver or migrate) for a set-up that
would otherwise degrade without a word: a site served with no styles."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.core.checks import CheckMessage, Warning, register

# The stylesheet `npm run build` (make assets) writes; every page links it.
FRONTEND_BUILD_FILE = "build/whistledesk.css"


@register()
def frontend_build_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if finders.find(FRONTEND_BUILD_FILE):
        return []
    return [
        Warning(
            f"The front-end build is missing: no static file {FRONTEND_BUILD_FILE}, so every "
            "page would be served without its styles.",
            hint="In a checkout run `make assets` (needs npm); an installed wheel includes it. "
            "Then run `whistledesk collectstatic` in production.",
            id="whistledesk.W001",
        )
    ]

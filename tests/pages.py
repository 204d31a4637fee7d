"""Helpers for comparing whole pages in tests."""

from __future__ import annotations

import re

# A signed-in page (the staff error page too) carries the sign-out form's CSRF token, which
# is new on every response: two answers that must be the same are compared without it.
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf(content: bytes) -> bytes:
    return _CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content)

"""Production: refuses to start without its secrets; HTTPS-only cookies, HSTS."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
# Server-side pepper for receipt lookups (docs/adr/0002): never in the database or a backup.
WHISTLEDESK_RECEIPT_PEPPER = _required("WHISTLEDESK_RECEIPT_PEPPER")
# No disclosure is accepted until `whistledesk create_recovery_key` has been run.
WHISTLEDESK_REQUIRE_RECOVERY_KEY = True
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Two-factor sign-in for all staff, always, in production.
WHISTLEDESK_REQUIRE_2FA = True
# No CACHES: rate limits live in the database (intake.throttle, docs/adr/0006), not a cache.

"""Test mode: the database comes from DATABASE_URL (SQLite file by default, PostgreSQL in CI)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_from_env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
WHISTLEDESK_RECEIPT_PEPPER = "test-only-receipt-pepper"  # noqa: S105
# Whistleblowers' notice emails on, with a fixed test-only sending key (docs/adr/0011).
WHISTLEDESK_SOURCE_EMAIL_KEY = "dGVzdC1vbmx5LXNvdXJjZS1lbWFpbC1rZXktMzJieXQ="  # noqa: S105
# Argon2id at libsodium's minimum cost so the suite stays fast (docs/adr/0002).
WHISTLEDESK_KDF_FAST_FOR_TESTS = True
DEBUG = False
_tmp = Path(tempfile.gettempdir()) / "whistledesk-test"
_tmp.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": database_from_env(_tmp / "test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so the live server and browser tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / f"test-{os.getpid()}.sqlite3")}
MEDIA_ROOT = _tmp / "files"
# Fast hashing in tests except where a test asks for the real one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Off so tests of other features sign in with force_login; tests/accounts turn it on.
WHISTLEDESK_REQUIRE_2FA = False

"""Local mode: zero set-up. SQLite under ./data, a secret key made once and kept there."""

from __future__ import annotations

import base64
import os
import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR


def _private_data_dir() -> None:
    # Owner only: it holds the SQLite database and the generated secrets.
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _local_secret_key() -> str:
    env = os.environ.get("DJANGO_SECRET_KEY")
    if env:
        return env
    _private_data_dir()
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once cannot both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _local_receipt_pepper() -> str:
    """Like the secret key: from the environment, else made once and kept in DATA_DIR."""
    env = os.environ.get("WHISTLEDESK_RECEIPT_PEPPER")
    if env:
        return env
    _private_data_dir()
    path = DATA_DIR / "receipt_pepper"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def _local_source_email_key() -> str:
    """The sending key for whistleblowers' notice emails (docs/adr/0011), like the pepper."""
    env = os.environ.get("WHISTLEDESK_SOURCE_EMAIL_KEY")
    if env or os.environ.get("WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY"):
        return env or ""
    _private_data_dir()
    path = DATA_DIR / "source_email_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip()


# Off unless asked for (DJANGO_DEBUG=1): Django's debug pages list every URL and setting to
# whoever asks, and a local copy is often shown to others. Every page carries a banner instead.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
WHISTLEDESK_LOCAL_MODE = True
SECRET_KEY = _local_secret_key()
WHISTLEDESK_RECEIPT_PEPPER = _local_receipt_pepper()
WHISTLEDESK_SOURCE_EMAIL_KEY = _local_source_email_key()
WHITENOISE_USE_FINDERS = True
# Local only: rebuilt assets are served without a restart (and no warning about an empty
# STATIC_ROOT, which local mode never fills).
WHITENOISE_AUTOREFRESH = True
# One-step demo sign-in locally; a banner prompts staff to set up two-factor.
WHISTLEDESK_REQUIRE_2FA = os.environ.get("WHISTLEDESK_REQUIRE_2FA", "0") == "1"

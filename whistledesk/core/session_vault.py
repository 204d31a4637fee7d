"""Secrets kept in the session, encrypted with a key that only the browser's cookie holds.

A staff member's unlocked private key, a whistleblower's unlocked key and a half-filled
public form all have to survive between requests. The session table must not reveal them
(a stolen database or backup), so each value is encrypted with a random per-browser key
sent only as an HttpOnly cookie and never stored on the server. Losing the cookie loses the
values: the person signs in again, nothing else breaks.

Use `request.vault.put(name, value)`, `request.vault.get(name)`, `request.vault.clear()`.
At sign-in call `request.vault.rotate()`: a new key and cookie, so a key planted in or copied
from the browser before sign-in opens nothing put there afterwards.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from whistledesk.core.crypto import DecryptionFailed, new_secret_key, secret_decrypt, secret_encrypt

COOKIE_NAME = "wd_vault"
_SESSION_PREFIX = "vault:"


class SessionVault:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._key: bytes | None = None
        self.new_key = False
        raw = request.COOKIES.get(COOKIE_NAME, "")
        try:
            key = base64.urlsafe_b64decode(raw.encode()) if raw else b""
        except (binascii.Error, ValueError):
            key = b""
        if len(key) == 32:
            self._key = key

    def _ensure_key(self) -> bytes:
        if self._key is None:
            self._key = new_secret_key()
            self.new_key = True
        return self._key

    def put(self, name: str, value: bytes) -> None:
        token = secret_encrypt(self._ensure_key(), value)
        self._request.session[_SESSION_PREFIX + name] = base64.b64encode(token).decode()

    def get(self, name: str) -> bytes | None:
        stored = self._request.session.get(_SESSION_PREFIX + name)
        if stored is None or self._key is None:
            return None
        try:
            return secret_decrypt(self._key, base64.b64decode(stored))
        except (DecryptionFailed, binascii.Error, ValueError):
            return None

    def delete(self, name: str) -> None:
        self._request.session.pop(_SESSION_PREFIX + name, None)

    def clear(self) -> None:
        # SessionBase has keys() but no __iter__.
        names = [k for k in self._request.session.keys() if k.startswith(_SESSION_PREFIX)]  # noqa: SIM118
        for key in names:
            del self._request.session[key]

    def rotate(self, *, keep: bool = False) -> None:
        """Start a new key (sent as a new cookie with the response).

        Values are forgotten, or with `keep=True` re-encrypted under the new key (a
        whistleblower's half-filled form survives their signing in to the inbox).
        """
        names = [k for k in self._request.session.keys() if k.startswith(_SESSION_PREFIX)]  # noqa: SIM118
        kept = {k: self.get(k[len(_SESSION_PREFIX) :]) for k in names} if keep else {}
        self.clear()
        self._key = new_secret_key()
        self.new_key = True
        for key, value in kept.items():
            if value is not None:
                self.put(key[len(_SESSION_PREFIX) :], value)

    @property
    def cookie_value(self) -> str:
        return base64.urlsafe_b64encode(self._ensure_key()).decode()


class SessionVaultMiddleware:
    """Attaches `request.vault` and sets the key cookie when a new key was made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        vault = SessionVault(request)
        request.vault = vault  # type: ignore[attr-defined]
        response = self.get_response(request)
        if vault.new_key:
            response.set_cookie(
                COOKIE_NAME,
                vault.cookie_value,
                max_age=None,  # a browser-session cookie: gone when the browser closes
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

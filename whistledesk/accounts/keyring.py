"""A signed-in member of staff's private key, kept unlocked in the session vault.

At sign-in, `staff_key_unlock(request, user, password)` unwraps the private key with the
password (making a key pair first for an account that has none) and puts it in
`request.vault`, encrypted with a key only the browser cookie holds. Views that decrypt
call `staff_private_key(request)`; if it raises `KeyLocked`, ask the person to sign in
again (the vault cookie was lost, or the session predates the key).

    from whistledesk.accounts.keyring import KeyLocked, staff_private_key
    try:
        private_key = staff_private_key(request)
    except KeyLocked as exc:
        messages.error(request, exc.message)
        return redirect_to_login(request.get_full_path())
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from whistledesk.accounts.models import User
from whistledesk.accounts.services import user_keys_reset
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError

VAULT_NAME = "staff_private_key"

logger = logging.getLogger(__name__)


class KeyLocked(DomainError):
    """The private key is not unlocked in this session."""

    def __init__(self) -> None:
        super().__init__("Sign in again to unlock case files.")


def staff_key_unlock(request: HttpRequest, user: User, password: str) -> None:
    """Unlock `user`'s private key with `password` into the session vault.

    Call only after `password` has been checked against the account (authentication has
    succeeded). An account with no key pair, or one whose key was wrapped under a password
    that was since reset by an administrator, gets a new key pair (and loses its case
    grants: see `user_keys_reset`).
    """
    private: bytes | None = None
    if user.encrypted_private_key is not None and user.key_salt is not None:
        try:
            private = crypto.unwrap_private_key(
                bytes(user.encrypted_private_key), password, bytes(user.key_salt)
            )
        except crypto.DecryptionFailed:
            logger.warning("staff key for user id %s did not unlock: making a new one", user.pk)
    if private is None:
        private = user_keys_reset(actor=user, user=user, password=password)
    # A new vault key at sign-in: whoever set or saw the browser's earlier vault cookie
    # cannot open the key put there now.
    request.vault.rotate()  # type: ignore[attr-defined]
    request.vault.put(VAULT_NAME, private)  # type: ignore[attr-defined]


def staff_private_key(request: HttpRequest) -> bytes:
    """The signed-in user's private key, or KeyLocked."""
    user = request.user
    vault = getattr(request, "vault", None)
    if vault is None or not user.is_authenticated or user.public_key is None:  # type: ignore[union-attr]
        raise KeyLocked()
    # Keys are an organisation's (ADR 0017): an account is never unlocked on another's pages.
    org = getattr(request, "organisation", None)
    if org is not None and getattr(user, "organisation_id", None) != org.pk:
        raise KeyLocked()
    private = vault.get(VAULT_NAME)
    if private is None:
        raise KeyLocked()
    # A key left from another account or an earlier key pair must not be used.
    try:
        matches = crypto.constant_time_equal(crypto.public_key_of(private), bytes(user.public_key))  # type: ignore[union-attr]
    except crypto.DecryptionFailed:
        matches = False
    if not matches:
        vault.delete(VAULT_NAME)
        raise KeyLocked()
    return private

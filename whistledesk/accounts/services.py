"""Writes to staff accounts: creation, key pairs, password change, deactivation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError, NotPermitted


def _set_new_keypair(user: User, password: str) -> bytes:
    """Give `user` a fresh key pair wrapped with `password`; returns the private key."""
    public, private = crypto.generate_keypair()
    salt = crypto.new_salt()
    user.public_key = public
    user.key_salt = salt
    user.encrypted_private_key = crypto.wrap_private_key(private, password, salt)
    return private


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    roles: list[Role],
    is_superuser: bool = False,
) -> User:
    user = User(username=username, is_staff=is_superuser, is_superuser=is_superuser)
    user.set_password(password)
    _set_new_keypair(user, password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=username,
        details={"roles": sorted(r.value for r in roles)},
    )
    return user


@transaction.atomic
def user_keys_reset(*, actor: Any, user: User, password: str) -> bytes:
    """A new key pair for `user`, wrapped with `password`; returns the private key.

    For an account made without one (createsuperuser), and for one whose password was
    set behind the key's back (an administrator's reset): the old private key cannot be
    recovered, so its case grants are useless and are removed; a manager grants the cases
    again. Callers have already checked `password` against the account.
    """
    from whistledesk.casefiles.models import KeyGrant  # casefiles depends on accounts

    locked = User.objects.select_for_update().get(pk=user.pk)
    had_key = locked.public_key is not None
    private = _set_new_keypair(locked, password)
    locked.save(update_fields=["public_key", "key_salt", "encrypted_private_key"])
    revoked, _ = KeyGrant.objects.filter(user=locked).delete()
    for field in ("public_key", "key_salt", "encrypted_private_key"):
        setattr(user, field, getattr(locked, field))
    audit_record(
        actor=actor,
        action="user.keys_reset" if had_key else "user.keys_created",
        object_type="user",
        object_id=user.get_username(),
        details={"grants_removed": revoked},
    )
    return private


@transaction.atomic
def user_set_password(*, actor: Any, user: User, old_password: str, new_password: str) -> User:
    """Change a password and re-wrap the private key with it (cases stay readable).

    The view must call `update_session_auth_hash` afterwards if `user` is signed in.
    """
    if len(old_password) > crypto.MAX_SECRET_CHARS or len(new_password) > crypto.MAX_SECRET_CHARS:
        raise DomainError("Passwords must be shorter than 1,024 characters.", field="new_password")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.check_password(old_password):
        raise DomainError("Your current password is not correct.", field="old_password")
    try:
        validate_password(new_password, user=locked)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password") from exc
    rewrapped = False
    if locked.encrypted_private_key is not None and locked.key_salt is not None:
        try:
            private = crypto.unwrap_private_key(
                bytes(locked.encrypted_private_key), old_password, bytes(locked.key_salt)
            )
        except crypto.DecryptionFailed:
            private = None
        if private is not None:
            salt = crypto.new_salt()
            locked.key_salt = salt
            locked.encrypted_private_key = crypto.wrap_private_key(private, new_password, salt)
            rewrapped = True
    locked.set_password(new_password)
    locked.save(update_fields=["password", "key_salt", "encrypted_private_key"])
    audit_record(
        actor=actor,
        action="user.password_changed",
        object_type="user",
        object_id=locked.get_username(),
        details={"key_rewrapped": rewrapped},
    )
    if not rewrapped:
        # No usable key under the old password: start afresh under the new one.
        user_keys_reset(actor=actor, user=locked, password=new_password)
    return locked


def _require_manager(actor: Any) -> None:
    if isinstance(actor, User) and not (actor.is_superuser or actor.has_role(Role.MANAGER)):
        raise NotPermitted("Only a manager can deactivate a member of staff.")


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> User:
    """Deactivate an account and delete every case key sealed to it.

    What the person already read cannot be unread; from now on the database gives them
    no key, even with their password and a copy of the database.
    """
    from whistledesk.casefiles.models import KeyGrant  # casefiles depends on accounts

    _require_manager(actor)
    if isinstance(actor, User) and actor.pk == user.pk:
        raise DomainError("You cannot deactivate your own account.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    revoked, _ = KeyGrant.objects.filter(user=locked).delete()
    audit_record(
        actor=actor,
        action="user.deactivated",
        object_type="user",
        object_id=locked.get_username(),
        details={"grants_revoked": revoked},
    )
    return locked

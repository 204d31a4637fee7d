"""Writes to staff accounts: creation, key pairs, password change, deactivation."""

from __future__ import annotations

from collections.abc import Iterable
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


def _require_manager(actor: Any, doing: str = "manage staff accounts") -> None:
    """Only an active manager changes staff accounts from the product. A non-User actor is
    the system (a management command run on the server, or a test fixture)."""
    if isinstance(actor, User) and not actor.has_role(Role.MANAGER):
        raise NotPermitted(f"Only a manager can {doing}.")


def _require_same_organisation(actor: Any, user: User) -> None:
    """A manager changes only their own organisation's accounts (ADR 0017). The pages never
    offer another's (404); this keeps every other caller to the same rule."""
    if isinstance(actor, User) and actor.organisation_id != user.organisation_id:
        raise NotPermitted("Managers change their own organisation's staff only.")


def _clean_roles(roles: Iterable[Role | str]) -> list[Role]:
    return sorted({Role(r) for r in roles}, key=list(Role).index)


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    roles: Iterable[Role | str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    organisation: Any = None,
) -> User:
    """A new member of staff of `organisation` with `roles`, and a key pair wrapped with
    `password`. The organisation is the manager's own; with no manager (a command), the one
    named, else the one the command runs for (organisation/tenancy.py).

    From the people pages the password is a first password that the manager gives the
    person, who changes it (keeping their key) on their "Change your password" page.
    """
    _require_manager(actor, "add members of staff")
    username = username.strip()
    if not username:
        raise DomainError("Enter a username.", field="username")
    if isinstance(actor, User):
        if organisation is not None and organisation.pk != actor.organisation_id:
            raise NotPermitted("Managers add staff to their own organisation only.")
        organisation = actor.organisation
    elif organisation is None:
        from whistledesk.organisation import tenancy
        from whistledesk.organisation.models import Organisation

        organisation = tenancy.current() or tenancy.sole_organisation()
        if organisation is None and Organisation.objects.exists():
            raise DomainError(
                "This installation has several organisations: say which one the account is "
                "for (--organisation SLUG)."
            )
    if User.objects.filter(organisation=organisation, username__iexact=username).exists():
        raise DomainError("That username is already taken: choose another.", field="username")
    if len(password) > crypto.MAX_SECRET_CHARS:
        raise DomainError("Passwords must be shorter than 1,024 characters.", field="password")
    roles = _clean_roles(roles)
    user = User(
        organisation=organisation,
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    if isinstance(actor, User):
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    _set_new_keypair(user, password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=username,
        organisation=organisation,
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


def _end_sessions(user: User) -> int:
    """Delete every session of `user` (inside the caller's transaction)."""
    from django.contrib.sessions.models import Session

    from whistledesk.accounts.staff_sessions import user_session_keys

    keys = user_session_keys(user=user)
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def _settle_keys(*, actor: Any, user: User, cause: str) -> int:
    # cases builds on accounts: imported here. The rule of which keys are due is theirs.
    from whistledesk.cases.key_custody import keys_settle

    return keys_settle(actor=actor, user=user, cause=cause)


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> User:
    """Deactivate an account, delete every key sealed to it and end its sessions.

    What the person already read cannot be unread; from now on the database gives them
    no key, even with their password and a copy of the database, and any browser they are
    signed in on is signed out at its next request.
    """
    _require_manager(actor, "deactivate a member of staff")
    _require_same_organisation(actor, user)
    if isinstance(actor, User) and actor.pk == user.pk:
        raise DomainError(
            "You cannot deactivate your own account. Another manager can.", field="user"
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise DomainError(f"{locked.get_username()} is already deactivated.", field="user")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    revoked = _settle_keys(actor=actor, user=locked, cause="deactivated")
    ended = _end_sessions(locked)
    audit_record(
        actor=actor,
        action="user.deactivated",
        object_type="user",
        object_id=locked.get_username(),
        details={"grants_revoked": revoked, "sessions_ended": ended},
    )
    user.is_active = False
    return locked


@transaction.atomic
def user_case_keys_restore(*, actor: Any, user: User, private_key: bytes) -> int:
    """A manager seals to `user` again, with the manager's own key, every case key the
    person's roles and cases entitle them to and that they lack (after a reset or a
    reactivation). Returns how many. Audited as `casefile.granted` with the count."""
    from whistledesk.cases.key_custody import case_keys_restore  # cases builds on accounts

    _require_manager(actor, "give case keys back")
    _require_same_organisation(actor, user)
    if not isinstance(actor, User):
        raise NotPermitted("Only a manager, with their own key, can give case keys back.")
    return case_keys_restore(actor=actor, private_key=private_key, user=user)


@transaction.atomic
def user_reactivate(*, actor: Any, user: User) -> User:
    """Let a deactivated person sign in again. Their old keys are gone: new cases are sealed
    to them as to anyone in their roles, and a key holder (a manager assigning a case, a
    custodian passing the identity key) seals older cases to them again."""
    _require_manager(actor, "reactivate a member of staff")
    _require_same_organisation(actor, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        raise DomainError(f"{locked.get_username()} is already active.", field="user")
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivated",
        object_type="user",
        object_id=locked.get_username(),
    )
    user.is_active = True
    return locked


def _roles_change(
    *, actor: Any, user: User, roles: Iterable[Role | str], action: str
) -> tuple[User, int]:
    _require_manager(actor, "change a member of staff's roles")
    _require_same_organisation(actor, user)
    wanted = {r.value for r in _clean_roles(roles)}
    locked = User.objects.select_for_update().get(pk=user.pk)
    current = set(locked.groups.values_list("name", flat=True)) & set(Role.values)
    if isinstance(actor, User) and actor.pk == locked.pk and Role.MANAGER.value in current - wanted:
        raise DomainError(
            "You cannot remove your own manager role. Another manager can.", field="roles"
        )
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        raise DomainError("Nothing was changed: those are already their roles.", field="roles")
    locked.groups.remove(*Group.objects.filter(name__in=removed))
    locked.groups.add(*Group.objects.filter(name__in=added))
    for u in (locked, user):
        u.__dict__.pop("_role_cache", None)
    # Keys follow people: a role that no longer entitles them to a key takes the key away.
    revoked = _settle_keys(actor=actor, user=locked, cause="roles_changed") if removed else 0
    audit_record(
        actor=actor,
        action=action,
        object_type="user",
        object_id=locked.get_username(),
        details={"added": added, "removed": removed, "grants_revoked": revoked},
    )
    return locked, revoked


@transaction.atomic
def user_roles_set(*, actor: Any, user: User, roles: Iterable[Role | str]) -> int:
    """Give `user` exactly `roles`. Keys their remaining roles do not entitle them to are
    revoked in the same transaction. Returns how many grants were revoked."""
    return _roles_change(actor=actor, user=user, roles=roles, action="user.roles_changed")[1]


def _role_names(user: User) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@transaction.atomic
def user_custodian_appoint(*, actor: Any, user: User) -> None:
    """Make `user` an identity custodian. New cases are sealed to them; older cases' identity
    keys are passed to them by a custodian who holds them (docs/adr/0004)."""
    names = _role_names(user)
    if Role.CUSTODIAN.value in names:
        raise DomainError(f"{user.get_username()} is already an identity custodian.")
    _roles_change(
        actor=actor,
        user=user,
        roles=names | {Role.CUSTODIAN.value},
        action="user.custodian_appointed",
    )


@transaction.atomic
def user_custodian_end(*, actor: Any, user: User) -> int:
    """End `user`'s appointment as identity custodian: every identity key they held only as
    custodian is revoked now. Returns how many grants were revoked."""
    names = _role_names(user)
    if Role.CUSTODIAN.value not in names:
        raise DomainError(f"{user.get_username()} is not an identity custodian.")
    return _roles_change(
        actor=actor,
        user=user,
        roles=names - {Role.CUSTODIAN.value},
        action="user.custodian_ended",
    )[1]


@transaction.atomic
def user_password_reset(*, actor: Any, user: User, new_password: str) -> int:
    """A manager sets a new password for someone who has lost theirs.

    Their private key was wrapped with the old password, which nobody else knows, so it is
    replaced by a new key pair under the new password and every key grant they held is
    deleted (ADR 0002). Their sessions end. Returns how many grants were deleted. They get
    cases back by re-sealing: new cases as usual, older ones from a key holder (a manager
    assigning the case again) or, if nobody holds it, the recovery key (`recover_case`).
    """
    from whistledesk.casefiles.models import KeyGrant  # casefiles depends on accounts

    _require_manager(actor, "reset a member of staff's password")
    _require_same_organisation(actor, user)
    if isinstance(actor, User) and actor.pk == user.pk:
        raise DomainError(
            "You cannot reset your own password here: change it on your own "
            "'Change your password' page, which keeps your keys.",
            field="new_password",
        )
    if len(new_password) > crypto.MAX_SECRET_CHARS:
        raise DomainError("Passwords must be shorter than 1,024 characters.", field="new_password")
    locked = User.objects.select_for_update().get(pk=user.pk)
    try:
        validate_password(new_password, user=locked)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password") from exc
    held = KeyGrant.objects.filter(user=locked).count()
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    user_keys_reset(actor=actor, user=locked, password=new_password)
    ended = _end_sessions(locked)
    audit_record(
        actor=actor,
        action="user.password_reset",
        object_type="user",
        object_id=locked.get_username(),
        details={"grants_removed": held, "sessions_ended": ended},
    )
    for field in ("password", "public_key", "key_salt", "encrypted_private_key"):
        setattr(user, field, getattr(locked, field))
    return held

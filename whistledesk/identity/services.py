"""Identity access: request, approve, refuse, withdraw, revoke, expire. Every one audited.

    req = identity_access_request(actor=handler, disclosure=d, reason="...")
    identity_access_approve(actor=custodian, request=req, private_key=key, reason="")
    identity_access_refuse(actor=custodian, request=req, reason="...")
    identity_access_withdraw(actor=handler, request=req)
    identity_access_revoke(actor=custodian, request=req, reason="...")
    identity_requests_expire(actor="system")   # also: `whistledesk expire_identity_requests`

Approval is cryptographic: the custodian's own private key unseals the case's identity key
and seals it to the requester (casefiles.identity_keys). Refusal, withdrawal and expiry
give nothing; revocation deletes the requester's identity grant. Audit details hold ids,
states and usernames, never a reason (reasons are free text).

Reasons are sealed (casefiles.notes shared note keys): asking needs the requester's
`private_key` (they hold the case key), and deciding needs the custodian's (they hold the
identity key). Without it, KeyLocked: sign in again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.identity_keys import (
    holds_identity_key,
    identity_documents_exist,
    identity_key_drop,
    identity_key_share,
)
from whistledesk.casefiles.notes import (
    shared_note_key_new,
    shared_note_key_open,
    shared_note_seal,
)
from whistledesk.casefiles.organisation_checks import belongs_to
from whistledesk.casefiles.selectors import staff_holds_key
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, is_excluded, refusal
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus

MAX_REASON_CHARS = 1000
DEFAULT_REQUEST_DAYS = 14


def request_lifetime() -> dt.timedelta:
    return dt.timedelta(
        days=getattr(settings, "WHISTLEDESK_IDENTITY_REQUEST_DAYS", DEFAULT_REQUEST_DAYS)
    )


def _reason(reason: str, *, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(f"Give a reason {what}.", field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError(f"Keep the reason under {MAX_REASON_CHARS:,} characters.", field="reason")
    return reason


def may_request_problem(user: Any, disclosure: Disclosure) -> str | None:
    """Why `user` may not ask to see this case's identity, or None if they may."""
    if not isinstance(user, User) or not user.is_active:
        return "Only signed-in staff can ask."
    # Who may ask is the access policy's decision (the case's handler, or a manager).
    problem = refusal(user, Perm.REQUEST_IDENTITY, disclosure)
    if problem:
        return problem
    if not staff_holds_key(user=user, disclosure=disclosure):
        return "You need access to the case file first. Ask a manager."
    return None


def _lock(request: IdentityAccessRequest) -> IdentityAccessRequest:
    return (
        IdentityAccessRequest.objects.select_for_update()
        .select_related("disclosure", "requester")
        .get(pk=request.pk)
    )


def _is_expired(request: IdentityAccessRequest) -> bool:
    return request.status == RequestStatus.PENDING and request.expires_at <= timezone.now()


def _require_pending(request: IdentityAccessRequest) -> None:
    if _is_expired(request):
        raise DomainError("This request has expired. The requester can ask again.")
    if request.status != RequestStatus.PENDING:
        raise DomainError(f"This request is already {request.get_status_display().lower()}.")


def _same_organisation(actor: User, disclosure: Disclosure) -> bool:
    return belongs_to(actor, disclosure.organisation_id)


def _require_custodian(actor: Any, request: IdentityAccessRequest) -> None:
    if not isinstance(actor, User) or not actor.is_active or not actor.has_role(Role.CUSTODIAN):
        raise NotPermitted("Only an identity custodian can decide identity requests.")
    # Each organisation's custodians decide its own cases' requests only (ADR 0017).
    if not _same_organisation(actor, request.disclosure):
        raise NotPermitted("Only an identity custodian of the case's organisation can decide.")
    if actor.pk == request.requester_id:
        raise NotPermitted("You cannot decide your own request: another custodian must.")
    if is_excluded(actor, request.disclosure):
        raise NotPermitted("You are recorded as having a conflict of interest with this case.")


def _seal_for(
    request: IdentityAccessRequest, actor: Any, private_key: bytes | None, text: str
) -> bytes:
    """`text` under the request's own key, opened with the actor's case or identity key."""
    if not text:
        return b""
    key = shared_note_key_open(
        disclosure=request.disclosure,
        user=actor,
        private_key=private_key,
        under_case=bytes(request.note_key_case),
        to_identity=bytes(request.note_key_identity),
    )
    return shared_note_seal(key, text)


def _audit(actor: Any, action: str, request: IdentityAccessRequest, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        disclosure_id=request.disclosure_id,
        object_type="identity_request",
        object_id=request.pk,
        details={"requester": request.requester.get_username(), **details},
    )


@transaction.atomic
def identity_access_request(
    *, actor: User, disclosure: Disclosure, reason: str, private_key: bytes | None = None
) -> IdentityAccessRequest:
    """Ask to see the whistleblower's identity and contact details, with a reason."""
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    problem = may_request_problem(actor, locked)
    if problem:
        raise NotPermitted(problem)
    reason = _reason(reason, what="for needing to know who they are")
    if not identity_documents_exist(locked):
        raise DomainError("There is no identity on this case to ask for.")
    if holds_identity_key(user=actor, disclosure=locked):
        raise DomainError("You can already see the identity on this case.")
    _expire(
        IdentityAccessRequest.objects.filter(disclosure=locked, requester=actor), actor="system"
    )
    if IdentityAccessRequest.objects.filter(
        disclosure=locked, requester=actor, status=RequestStatus.PENDING
    ).exists():
        raise DomainError("You have already asked. A custodian will decide.")
    note_key = shared_note_key_new(disclosure=locked, actor=actor, private_key=private_key)
    request = IdentityAccessRequest.objects.create(
        disclosure=locked,
        requester=actor,
        note_key_case=note_key.under_case,
        note_key_identity=note_key.to_identity,
        reason_sealed=shared_note_seal(note_key.key, reason),
        expires_at=timezone.now() + request_lifetime(),
    )
    _audit(actor, "identity.access_requested", request, expires=request.expires_at.isoformat())
    return request


@transaction.atomic
def identity_access_approve(
    *, actor: User, request: IdentityAccessRequest, private_key: bytes, reason: str = ""
) -> IdentityAccessRequest:
    """A custodian gives the requester the identity key, unsealed with their own key."""
    locked = _lock(request)
    _require_custodian(actor, locked)
    _require_pending(locked)
    problem = may_request_problem(locked.requester, locked.disclosure)
    if problem:
        raise DomainError(f"The requester can no longer be given access. {problem}")
    identity_key_share(
        disclosure=locked.disclosure,
        from_user=actor,
        private_key=private_key,
        to_user=locked.requester,
    )
    locked.status = RequestStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason_sealed = _seal_for(
        locked, actor, private_key, reason.strip()[:MAX_REASON_CHARS]
    )
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason_sealed"])
    _audit(actor, "identity.access_approved", locked)
    return locked


@transaction.atomic
def identity_access_refuse(
    *,
    actor: User,
    request: IdentityAccessRequest,
    reason: str,
    private_key: bytes | None = None,
) -> IdentityAccessRequest:
    """A custodian refuses, saying why (the requester is shown the reason)."""
    locked = _lock(request)
    _require_custodian(actor, locked)
    _require_pending(locked)
    locked.status = RequestStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason_sealed = _seal_for(
        locked, actor, private_key, _reason(reason, what="for refusing")
    )
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason_sealed"])
    _audit(actor, "identity.access_refused", locked)
    return locked


@transaction.atomic
def identity_access_withdraw(
    *, actor: User, request: IdentityAccessRequest
) -> IdentityAccessRequest:
    """The requester no longer needs it."""
    locked = _lock(request)
    if not isinstance(actor, User) or actor.pk != locked.requester_id:
        raise NotPermitted("Only the person who asked can withdraw a request.")
    _require_pending(locked)
    locked.status = RequestStatus.WITHDRAWN
    locked.ended_by = actor
    locked.ended_at = timezone.now()
    locked.save(update_fields=["status", "ended_by", "ended_at"])
    _audit(actor, "identity.access_withdrawn", locked)
    return locked


@transaction.atomic
def identity_access_revoke(
    *,
    actor: User,
    request: IdentityAccessRequest,
    reason: str,
    private_key: bytes | None = None,
) -> IdentityAccessRequest:
    """A custodian takes approved access away: the requester's identity grant is deleted."""
    locked = _lock(request)
    if not isinstance(actor, User) or not actor.is_active or not actor.has_role(Role.CUSTODIAN):
        raise NotPermitted("Only an identity custodian can revoke identity access.")
    if not _same_organisation(actor, locked.disclosure):
        raise NotPermitted("Only an identity custodian of the case's organisation can revoke.")
    if locked.status != RequestStatus.APPROVED:
        raise DomainError("Only approved access can be revoked.")
    sealed = _seal_for(locked, actor, private_key, _reason(reason, what="for revoking access"))
    dropped = identity_key_drop(disclosure=locked.disclosure, user=locked.requester)
    locked.status = RequestStatus.REVOKED
    locked.ended_by = actor
    locked.ended_at = timezone.now()
    locked.end_reason_sealed = sealed
    locked.save(update_fields=["status", "ended_by", "ended_at", "end_reason_sealed"])
    _audit(actor, "identity.access_revoked", locked, grant_deleted=dropped)
    return locked


def _expire(requests: QuerySet[IdentityAccessRequest], *, actor: Any) -> int:
    due = list(
        requests.select_for_update()
        .select_related("requester")
        .filter(status=RequestStatus.PENDING, expires_at__lte=timezone.now())
    )
    for request in due:
        request.status = RequestStatus.EXPIRED
        request.save(update_fields=["status"])
        _audit(actor, "identity.access_expired", request)
    return len(due)


@transaction.atomic
def identity_requests_expire(*, actor: Any = "system") -> int:
    """Mark every pending request past its time as expired. Returns how many."""
    return _expire(IdentityAccessRequest.objects.all(), actor=actor)


@transaction.atomic
def identity_custodian_add(
    *, actor: User, disclosure: Disclosure, custodian: User, private_key: bytes
) -> bool:
    """A custodian who holds a case's identity key passes it to another custodian.

    For custodians appointed after the case was created (cases are sealed to the custodians
    who exist at creation). Returns whether a grant was made.
    """
    if not isinstance(actor, User) or not actor.is_active or not actor.has_role(Role.CUSTODIAN):
        raise NotPermitted("Only an identity custodian can pass on the identity key.")
    if not _same_organisation(actor, disclosure):
        raise NotPermitted("Only an identity custodian of the case's organisation can.")
    if not custodian.is_active or not custodian.has_role(Role.CUSTODIAN):
        raise DomainError("The identity key can only be passed to another custodian this way.")
    if is_excluded(custodian, disclosure):
        raise DomainError("That custodian has a conflict of interest with this case.")
    created = identity_key_share(
        disclosure=disclosure, from_user=actor, private_key=private_key, to_user=custodian
    )
    if created:
        audit_record(
            actor=actor,
            action="identity.custodian_added",
            disclosure_id=disclosure.pk,
            object_type="user",
            object_id=custodian.get_username(),
        )
    return created


@transaction.atomic
def identity_access_end_with_key(
    *, actor: Any, user: User, disclosure_ids: list[int], cause: str
) -> int:
    """Mark `user`'s approved requests on these cases revoked: their identity key was just
    revoked because they no longer hold the case (keys follow people, cases.key_custody).

    Without this the request would stay "approved" and, being live, stop them asking again
    once the case is theirs again. No reason is sealed (none was written); the audit event
    says why. Returns how many requests were ended.
    """
    ended = list(
        IdentityAccessRequest.objects.select_for_update()
        .select_related("requester")
        .filter(requester=user, status=RequestStatus.APPROVED, disclosure_id__in=disclosure_ids)
    )
    for request in ended:
        request.status = RequestStatus.REVOKED
        request.ended_by = actor if isinstance(actor, User) else None
        request.ended_at = timezone.now()
        request.save(update_fields=["status", "ended_by", "ended_at"])
        _audit(actor, "identity.access_revoked", request, grant_deleted=True, cause=cause)
    return len(ended)

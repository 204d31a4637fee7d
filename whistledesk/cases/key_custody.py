"""Keys follow people: which of a member of staff's key grants are still due, and
revoking the rest.

The rule never creates a grant by itself: new grants come from the normal sealing path
(case creation, assignment, a safeguarding concern, an approved identity request, a
custodian passing the identity key on), and from a manager giving a person back the case
keys this rule says are due to them (`case_keys_restore`, after a reset or reactivation).
The services whose change can make a key undue call `keys_settle` inside their own
transaction:

- recording a conflict of interest (cases.assessment.conflict_record),
- reassigning a case away from its handler (cases.assessment.disclosure_assign),
- changing a person's roles, including ending a custodian's appointment
  (accounts.services.user_roles_set),
- deactivating a person (accounts.services.user_deactivate).

What is due to a member of staff on a case:
- nothing if they are deactivated or recorded as having a conflict of interest on it;
- the CASE key if they are an intake officer or a manager (entitled to every case), the
  case's handler while a caseworker or manager, or a safeguarding lead on a case with a
  safeguarding concern;
- the IDENTITY key if they are an identity custodian; otherwise only alongside the case
  key, and only if a custodian approved their request for it or they wrote the identity
  details themselves (recording the disclosure).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import ConflictOfInterest, Disclosure, SafeguardingConcern

CASE = "case"
IDENTITY = "identity"


def keys_due(*, user: User, disclosure_ids: Iterable[int]) -> dict[int, set[str]]:
    """{disclosure id: scopes still due to `user`} for the given disclosures.

    Reads roles from the database, not the user's cached roles, so it sees a change made
    earlier in the same transaction. A handful of queries whatever the number of cases.
    """
    # casefiles and identity build on cases: imported here, not at module level.
    from whistledesk.casefiles.models import KeyScope, SealedDocument
    from whistledesk.casefiles.services import ENTITLED_TO_NEW_CASES
    from whistledesk.identity.models import IdentityAccessRequest, RequestStatus

    ids = set(disclosure_ids)
    fresh = User.objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    if not ids or not fresh:
        return {}
    roles = set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))
    every_case = any(r.value in roles for r in ENTITLED_TO_NEW_CASES)
    handles = bool(roles & {Role.CASEWORKER.value, Role.MANAGER.value})
    custodian = Role.CUSTODIAN.value in roles

    conflicted = set(
        ConflictOfInterest.objects.filter(user=user, disclosure_id__in=ids).values_list(
            "disclosure_id", flat=True
        )
    )
    handled = (
        set(Disclosure.objects.filter(pk__in=ids, handler=user).values_list("pk", flat=True))
        if handles
        else set()
    )
    with_concern = (
        set(
            SafeguardingConcern.objects.filter(disclosure_id__in=ids).values_list(
                "disclosure_id", flat=True
            )
        )
        if Role.SAFEGUARDING_LEAD.value in roles
        else set()
    )
    approved = set(
        IdentityAccessRequest.objects.filter(
            requester=user, status=RequestStatus.APPROVED, disclosure_id__in=ids
        ).values_list("disclosure_id", flat=True)
    )
    wrote_identity = set(
        SealedDocument.objects.filter(
            created_by=user, scope=KeyScope.IDENTITY, disclosure_id__in=ids
        ).values_list("disclosure_id", flat=True)
    )

    due: dict[int, set[str]] = {}
    for pk in ids - conflicted:
        scopes: set[str] = set()
        if every_case or pk in handled or pk in with_concern:
            scopes.add(CASE)
        if custodian or (CASE in scopes and (pk in approved or pk in wrote_identity)):
            scopes.add(IDENTITY)
        if scopes:
            due[pk] = scopes
    return due


def keys_settle(
    *, actor: Any, user: User, cause: str, disclosure_ids: Iterable[int] | None = None
) -> int:
    """Revoke every grant `user` holds (on `disclosure_ids`, or on any case) that is no
    longer due. Run inside the caller's transaction; audited by casefiles.revocation.
    Returns how many grants were revoked."""
    from whistledesk.casefiles.revocation import staff_grants_held, staff_grants_revoke

    held = staff_grants_held(user=user, disclosure_ids=disclosure_ids)
    if not held:
        return 0
    due = _keys_due_chunked(user=user, disclosure_ids=list(held))
    undue = {pk: scopes - due.get(pk, set()) for pk, scopes in held.items()}
    revoked = staff_grants_revoke(actor=actor, user=user, revoke=undue, cause=cause)
    identity_gone = [pk for pk, scopes in undue.items() if IDENTITY in scopes]
    if identity_gone:
        # An approved identity request without its key is over: say so on the request.
        from whistledesk.identity.services import identity_access_end_with_key

        identity_access_end_with_key(
            actor=actor, user=user, disclosure_ids=identity_gone, cause=cause
        )
    return revoked


def case_keys_restore(*, actor: User, private_key: bytes, user: User) -> int:
    """Seal to `user` again, with the actor's key, every case key that is due to them (by
    their roles, the cases they handle, a safeguarding concern) and that they lack: after a
    password reset or a reactivation. Returns how many. Identity keys are not restored
    here: a custodian passes them on, and anyone else asks again."""
    from whistledesk.casefiles.resealing import case_keys_seal_to
    from whistledesk.casefiles.revocation import staff_grants_held

    actor_holds = [pk for pk, scopes in staff_grants_held(user=actor).items() if CASE in scopes]
    due = _keys_due_chunked(user=user, disclosure_ids=actor_holds)
    return case_keys_seal_to(
        actor=actor,
        private_key=private_key,
        user=user,
        disclosure_ids=[pk for pk, scopes in due.items() if CASE in scopes],
    )


def _keys_due_chunked(*, user: User, disclosure_ids: list[int]) -> dict[int, set[str]]:
    # Bounded IN lists: SQLite caps the number of parameters in one query.
    due: dict[int, set[str]] = {}
    for start in range(0, len(disclosure_ids), 500):
        due.update(keys_due(user=user, disclosure_ids=disclosure_ids[start : start + 500]))
    return due

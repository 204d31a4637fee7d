"""Passing identity keys to a newly appointed custodian (docs/adr/0004).

A case's identity key is sealed to the custodians who exist when the case is created. A
custodian appointed later (on the people pages) holds none of the older ones until a
custodian who does passes them on: this is that step, for every case at once. Each case
passed is `identity.custodian_added` (by `identity_custodian_add`); the whole hand-over is
`identity.keys_handed_over`. A custodian with a conflict of interest on a case is not given
that case's key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import KeyGrant, KeyScope, RecipientKind
from whistledesk.casefiles.organisation_checks import OtherOrganisation
from whistledesk.cases.models import ConflictOfInterest, Disclosure
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.identity.services import identity_custodian_add


@dataclass(frozen=True)
class HandOver:
    custodian: User
    missing: int  # identity keys the actor holds that this custodian lacks


def _identity_grants(user: User) -> QuerySet[KeyGrant]:
    return KeyGrant.objects.filter(kind=RecipientKind.STAFF, scope=KeyScope.IDENTITY, user=user)


def _missing(*, actor: User, custodian: User) -> QuerySet[KeyGrant]:
    return (
        _identity_grants(actor)
        .exclude(disclosure_id__in=_identity_grants(custodian).values("disclosure_id"))
        .exclude(
            disclosure_id__in=ConflictOfInterest.objects.filter(user=custodian).values(
                "disclosure_id"
            )
        )
    )


def hand_overs_for(actor: User) -> list[HandOver]:
    """The other active custodians, with how many of the actor's identity keys they lack.
    One count query per custodian (an office has a handful)."""
    custodians = (
        User.objects.filter(
            organisation=actor.organisation,
            is_active=True,
            groups__name=Role.CUSTODIAN.value,
        )
        .exclude(pk=actor.pk)
        .order_by("username")
        .distinct()
    )
    return [HandOver(c, _missing(actor=actor, custodian=c).count()) for c in custodians]


@transaction.atomic
def identity_keys_hand_over(*, actor: User, custodian: User, private_key: bytes) -> int:
    """Seal to `custodian` every identity key `actor` holds that they lack. Returns how many."""
    if not actor.is_active or not actor.has_role(Role.CUSTODIAN):
        raise NotPermitted("Only an identity custodian can pass on identity keys.")
    if custodian.pk == actor.pk:
        raise DomainError("Choose another custodian: you already hold your own keys.")
    if custodian.organisation_id != actor.organisation_id:
        raise OtherOrganisation()
    if not custodian.is_active or not custodian.has_role(Role.CUSTODIAN):
        raise DomainError(f"{custodian.get_username()} is not an identity custodian.")
    if custodian.public_key is None:
        raise DomainError(
            f"{custodian.get_username()} must sign in once before keys can be sealed to them."
        )
    ids = list(_missing(actor=actor, custodian=custodian).values_list("disclosure_id", flat=True))
    passed = 0
    for disclosure in (
        Disclosure.objects.filter(organisation=actor.organisation, pk__in=ids)
        .order_by("pk")
        .iterator()
    ):
        passed += identity_custodian_add(
            actor=actor, disclosure=disclosure, custodian=custodian, private_key=private_key
        )
    audit_record(
        actor=actor,
        action="identity.keys_handed_over",
        object_type="user",
        object_id=custodian.get_username(),
        details={"cases": passed},
    )
    return passed

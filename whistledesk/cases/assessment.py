"""Assessment services: the qualifying test, service, risk, setting, handler and exclusions."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import note_seal
from whistledesk.cases.models import ConflictOfInterest, Disclosure, RiskLevel, Section43B, Status
from whistledesk.cases.permissions import Perm, require
from whistledesk.cases.workflow import disclosure_transition
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import ServiceCategory

# Words that vary between mentions of the same setting ("St Mary's C of E Primary School
# Ltd" / "st marys primary"), dropped so related disclosures link up.
_NOISE = {"the", "ltd", "limited", "plc", "llp", "cic", "c", "of", "e", "and", "co", "uk"}
_ABBREVIATIONS = {"st": "saint", "sch": "school", "prim": "primary", "cc": "council"}


def normalise_setting(name: str) -> str:
    """A key for matching setting names: case, accents, punctuation and filler removed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("'", "").replace("\u2019", "")
    words = [_ABBREVIATIONS.get(w, w) for w in re.split(r"[^a-z0-9]+", text) if w]
    return " ".join(w for w in words if w not in _NOISE)[:200]


def normalise_urn(urn: str) -> str:
    """Ofsted URNs are numbers, sometimes written with an 'SC' or 'EY' prefix or spaces."""
    return re.sub(r"[^A-Z0-9]", "", urn.upper())[:20]


def normalise_local_authority(name: str) -> str:
    text = re.sub(r"\s+", " ", name).strip()
    text = re.sub(r"\b(council|county council|borough council|city council)$", "", text, flags=re.I)
    return text.strip().title()[:100]


@transaction.atomic
def disclosure_set_setting(
    *,
    actor: Any,
    disclosure: Disclosure,
    setting_name: str,
    ofsted_urn: str = "",
    local_authority: str = "",
) -> Disclosure:
    """Record which setting the disclosure is about, normalised for linking."""
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(
        actor, Perm.RECORD_DISCLOSURE if locked.status == Status.RECEIVED else Perm.ASSESS, locked
    )
    _apply_setting(locked, setting_name, ofsted_urn, local_authority)
    locked.save(
        update_fields=["setting_name", "setting_key", "ofsted_urn", "local_authority", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="disclosure.setting_recorded",
        disclosure_id=locked.pk,
        object_type="disclosure",
        object_id=locked.reference,
    )
    return locked


def _apply_setting(d: Disclosure, name: str, urn: str, la: str) -> None:
    d.setting_name = name.strip()[:200]
    d.setting_key = normalise_setting(name)
    d.ofsted_urn = normalise_urn(urn)
    d.local_authority = normalise_local_authority(la)


@transaction.atomic
def disclosure_assess(
    *,
    actor: Any,
    disclosure: Disclosure,
    categories: list[str],
    public_interest: bool,
    within_remit: bool,
    service: ServiceCategory | None,
    risk_level: str,
    urgent: bool,
    setting_name: str = "",
    ofsted_urn: str = "",
    local_authority: str = "",
) -> Disclosure:
    """Record the assessment. Qualifying = at least one s.43B category, in the public
    interest, and within the prescribed matters (ERA 1996 s.43B, s.43F).

    Assessing an acknowledged case starts its assessment: the case moves to ASSESSING
    through the workflow (its permission check, status history and audit event) in the
    same transaction, as a caseworker who has just recorded one expects.
    """
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.ASSESS, locked)
    if locked.status not in (
        Status.ACKNOWLEDGED,
        Status.ASSESSING,
        Status.ACTION,
        Status.AWAITING_REASSURANCE,
    ):
        raise DomainError(
            f"A case that is {locked.get_status_display().lower()} cannot be assessed."
        )
    unknown = set(categories) - set(Section43B.values)
    if unknown:
        raise DomainError("Choose categories from the list.", field="categories")
    if risk_level not in RiskLevel.values:
        raise DomainError("Choose a risk level.", field="risk_level")
    if service is not None and service.organisation_id != locked.organisation_id:
        raise DomainError("Choose a service from the list.", field="service")
    qualifying = bool(categories) and public_interest and within_remit
    if qualifying and service is None:
        raise DomainError("Choose the service the disclosure relates to.", field="service")

    locked.s43b_categories = sorted(categories)
    locked.public_interest = public_interest
    locked.within_remit = within_remit
    locked.qualifying = qualifying
    locked.service = service
    locked.risk_level = risk_level
    # Immediate risk to a child is always urgent, whatever the box says.
    now_urgent = urgent or risk_level == RiskLevel.IMMEDIATE
    if now_urgent != locked.urgent:
        # Who marked it urgent is shown on the case page; unmarking forgets them.
        locked.urgent_marked_by = actor if now_urgent else None
        locked.urgent_marked_at = timezone.now() if now_urgent else None
    locked.urgent = now_urgent
    locked.assessed_at = timezone.now()
    fields = [
        "s43b_categories",
        "public_interest",
        "within_remit",
        "qualifying",
        "service",
        "risk_level",
        "urgent",
        "urgent_marked_by",
        "urgent_marked_at",
        "assessed_at",
        "updated_at",
    ]
    if setting_name or ofsted_urn or local_authority:
        _apply_setting(locked, setting_name, ofsted_urn, local_authority)
        fields += ["setting_name", "setting_key", "ofsted_urn", "local_authority"]
    locked.save(update_fields=fields)
    if locked.status == Status.ACKNOWLEDGED:
        locked = disclosure_transition(actor=actor, disclosure=locked, to=Status.ASSESSING)
    audit_record(
        actor=actor,
        action="disclosure.assessed",
        disclosure_id=locked.pk,
        object_type="disclosure",
        object_id=locked.reference,
        details={
            "qualifying": qualifying,
            "service_id": locked.service_id,
            "risk_level": risk_level,
            "urgent": locked.urgent,
        },
    )
    return locked


NOT_OUR_STAFF = "That account is not on this organisation's staff: choose someone who works here."


def _can_handle(user: Any) -> bool:
    return user.is_active and (user.has_role(Role.CASEWORKER) or user.has_role(Role.MANAGER))


@transaction.atomic
def disclosure_assign(
    *,
    actor: Any,
    disclosure: Disclosure,
    handler: Any,
    private_key: bytes | None = None,
) -> Disclosure:
    """Give the case to `handler`. A manager may assign anyone who can handle cases; a
    caseworker may take an unassigned case themselves. With the assigning user's
    `private_key` and a sealed case file, the case key is sealed to the new handler too."""
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    self_take = handler.pk == getattr(actor, "pk", None) and locked.handler_id is None
    require(actor, Perm.TAKE_CASE if self_take else Perm.ASSIGN, locked)
    if locked.status == Status.CLOSED:
        raise DomainError("A closed case cannot be assigned. Reopen it first.")
    if handler.organisation_id != locked.organisation_id:
        # An account of another organisation (ADR 0017): named as little as possible.
        raise DomainError(NOT_OUR_STAFF, field="handler")
    if not _can_handle(handler):
        raise DomainError(
            f"{handler.get_username()} is not a caseworker or manager.", field="handler"
        )
    if locked.conflicts.filter(user_id=handler.pk).exists():
        raise DomainError(
            f"{handler.get_username()} has a conflict of interest with this case.",
            field="handler",
        )
    previous = locked.handler_id
    locked.handler = handler
    locked.save(update_fields=["handler", "updated_at"])
    sealed = _grant_case_key(actor=actor, disclosure=locked, user=handler, private_key=private_key)
    revoked = 0
    if previous is not None and previous != handler.pk:
        # Keys follow people: the old handler keeps the case key only if something else
        # entitles them to it (their role, a safeguarding concern).
        from whistledesk.cases.key_custody import keys_settle

        revoked = keys_settle(
            actor=actor,
            user=User.objects.get(pk=previous),
            cause="reassigned",
            disclosure_ids=[locked.pk],
        )
    audit_record(
        actor=actor,
        action="disclosure.assigned",
        disclosure_id=locked.pk,
        object_type="disclosure",
        object_id=locked.reference,
        details={
            "handler_id": handler.pk,
            "previous_handler_id": previous,
            "key_sealed": sealed,
            "previous_grants_revoked": revoked,
        },
    )
    return locked


def _grant_case_key(
    *, actor: Any, disclosure: Disclosure, user: Any, private_key: bytes | None
) -> bool:
    """Seal the case key to the new handler when the assigning user's key is to hand.

    Returns whether it was sealed. A case with no sealed file (e.g. imported from a past
    year) or an assigner who cannot open it still gets its handler (audit: key_sealed).
    """
    if private_key is None:
        return False
    # Imported here: casefiles depends on cases, not the other way round.
    from whistledesk.casefiles.selectors import key_holders
    from whistledesk.casefiles.services import casefile_grant

    if not key_holders(disclosure).exists():
        return False
    try:
        casefile_grant(actor=actor, disclosure=disclosure, user=user, private_key=private_key)
    except DomainError:
        return False
    return True


@transaction.atomic
def conflict_record(
    *, actor: Any, disclosure: Disclosure, user: Any, reason: str, private_key: bytes | None = None
) -> ConflictOfInterest:
    """Exclude `user` from the case. If they hold it, it goes back to unassigned.

    The reason is a note sealed under the case key (it may name the relationship).
    """

    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.RECORD_CONFLICT, locked)
    if user.organisation_id != locked.organisation_id:
        raise DomainError(NOT_OUR_STAFF, field="user")
    if not reason.strip():
        raise DomainError("Say why there is a conflict of interest.", field="reason")
    if locked.conflicts.filter(user_id=user.pk).exists():
        raise DomainError(
            f"{user.get_username()} is already excluded from this case.", field="user"
        )
    sealed = note_seal(
        disclosure=locked, text=reason.strip()[:300], private_key=private_key, actor=actor
    )
    conflict = ConflictOfInterest.objects.create(
        disclosure=locked, user=user, reason_sealed=sealed, recorded_by=actor
    )
    if locked.handler_id == user.pk:
        locked.handler = None
        locked.save(update_fields=["handler", "updated_at"])
    # Keys follow people: a conflicted person keeps no key to the case (case or identity).
    from whistledesk.cases.key_custody import keys_settle

    revoked = keys_settle(actor=actor, user=user, cause="conflict", disclosure_ids=[locked.pk])
    audit_record(
        actor=actor,
        action="disclosure.conflict_recorded",
        disclosure_id=locked.pk,
        object_type="conflict",
        object_id=conflict.pk,
        details={"user_id": user.pk, "grants_revoked": revoked},
    )
    return conflict

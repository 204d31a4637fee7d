"""Reads for identity access and the consent ledger. Bounded queries.

The free text (request reasons, consent wording, what was shared) is sealed: the reader's
private key opens it (`requests_open_notes`, `consent_ledger(..., notes=...)`), and text
they cannot open reads NOTE_UNREADABLE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.casefiles.notes import NotesReader, notes_attach, shared_note_keys_open
from whistledesk.cases.models import Consent, Disclosure, Referral
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus, WebFormConsent

QUEUE_LIMIT = 200


def pending_requests(organisation: Any) -> QuerySet[IdentityAccessRequest]:
    """`organisation`'s custodians' queue: pending and not yet expired, oldest first. Each
    organisation's custodians see only its own cases' requests (ADR 0017)."""
    return (
        IdentityAccessRequest.objects.filter(
            disclosure__organisation=organisation,
            status=RequestStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("disclosure", "requester")
        .order_by("created_at", "id")[:QUEUE_LIMIT]
    )


def approved_requests(organisation: Any) -> QuerySet[IdentityAccessRequest]:
    """Access `organisation`'s custodians have granted and may revoke, newest first."""
    return IdentityAccessRequest.objects.filter(
        disclosure__organisation=organisation, status=RequestStatus.APPROVED
    ).select_related("disclosure", "requester", "decided_by")[:QUEUE_LIMIT]


def requests_by(user: User) -> QuerySet[IdentityAccessRequest]:
    """A member of staff's own requests, newest first (how they learn the decision)."""
    return IdentityAccessRequest.objects.filter(
        requester=user, disclosure__organisation=user.organisation
    ).select_related(
        "disclosure", "decided_by"
    )[:QUEUE_LIMIT]


def latest_request(*, user: User, disclosure: Disclosure) -> IdentityAccessRequest | None:
    return (
        IdentityAccessRequest.objects.filter(requester=user, disclosure=disclosure)
        .select_related("decided_by")
        .first()
    )


REQUEST_NOTES = ("reason", "decision_reason", "end_reason")


def requests_open_notes(
    requests: Sequence[IdentityAccessRequest], *, user: Any, private_key: bytes | None
) -> None:
    """Give each request plain `reason`, `decision_reason`, `end_reason` attributes, opened
    with the reader's case or identity key (one grant query for the whole list)."""
    keys = shared_note_keys_open(
        user=user,
        private_key=private_key,
        wrapped=[
            (r.disclosure_id, bytes(r.note_key_case), bytes(r.note_key_identity)) for r in requests
        ],
    )
    for i, r in enumerate(requests):
        notes_attach([r], NotesReader(key=keys.get(i)), REQUEST_NOTES)


def effective_status(request: IdentityAccessRequest) -> str:
    """The status as a person should see it: a pending request past its time has expired."""
    if request.status == RequestStatus.PENDING and request.expires_at <= timezone.now():
        return RequestStatus.EXPIRED
    return request.status


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the consent ledger. `kind`: consent, consent_withdrawn, shared_outside,
    access_granted or access_revoked."""

    kind: str
    when: dt.date
    who: str  # who gave consent, or who was told
    what: str
    why: str
    recorded_by: str


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def consent_ledger(
    disclosure: Disclosure,
    *,
    notes: NotesReader | None = None,
    user: Any = None,
    private_key: bytes | None = None,
) -> list[LedgerEntry]:
    """Every consent and every telling of the identity on this case, oldest first.

    `notes` opens the case's notes; `user` and `private_key` open the request reasons.
    """
    reader = notes or NotesReader(key=None)
    entries: list[LedgerEntry] = []
    web = WebFormConsent.objects.filter(disclosure=disclosure).first()
    if web is not None:
        entries.append(
            LedgerEntry(
                kind="consent",
                when=_day(web.given_at),
                who="The whistleblower",
                what="Their identity may be shared with the bodies we refer the concern to",
                why='They chose "open" on the web form',
                recorded_by="Web form",
            )
        )
    consents = list(Consent.objects.filter(disclosure=disclosure).select_related("recorded_by"))
    # notes_attach sets the opened texts as plain attributes (the columns are sealed), so the
    # type checker cannot see them: hence the attr-defined ignores below.
    notes_attach(consents, reader, ("given_by", "scope", "reason"))
    for c in consents:
        entries.append(
            LedgerEntry(
                "consent", c.given_on, c.given_by, c.scope, c.reason, str(c.recorded_by)  # type: ignore[attr-defined]
            )
        )
        if c.withdrawn_on is not None:
            entries.append(
                LedgerEntry(
                    "consent_withdrawn", c.withdrawn_on, c.given_by, c.scope, "", "Casework"  # type: ignore[attr-defined]
                )
            )
    for r in Referral.objects.filter(disclosure=disclosure, identity_shared=True).select_related(
        "body", "consent", "recorded_by"
    ):
        consent = r.consent
        why = f"Referral: {reader.text(r.shared_summary_sealed)}"
        if consent is not None:
            given = f"{consent.given_on.day} {consent.given_on:%B %Y}"
            why += f" (consent given {given} by {reader.text(consent.given_by_sealed)})"
        entries.append(
            LedgerEntry(
                "shared_outside",
                r.referred_on,
                r.body.name,
                "The whistleblower's identity",
                why,
                str(r.recorded_by),
            )
        )
    requests = list(
        IdentityAccessRequest.objects.filter(
            disclosure=disclosure, status__in=[RequestStatus.APPROVED, RequestStatus.REVOKED]
        ).select_related("requester", "decided_by", "ended_by")
    )
    requests_open_notes(requests, user=user, private_key=private_key)
    for q in requests:
        if q.decided_at is not None:
            entries.append(
                LedgerEntry(
                    "access_granted",
                    _day(q.decided_at),
                    f"{q.requester} (staff)",
                    "Identity and contact details",
                    q.reason,  # type: ignore[attr-defined]
                    f"Approved by {q.decided_by}",
                )
            )
        if q.status == RequestStatus.REVOKED and q.ended_at is not None:
            entries.append(
                LedgerEntry(
                    "access_revoked",
                    _day(q.ended_at),
                    f"{q.requester} (staff)",
                    "Identity and contact details",
                    q.end_reason,  # type: ignore[attr-defined]
                    f"Revoked by {q.ended_by}",
                )
            )
    entries.sort(key=lambda e: e.when)
    return entries

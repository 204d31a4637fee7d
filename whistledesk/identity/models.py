"""Requests to see a whistleblower's identity, and the whistleblower's own consent from the form.

A request is the handler's reasoned ask; a custodian decides. Approval seals the identity
key to the requester (casefiles.identity_keys), so this table records *why* someone can
read the identity; the key grant is *what* lets them. Reasons are staff-written casework
notes, stored only as ciphertext under a per-request key that is itself sealed twice: under
the case's notes key (staff holding the case) and to the identity public key (custodians,
who hold no case key). See docs/adr/0002, "Casework notes".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from whistledesk.cases.models import Disclosure


class RequestStatus(models.TextChoices):
    """Where a request stands, and what each state allows.

    - PENDING: waiting for a custodian. May be approved or refused (by a custodian other
      than the requester), withdrawn (by the requester), or expire.
    - APPROVED: the requester holds the identity key. May be revoked by a custodian.
    - REFUSED, WITHDRAWN, EXPIRED, REVOKED: final. The requester may ask again.
    """

    PENDING = "pending", "Waiting for a custodian"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


LIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.APPROVED)


class IdentityAccessRequest(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="identity_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The request's own random key: under the case notes key, and sealed to the identity key.
    note_key_case = models.BinaryField(default=b"", blank=True)
    note_key_identity = models.BinaryField(default=b"", blank=True)
    reason_sealed = models.BinaryField(default=b"", blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason_sealed = models.BinaryField(default=b"", blank=True)
    # Withdrawal or revocation.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason_sealed = models.BinaryField(default=b"", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live request (pending or approved) per person and case.
            models.UniqueConstraint(
                fields=["disclosure", "requester"],
                condition=Q(status__in=["pending", "approved"]),
                name="identity_request_one_live",
            ),
            # Nobody decides their own request (the service refuses it first).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requester")),
                name="identity_request_not_self_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="identity_request_queue")]

    def __str__(self) -> str:
        return f"identity request {self.pk} ({self.status})"


class WebFormConsent(models.Model):
    """The whistleblower chose "open" on the web form: consent to share their identity with
    the bodies the office refers the concern to. Recorded at submission, with no user."""

    disclosure = models.OneToOneField(
        Disclosure, on_delete=models.CASCADE, related_name="web_form_consent"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"web form consent on disclosure {self.disclosure_id}"

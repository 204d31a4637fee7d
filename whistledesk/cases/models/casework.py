"""Casework records around a disclosure: exclusions, consent, referrals, other actions,
safeguarding concerns and the history of status changes.

Staff-written free text (what was shared, responses, reasons, consent wording...) is stored
only as ciphertext in the `*_sealed` columns, sealed under the case key by
`casefiles.notes` (docs/adr/0002). Dates, flags, bodies and kinds stay in clear for the
dashboard and the annual report. The whistleblower's own words are in the case file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whistledesk.cases.models.disclosure import Disclosure, Status


class ConflictOfInterest(models.Model):
    """A member of staff who must not handle or open this case."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason_sealed = models.BinaryField(default=b"", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "user"], name="uniq_conflict_user")
        ]

    def __str__(self) -> str:
        return f"conflict on disclosure {self.disclosure_id}"


class BodyKind(models.TextChoices):
    LA_CHILDRENS_SERVICES = "la_childrens_services", "Local authority children's services"
    LADO = "lado", "Local authority designated officer (LADO)"
    POLICE = "police", "Police"
    OFSTED = "ofsted", "Ofsted"
    CQC = "cqc", "Care Quality Commission"
    OTHER_REGULATOR = "other_regulator", "Other regulator"
    OTHER = "other", "Other body"


class ReferralBody(models.Model):
    """The configurable directory of bodies that concerns are passed to."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=BodyKind.choices)
    contact = models.CharField(max_length=300, blank=True, help_text="Team, address or inbox.")
    reassurance_days = models.PositiveSmallIntegerField(
        default=28, help_text="Default days until reassurance is expected from this body."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "referral bodies"

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """The whistleblower's recorded consent, e.g. to share their identity with a body."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="consents")
    # Who gave it, what they agreed to, why it was asked for: sealed notes.
    given_by_sealed = models.BinaryField(default=b"", blank=True)
    scope_sealed = models.BinaryField(default=b"", blank=True)
    given_on = models.DateField()
    reason_sealed = models.BinaryField(default=b"", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"consent given {self.given_on:%d %b %Y}"


class Referral(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="referrals")
    body = models.ForeignKey(ReferralBody, on_delete=models.PROTECT, related_name="+")
    shared_summary_sealed = models.BinaryField(default=b"", blank=True)
    identity_shared = models.BooleanField(default=False)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField()
    body_reference = models.CharField(max_length=100, blank=True)
    reassurance_due = models.DateField()
    response_received_on = models.DateField(null=True, blank=True)
    response_summary_sealed = models.BinaryField(default=b"", blank=True)
    # The reassurance date the handler was last chased for (cases.deadlines): one chase per
    # date, however many workers run the sweep.
    chased_for = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(identity_shared=False) | models.Q(consent__isnull=False),
                name="referral_identity_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"referral to {self.body} on {self.referred_on:%d %b %Y}"

    @property
    def awaiting(self) -> bool:
        return self.response_received_on is None


class ActionKind(models.TextChoices):
    REPRESENTATION = "representation", "Representation"
    ADVICE = "advice", "Advice given"
    INFORMATION_REQUEST = "information_request", "Information requested from the whistleblower"
    FEEDBACK = "feedback", "Feedback given to the whistleblower"


class CaseAction(models.Model):
    """Representations, advice, requests for information and feedback."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    recipient = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Director of Children's Services'."
    )
    summary_sealed = models.BinaryField(default=b"", blank=True)
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on:%d %b %Y}"


class ConcernReason(models.TextChoices):
    """Why a safeguarding concern was opened. Only STAFF concerns have a written summary."""

    STAFF = "", "Raised by staff"
    WEB_ANSWER = "web_answer", "The whistleblower said a child is at risk of immediate harm"
    MARKED_AT_INTAKE = "marked_at_intake", "Marked urgent at intake: immediate risk to a child"


class SafeguardingConcern(models.Model):
    """A concern for a child's safety. Open until a safeguarding lead confirms the action."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="safeguarding_concerns"
    )
    summary_sealed = models.BinaryField(default=b"", blank=True)
    # None when the service raised it on its own (see `reason`), never on trust.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(
        max_length=30, blank=True, choices=ConcernReason.choices, default=ConcernReason.STAFF
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    action_taken_sealed = models.BinaryField(default=b"", blank=True)
    action_taken_by_sealed = models.BinaryField(default=b"", blank=True)
    action_taken_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"safeguarding concern on disclosure {self.disclosure_id}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None


class StatusChange(models.Model):
    """The case's own status history (the audit log has it too, without the reason)."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    reason_sealed = models.BinaryField(default=b"", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(value: str) -> str:
    """ "Awaiting reassurance" for "awaiting_reassurance"; an unknown code as it is."""
    return str(Status(value).label) if value in Status.values else value

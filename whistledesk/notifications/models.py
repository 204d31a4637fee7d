"""Staff alert choices, the outgoing email queue and the periodic-job claim table.

Nothing here holds case content: an email row keeps the content-free text that was sent
(a reference and a sign-in link), so a manager can see what failed and a retry sends the same.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AlertKind(models.TextChoices):
    NEW_DISCLOSURE = "new_disclosure", "A new disclosure arrives"
    IMMEDIATE_RISK = "immediate_risk", "A disclosure says a child is at immediate risk"
    SOURCE_MESSAGE = "source_message", "A whistleblower replies or sends a file on your case"
    DAILY_DIGEST = "daily_digest", "Each morning, what is due or overdue"
    REASSURANCE_OVERDUE = (
        "reassurance_overdue",
        "A referral's reassurance date passes without a response on your case",
    )
    CASE_REMINDER = "case_reminder", "A reminder you set on a case falls due"


class AlertPreference(models.Model):
    """A person's own choice for one kind of alert; without a row the role default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    enabled = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="alert_pref_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'on' if self.enabled else 'off'}"


class EmailStatus(models.TextChoices):
    """- PENDING: waiting for its send task (first try or a retry after a back-off).
    - SENDING: claimed by one worker; a worker killed here is found by the reaper.
    - SENT: handed to the mail server or Notify.
    - FAILED: every attempt failed; shown to managers under "Email problems".
    """

    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


# A whistleblower's "you have a new message" (docs/adr/0011): not a staff alert, no choice.
SOURCE_NOTICE = "source_notice"
EMAIL_KINDS = [*AlertKind.choices, (SOURCE_NOTICE, "Whistleblower: you have a new message")]


class OutboundEmail(models.Model):
    # The organisation whose staff or whistleblower it is for: its managers alone see it fail
    # and send it again. Null only for rows queued before an installation had several.
    organisation = models.ForeignKey(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=30, choices=EMAIL_KINDS)
    # Blank for a whistleblower's notice: its address stays sealed in `source_email` and is
    # opened only by the sending worker, at the moment it sends.
    to = models.EmailField(blank=True)
    source_email = models.ForeignKey(
        "casefiles.SourceEmail",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception's class only: a mail server's message may echo an address or a header.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status")]

    def __str__(self) -> str:
        return f"{self.kind} email {self.pk} ({self.status})"


class PeriodicJob(models.Model):
    """One row per scheduled job: the next time it is due. A worker enqueues a run only by
    moving `next_run_at` forward with a conditional UPDATE, so however many workers tick at
    once, exactly one enqueues each run."""

    name = models.CharField(max_length=50, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    runs_enqueued = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name

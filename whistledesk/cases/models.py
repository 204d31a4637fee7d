"""The disclosure register.

Reporting fields (date received, channel, service, qualifying, anonymous, outcome) are
kept in clear so the annual report needs no keys. Everything that could identify a
whistleblower or tell their story lives in encrypted content tables added by intake and
casework, linked to `Disclosure` by foreign key: this model never holds it.
"""

from __future__ import annotations

from django.db import models

from whistledesk.core.models import TimeStampedModel
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory


class Channel(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    HELPLINE = "helpline", "Advice helpline"
    TRIBUNAL = "tribunal", "Employment tribunal claim"
    WEB = "web", "Secure web form"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    """Where a case stands. Transitions are defined and checked in `cases.workflow`.

    - RECEIVED: recorded, nobody has opened it yet.
    - ACKNOWLEDGED: a member of staff has opened it; the whistleblower sees "acknowledged".
    - ASSESSING: qualifying test, service, risk and handler being decided.
    - ACTION: referrals, representations or advice under way.
    - AWAITING_REASSURANCE: waiting for bodies to confirm the right processes were followed.
    - CLOSED: an outcome is recorded and any safeguarding action confirmed.
    """

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSESSING = "assessing", "Assessing"
    ACTION = "action", "Action under way"
    AWAITING_REASSURANCE = "awaiting_reassurance", "Awaiting reassurance"
    CLOSED = "closed", "Closed"


class Disclosure(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    received_on = models.DateField(db_index=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    service = models.ForeignKey(
        ServiceCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None until assessed: a qualifying disclosure within the prescribed matters (ERA s.43B/43F).
    qualifying = models.BooleanField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Staff-written and non-identifying (it appears in lists); the full account is encrypted.
    summary = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RECEIVED)
    urgent = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            # The annual report aggregates by these within a date range.
            models.Index(
                fields=["received_on", "qualifying", "service"], name="disc_report_service"
            ),
            models.Index(
                fields=["received_on", "qualifying", "outcome"], name="disc_report_outcome"
            ),
            models.Index(fields=["status", "received_on"], name="disc_status"),
        ]

    def __str__(self) -> str:
        return self.reference

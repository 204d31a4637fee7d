"""The disclosure register.

Reporting fields (date received, channel, service, qualifying, anonymous, outcome) are
kept in clear so the annual report needs no keys. Everything that could identify a
whistleblower or tell their story lives in encrypted content tables (casefiles), linked
to `Disclosure` by foreign key: this model never holds it. The setting a disclosure is
about is held in clear for linking and search on the staff side only; the annual report
never shows it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from whistledesk.cases.clock import acknowledgement_due
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
    """Where a case stands. Every change goes through `cases.workflow.disclosure_transition`.

    - RECEIVED: recorded, nobody has acknowledged it. Allows: acknowledge. Counts towards
      "acknowledgement due" (7 days from receipt).
    - ACKNOWLEDGED: staff have acknowledged it (the whistleblower sees "acknowledged"); the
      3-month feedback clock runs. Allows: start assessment; assignment; concerns.
    - ASSESSING: qualifying test, service, risk and handler being decided. Allows: record
      the assessment, then move to action, or close (e.g. not qualifying, advice only).
    - ACTION: referrals, representations, advice or requests for information under way.
      Allows: all actions; move to awaiting reassurance (needs a referral); close.
    - AWAITING_REASSURANCE: waiting for bodies to confirm the right processes were followed.
      Allows: record responses; back to action; close.
    - CLOSED: an outcome is recorded and no safeguarding concern is open (also enforced by
      a database constraint). Allows: reopen (manager, with a written reason) to ASSESSING.
    """

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSESSING = "assessing", "Assessing"
    ACTION = "action", "Action under way"
    AWAITING_REASSURANCE = "awaiting_reassurance", "Awaiting reassurance"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    """Ordered most serious first: the dashboard's urgent list puts immediate risk on top."""

    IMMEDIATE = "immediate", "Immediate risk to a child"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Section43B(models.TextChoices):
    """What the information tends to show (Employment Rights Act 1996 s.43B(1)(a)-(f))."""

    CRIMINAL_OFFENCE = "criminal_offence", "A criminal offence"
    LEGAL_OBLIGATION = "legal_obligation", "A failure to comply with a legal obligation"
    MISCARRIAGE_OF_JUSTICE = "miscarriage_of_justice", "A miscarriage of justice"
    HEALTH_SAFETY = "health_safety", "Danger to the health or safety of any individual"
    ENVIRONMENT = "environment", "Damage to the environment"
    CONCEALMENT = "concealment", "Deliberate concealment of any of the above"


class Timeliness(models.TextChoices):
    """How a statutory deadline was settled (cases.deadlines records it; blank while it runs).

    - MET: acknowledged / feedback given on or before the due date.
    - LATE: settled after the due date (a MISSED deadline becomes LATE when it is settled).
    - MISSED: the due date passed and it is still not settled.
    """

    MET = "met", "Met"
    LATE = "late", "Late"
    MISSED = "missed", "Missed"


class Disclosure(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Unique within the organisation (the constraint below), not the installation: an
    # imported register keeps its own references, whatever another organisation uses.
    reference = models.CharField(max_length=40)
    received_on = models.DateField()
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
    # What the whistleblower answered on the web form to "Is a child at risk of immediate
    # harm?" ("yes"/"no"; blank for other channels and web cases recorded before it was
    # kept), and who marked the case urgent when staff did, so the case page can say which.
    immediate_risk_answer = models.CharField(
        max_length=3, blank=True, choices=[("yes", "Yes"), ("no", "No")]
    )
    urgent_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgent_marked_at = models.DateTimeField(null=True, blank=True)
    # The language of the public pages the whistleblower used ("en" or "cy"): the emails to
    # them are written in it (whistledesk/core/language.py).
    language = models.CharField(
        max_length=2, default="en", choices=[("en", "English"), ("cy", "Cymraeg")]
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Assessment. The parts of the qualifying test are kept so the decision can be reviewed.
    s43b_categories = models.JSONField(default=list, blank=True)
    public_interest = models.BooleanField(null=True, blank=True)
    within_remit = models.BooleanField(null=True, blank=True)
    risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    # The setting the disclosure is about: shown to staff, linked by the normalised key and
    # identifiers, never printed in the annual report.
    setting_name = models.CharField(max_length=200, blank=True)
    setting_key = models.CharField(max_length=200, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=20, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_disclosures",
    )

    # Clocks and gates, kept up to date by the services so the dashboard lists are indexed
    # range scans instead of joins over referrals and concerns.
    feedback_due_on = models.DateField(null=True, blank=True)
    feedback_given_on = models.DateField(null=True, blank=True)
    next_reassurance_due = models.DateField(null=True, blank=True)
    # Each statutory deadline met or missed, for the annual report and management figures.
    # feedback_due_on is the effective date, a justified extension included.
    acknowledgement_timeliness = models.CharField(
        max_length=10, blank=True, choices=Timeliness.choices
    )
    feedback_timeliness = models.CharField(max_length=10, blank=True, choices=Timeliness.choices)
    safeguarding_open = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        # Every query is one organisation's (ADR 0017), so every index leads with it.
        indexes = [
            # The annual report aggregates by these within a date range.
            models.Index(
                fields=["organisation", "received_on", "qualifying", "service"],
                name="disc_report_service",
            ),
            models.Index(
                fields=["organisation", "received_on", "qualifying", "outcome"],
                name="disc_report_outcome",
            ),
            # Dashboard lists. Every list filters by organisation, so it leads each index
            # (otherwise the planner picks the foreign-key index and reads every row), and
            # status is included so "open only" is answered from the index alone. Not
            # partial indexes: SQLite cannot match their condition to a bound parameter.
            # The register's order is (received_on, id): with the id in the index a deep
            # page's OFFSET is walked in the index alone (cases.selectors.IdFirstPaginator).
            models.Index(fields=["organisation", "received_on", "id"], name="disc_org_received"),
            models.Index(fields=["organisation", "status", "received_on"], name="disc_status"),
            models.Index(
                fields=["organisation", "handler", "status", "received_on"], name="disc_handler"
            ),
            models.Index(
                fields=["organisation", "urgent", "status", "received_on"], name="disc_urgent"
            ),
            models.Index(
                fields=["organisation", "feedback_given_on", "feedback_due_on", "status"],
                name="disc_feedback_due",
            ),
            models.Index(
                fields=["organisation", "next_reassurance_due", "status"],
                name="disc_reassurance_due",
            ),
            # "Immediate risk": cases waiting for a safeguarding lead's confirmation.
            models.Index(
                fields=["organisation", "safeguarding_open", "received_on"],
                name="disc_safeguarding",
            ),
            # Search and "earlier disclosures about this setting" (cases.selectors).
            models.Index(fields=["organisation", "setting_key"], name="disc_setting_key"),
            models.Index(fields=["organisation", "ofsted_urn"], name="disc_ofsted_urn"),
            models.Index(fields=["organisation", "service", "received_on"], name="disc_service"),
            models.Index(fields=["organisation", "outcome", "received_on"], name="disc_outcome"),
            # "Closed with outcome X": the slowest list without it (bench/dashboard.py).
            models.Index(
                fields=["organisation", "status", "outcome", "received_on"],
                name="disc_status_outcome",
            ),
        ]
        constraints = [
            # Also the index for looking a case up (and searching) by its reference.
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="disc_org_reference_unique"
            ),
            # The safeguarding gate and the outcome rule hold even for code that bypasses the
            # services (a queryset update, a shell, a future API): the database refuses the row.
            models.CheckConstraint(
                condition=~Q(status="closed", safeguarding_open=True),
                name="disc_closed_no_open_safeguarding",
                violation_error_message="A case with an open safeguarding concern cannot close.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed", outcome__isnull=True),
                name="disc_closed_has_outcome",
                violation_error_message="A closed case needs an outcome.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def acknowledge_by(self) -> dt.date:
        return acknowledgement_due(self.received_on)

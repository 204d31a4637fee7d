"""Retention: how long a closed case's content is kept, legal holds, and what was destroyed.

Destruction removes a case's content and identity (the sealed case file and the free-text
fields of the register) but keeps the register row and its reporting fields, so past annual
reports are unchanged (issue 5, item 4; EU Directive 2019/1937 Art 18).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import Organisation, Outcome

DEFAULT_KEEP_YEARS = 6
MAX_KEEP_YEARS = 100


class RetentionPolicy(models.Model):
    """Keep a closed case's content `keep_years` after closure, then destroy it.

    A policy names an outcome, or none: the organisation's default, used for closed cases
    whose outcome has no policy of its own. Without a matching policy and without a default,
    nothing is destroyed: destruction is always a configured decision.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="retention_policies"
    )
    outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leave empty for the default policy (closed cases whose outcome has none).",
    )
    keep_years = models.PositiveSmallIntegerField(
        default=DEFAULT_KEEP_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_KEEP_YEARS)],
        help_text="Years after closure that the case file and case notes are kept.",
    )
    unassessed_keep_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_KEEP_YEARS)],
        help_text=(
            "Optional shorter period for cases closed without ever being assessed "
            "(for example no engagement from the whistleblower)."
        ),
    )
    basis = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this period: the legal or business reason (shown in the preview).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "retention policies"
        ordering = [F("outcome__position").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "outcome"],
                condition=Q(outcome__isnull=False),
                name="retention_one_policy_per_outcome",
                violation_error_message="This outcome already has a retention policy.",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(outcome__isnull=True),
                name="retention_one_default_policy",
                violation_error_message="There is already a default retention policy.",
            ),
            models.CheckConstraint(
                condition=Q(keep_years__gte=1),
                name="retention_keep_at_least_a_year",
            ),
        ]

    def __str__(self) -> str:
        target = self.outcome.label if self.outcome_id and self.outcome else "Default"
        return f"{target}: {self.keep_years} years"


class LegalHold(models.Model):
    """While a hold is active (not lifted) the case is never destroyed, whatever its policy.

    The reasons are staff-written and must not identify anyone (e.g. "tribunal claim").
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=Q(lifted_at__isnull=True),
                name="retention_one_active_hold",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="retention_hold_lifted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"legal hold on disclosure {self.disclosure_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class RetentionRecord(models.Model):
    """One destroyed case: when, under which rule. Holds no content."""

    disclosure = models.OneToOneField(
        Disclosure, on_delete=models.PROTECT, related_name="retention_record"
    )
    destroyed_at = models.DateTimeField()
    policy = models.ForeignKey(
        RetentionPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A snapshot of the rule applied: the policy may be edited or deleted later.
    keep_years = models.PositiveSmallIntegerField()
    closed_on = models.DateField(null=True, blank=True)
    kept_until = models.DateField()
    rows_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-destroyed_at", "-id"]

    def __str__(self) -> str:
        return f"disclosure {self.disclosure_id} destroyed {self.destroyed_at:%Y-%m-%d}"

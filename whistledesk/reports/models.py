"""Published annual reports: the exact files a manager published, frozen.

Publishing stores every format the product renders, byte for byte, with a SHA-256 of
each, so that later changes to cases never alter what was published. A correction is a
new version with a written reason; earlier versions are kept (ADR 0008).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PublishedReport(models.Model):
    organisation = models.ForeignKey(
        "organisation.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A snapshot, so the record still reads correctly if the account is renamed; for a
    # command, the command's name.
    published_by_label = models.CharField(max_length=150)
    # Why this version replaces the one before (empty for the first version).
    correction_reason = models.TextField(blank=True)
    # The figures as published (the JSON document's fields), compared with the live ones.
    figures = models.JSONField()
    # The disclosure check as published: the threshold, each flagged cell and text warning
    # with the decision, its reason and who took it (reports/disclosure_control.py).
    disclosure_control = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["organisation", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"], name="published_report_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.year} version {self.version}"


class PublishedReportFile(models.Model):
    report = models.ForeignKey(PublishedReport, on_delete=models.PROTECT, related_name="files")
    fmt = models.CharField(max_length=10)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "fmt"]
        constraints = [
            models.UniqueConstraint(fields=["report", "fmt"], name="published_report_file_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.fmt})"


class DecisionAction(models.TextChoices):
    """What a manager decided about one disclosure-control warning (ADR 0015).

    A small table cell is suppressed ("[c]"), merged into the table's "other" row, or
    published as it is with a reason; a text naming something from the register is accepted
    with a reason (or edited, which removes the warning and needs no decision).
    """

    SUPPRESS = "suppress", "Suppress: show [c] instead of the number"
    MERGE = "merge", "Merge into the table's “other” row"
    PUBLISH = "publish", "Publish the number as it is"
    ACCEPT = "accept", "Publish the text as it is"


class DisclosureDecision(models.Model):
    """The current decision on one warning of one year's report; the latest one counts.

    `warning` is the warning's key (reports/disclosure_control.py): a table and row label, or
    a text section and the value found in it. A decision whose warning is no longer raised
    (the figures or the text changed) is kept but applies to nothing.
    """

    organisation = models.ForeignKey(
        "organisation.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    warning = models.CharField(max_length=800)
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_label = models.CharField(max_length=150)

    class Meta:
        ordering = ["organisation", "year", "warning"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "warning"], name="disclosure_decision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.action}"

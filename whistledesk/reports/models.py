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

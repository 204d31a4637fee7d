"""Publishing the annual report: store the exact files, a hash of each, who and when.

Only managers publish (`cases.permissions`, Perm.PUBLISH_REPORT). A correction is a new
version that says why; every version is kept. Each publication is one audit event in the
same transaction as the rows it writes. Publishing is refused while any disclosure warning
is unresolved; the decisions and their reasons are stored with the version (ADR 0015).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.cases.permissions import Perm, require
from whistledesk.organisation.models import Organisation
from whistledesk.reports.disclosure_check import disclosure_check_get
from whistledesk.reports.models import PublishedReport, PublishedReportFile
from whistledesk.reports.renderers import PUBLISHED_FORMATS, render_bytes
from whistledesk.reports.renderers.language import published_key, report_in_language
from whistledesk.reports.selectors import ReportError

MAX_REASON = 2000


class PublishError(ReportError):
    """The report cannot be published as asked."""


def report_publish(
    *, actor: Any, organisation: Organisation, year: int, reason: str = ""
) -> PublishedReport:
    """Publish the report for `year` as it stands now: version 1, or a correction.

    `actor` is a member of staff (who must be allowed to publish) or, for the
    `publish_report` command run by whoever operates the server, the command's name.
    """
    if not isinstance(actor, str):
        require(actor, Perm.PUBLISH_REPORT)
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise PublishError(f"The reason must be {MAX_REASON} characters or fewer", field="reason")
    with transaction.atomic():
        # Lock the organisation row: two publications of one year never take one number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        latest = (
            PublishedReport.objects.filter(organisation=organisation, year=year)
            .order_by("-version")
            .first()
        )
        if latest is not None and not reason:
            raise PublishError(
                f"Version {latest.version} of this report is already published: give the "
                "reason for the correction to publish a new version",
                field="reason",
            )
        check = disclosure_check_get(organisation=organisation, year=year)
        if check.unresolved:
            raise PublishError(check.refusal())
        report = check.report
        published = PublishedReport.objects.create(
            organisation=organisation,
            year=year,
            version=latest.version + 1 if latest else 1,
            published_at=timezone.now(),
            published_by=None if isinstance(actor, str) else actor,
            published_by_label=actor if isinstance(actor, str) else actor.get_username(),
            correction_reason=reason,
            figures=report.as_dict(),
            disclosure_control=check.as_record(),
        )
        hashes: dict[str, str] = {}
        # Every language the organisation enables: the Welsh files as "md-cy", ...
        for language in organisation.language_codes:
            edition = report_in_language(report, organisation=organisation, language=language)
            for fmt in PUBLISHED_FORMATS:
                key = published_key(fmt, language)
                content = render_bytes(edition, fmt)
                hashes[key] = hashlib.sha256(content).hexdigest()
                PublishedReportFile.objects.create(
                    report=published, fmt=key, content=content, sha256=hashes[key]
                )
        audit_record(
            actor=actor,
            action="report.published",
            object_type="published_report",
            object_id=published.pk,
            details={
                "year": year,
                "version": published.version,
                "correction": bool(reason),
                "sha256": hashes,
                "disclosure_control": _control_summary(check.as_record()),
            },
        )
    return published


def _control_summary(record: dict[str, Any]) -> dict[str, int]:
    """Counts for the audit event; the labels, values and reasons stay in the report row."""
    decisions = [w["decision"] for w in (*record["cells"], *record["texts"]) if w["decision"]]
    summary = {"threshold": record["threshold"], "cells": len(record["cells"])}
    summary["texts"] = len(record["texts"])
    summary["secondary_suppressed"] = len(record["secondary_suppressed"])
    for action in ("suppress", "merge", "publish", "accept"):
        summary[action] = sum(d["action"] == action for d in decisions)
    return summary

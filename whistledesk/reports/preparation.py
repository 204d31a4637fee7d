"""Preparing a year's report before it is published: its texts, the small-cell threshold
and the decisions on disclosure warnings (ADR 0015).

Only those who may publish may prepare (`cases.permissions`, Perm.PUBLISH_REPORT). Each
change is one audit event in the same transaction; texts and reasons stay out of the audit
log (its guard refuses free text), which records a SHA-256 of a text instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.cases.permissions import Perm, require
from whistledesk.organisation.models import Organisation, ReportYear
from whistledesk.reports.disclosure_control import ACCEPT, CELL_ACTIONS, PUBLISH
from whistledesk.reports.disclosure_texts import SECTIONS
from whistledesk.reports.models import DisclosureDecision
from whistledesk.reports.selectors import ReportError, report_period

# Limits, said once: the forms and the messages use these.
MAX_TEXT = 20_000
MAX_REASON = 2000
MIN_THRESHOLD, MAX_THRESHOLD = 1, 100
# Per-year texts: the section's field on ReportYear. The introduction is the organisation's.
YEAR_FIELDS = {
    "impact": "impact_text",
    "further_action_example": "further_action_example",
    "no_further_action_example": "no_further_action_example",
}


class PrepareError(ReportError):
    """A change to the report's preparation cannot be made as asked."""


def _check_actor(actor: Any) -> None:
    # A command (load_demo) acts as its name; a person must be allowed to publish.
    if not isinstance(actor, str):
        require(actor, Perm.PUBLISH_REPORT)


def _label(actor: Any) -> str:
    return actor if isinstance(actor, str) else actor.get_username()


def report_text_update(
    *, actor: Any, organisation: Organisation, year: int, section: str, text: str
) -> None:
    """Write one of the report's texts. The introduction is shared by every year."""
    _check_actor(actor)
    if section not in SECTIONS:
        raise PrepareError(f"There is no report text called {section!r}")
    report_period(organisation=organisation, year=year)  # refuses a year out of range
    text = text.strip().replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise PrepareError(
            f"The text must be {MAX_TEXT:,} characters or fewer; it is {len(text):,}",
            field="text",
        )
    with transaction.atomic():
        if section == "functions":
            org = Organisation.objects.select_for_update().get(pk=organisation.pk)
            org.functions_text = text
            org.save(update_fields=["functions_text", "updated_at"])
            organisation.functions_text = text
            object_type, object_id = "organisation", org.pk
        else:
            row, _ = ReportYear.objects.select_for_update().get_or_create(
                organisation=organisation, year=year
            )
            setattr(row, YEAR_FIELDS[section], text)
            row.save(update_fields=[YEAR_FIELDS[section], "updated_at"])
            object_type, object_id = "report_year", row.pk
        audit_record(
            actor=actor,
            action="report.text_updated",
            object_type=object_type,
            object_id=object_id,
            details={
                "year": year,
                "section": section,
                "length": len(text),
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )


def report_threshold_set(*, actor: Any, organisation: Organisation, threshold: int) -> None:
    """Set the small-cell threshold: cells counting fewer than this (but some) are flagged."""
    _check_actor(actor)
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise PrepareError(
            f"The threshold must be a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}",
            field="threshold",
        )
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = org.small_cell_threshold
        if before == threshold:
            return
        org.small_cell_threshold = threshold
        org.save(update_fields=["small_cell_threshold", "updated_at"])
        organisation.small_cell_threshold = threshold
        audit_record(
            actor=actor,
            action="report.threshold_set",
            object_type="organisation",
            object_id=org.pk,
            details={"before": before, "after": threshold},
        )


def report_disclosure_decide(
    *, actor: Any, organisation: Organisation, year: int, warning: str, action: str, reason: str
) -> DisclosureDecision:
    """Record the decision on one warning (a cell or a text), replacing any earlier one.

    The caller says which warning is raised now (disclosure_check.disclosure_check_get);
    this checks that the action suits its kind and that a reason is given where needed.
    """
    _check_actor(actor)
    report_period(organisation=organisation, year=year)
    reason = reason.strip()
    is_cell = warning.startswith("cell:")
    if not (is_cell or warning.startswith("text:")):
        raise PrepareError("That is not a disclosure warning")
    if action not in (CELL_ACTIONS if is_cell else (ACCEPT,)):
        raise PrepareError("Select what to do about this warning", field="action")
    if action in (PUBLISH, ACCEPT) and not reason:
        raise PrepareError(
            "Enter the reason for publishing it as it is: it is kept with the published report",
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise PrepareError(f"The reason must be {MAX_REASON:,} characters or fewer", field="reason")
    with transaction.atomic():
        decision, _ = DisclosureDecision.objects.update_or_create(
            organisation=organisation,
            year=year,
            warning=warning,
            defaults={
                "action": action,
                "reason": reason,
                "decided_at": timezone.now(),
                "decided_by": None if isinstance(actor, str) else actor,
                "decided_by_label": _label(actor),
            },
        )
        audit_record(
            actor=actor,
            action="report.disclosure_decided",
            object_type="disclosure_decision",
            object_id=decision.pk,
            details={
                "year": year,
                # The table or text section only: a text warning's value (a setting's
                # name) stays out of the log.
                "warning_kind": "cell" if is_cell else "text",
                "where": warning.split(":")[1],
                "decision": action,
            },
        )
    return decision

"""Reads that put disclosure control together (ADR 0015): the report as it will be
published (every decision applied), and the full check that publishing needs resolved.

`report_for_publication` is what every format, download, chart and the API render, so a
suppressed cell is "[c]" everywhere. `disclosure_check_get` adds the scan of the texts
(disclosure_texts.py) and is run by the prepare page and by publishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whistledesk.organisation.models import Organisation
from whistledesk.reports.disclosure_control import (
    ACCEPT,
    CellWarning,
    ControlledTables,
    Decision,
    control_tables,
    decision_record,
)
from whistledesk.reports.disclosure_texts import (
    KINDS,
    SECTIONS,
    Finding,
    report_texts,
    text_findings,
)
from whistledesk.reports.models import DisclosureDecision
from whistledesk.reports.report import AnnualReport
from whistledesk.reports.selectors import annual_report_get


@dataclass(frozen=True)
class TextWarning:
    finding: Finding
    decision: Decision | None

    @property
    def key(self) -> str:
        return self.finding.key

    @property
    def section_title(self) -> str:
        return SECTIONS[self.finding.section]

    @property
    def kind_title(self) -> str:
        return KINDS[self.finding.kind]

    @property
    def resolved(self) -> bool:
        d = self.decision
        return d is not None and d.action == ACCEPT and bool(d.reason.strip())

    def describe(self) -> str:
        return f"{self.section_title} names {self.kind_title} (“{self.finding.value}”)"


@dataclass(frozen=True)
class DisclosureCheck:
    threshold: int
    tables: ControlledTables
    texts: tuple[TextWarning, ...]

    @property
    def report(self) -> AnnualReport:
        return self.tables.report

    @property
    def cells(self) -> tuple[CellWarning, ...]:
        return self.tables.cells

    @property
    def unresolved(self) -> list[str]:
        """Each warning still open, in words (the page and the refusal list them)."""
        return [c.describe() for c in self.cells if not c.resolved] + [
            t.describe() for t in self.texts if not t.resolved
        ]

    def refusal(self) -> str:
        open_ = self.unresolved
        return (
            f"The report cannot be published while {len(open_)} disclosure "
            f"{'warning is' if len(open_) == 1 else 'warnings are'} unresolved: "
            + "; ".join(open_)
            + ". Resolve each on the report's prepare page."
        )

    def as_record(self) -> dict[str, Any]:
        """What is stored with the published version: every warning and its decision."""
        return {
            "threshold": self.threshold,
            "cells": [
                {
                    "table": c.table,
                    "label": c.label,
                    "count": c.count,
                    "decision": decision_record(c.decision),
                }
                for c in self.cells
            ],
            "secondary_suppressed": [
                {"table": t, "label": label} for t, label in self.tables.secondary
            ],
            "texts": [
                {
                    "section": t.finding.section,
                    "kind": t.finding.kind,
                    "value": t.finding.value,
                    "decision": decision_record(t.decision),
                }
                for t in self.texts
            ],
        }


def decisions_get(*, organisation: Organisation, year: int) -> dict[str, Decision]:
    rows = DisclosureDecision.objects.filter(organisation=organisation, year=year).values_list(
        "warning", "action", "reason", "decided_by_label", "decided_at"
    )
    return {
        warning: Decision(action, reason, by, at.isoformat())
        for warning, action, reason, by, at in rows
    }


def _controlled(
    organisation: Organisation, report: AnnualReport, decisions: dict[str, Decision]
) -> ControlledTables:
    return control_tables(report, threshold=organisation.small_cell_threshold, decisions=decisions)


def report_for_publication(*, organisation: Organisation, year: int) -> AnnualReport:
    """The year's report with every disclosure-control decision applied."""
    report = annual_report_get(organisation=organisation, year=year)
    decisions = decisions_get(organisation=organisation, year=year)
    return _controlled(organisation, report, decisions).report


def disclosure_check_get(
    *, organisation: Organisation, year: int, texts: dict[str, str] | None = None
) -> DisclosureCheck:
    """The whole check for `year`: flagged cells and text warnings with their decisions.

    `texts` replaces the stored texts by section (a preview checks what is being written).
    """
    report = annual_report_get(organisation=organisation, year=year)
    decisions = decisions_get(organisation=organisation, year=year)
    threshold = organisation.small_cell_threshold
    findings = text_findings(
        organisation=organisation,
        report=report,
        texts=report_texts(report) | (texts or {}),
        threshold=threshold,
    )
    return DisclosureCheck(
        threshold=threshold,
        tables=_controlled(organisation, report, decisions),
        texts=tuple(TextWarning(f, decisions.get(f.key)) for f in findings),
    )

"""Reads for published reports: the versions of a year, a stored file, and what differs
between the figures as published and the figures as they stand now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whistledesk.organisation.models import Organisation
from whistledesk.reports.models import PublishedReport, PublishedReportFile
from whistledesk.reports.selectors import ReportError

FIGURE_LABELS = {
    "received": "Received",
    "qualifying": "Qualifying disclosures",
    "previous_period_received": "Received the year before",
    "further_action": "Further action taken",
    "no_further_action": "No further action",
    "awaiting_decision": "Awaiting decision",
    "anonymous": "Made anonymously",
}
TABLE_LABELS = {"by_service": "By service", "by_outcome": "By action", "by_channel": "By channel"}


class NotPublished(ReportError):
    """No version of the report for that year has been published."""


@dataclass(frozen=True)
class Difference:
    figure: str
    # None: suppressed (disclosure control), shown as "[c]".
    published: int | None
    live: int | None


def published_versions(*, organisation: Organisation, year: int) -> list[PublishedReport]:
    """Every version of the year's report, newest first."""
    return list(
        PublishedReport.objects.filter(organisation=organisation, year=year)
        .select_related("published_by")
        .order_by("-version")
    )


def published_latest(*, organisation: Organisation, year: int) -> PublishedReport:
    latest = (
        PublishedReport.objects.filter(organisation=organisation, year=year)
        .order_by("-version")
        .first()
    )
    if latest is None:
        raise NotPublished(
            f"No report for {year} has been published yet: publish it from the annual report "
            f"page or with `whistledesk publish_report --year {year}`"
        )
    return latest


def published_file(*, organisation: Organisation, year: int, version: int, fmt: str) -> bytes:
    row = (
        PublishedReportFile.objects.filter(
            report__organisation=organisation,
            report__year=year,
            report__version=version,
            fmt=fmt,
        )
        .values_list("content", flat=True)
        .first()
    )
    if row is None:
        raise NotPublished(f"Version {version} of the {year} report has no {fmt} file")
    return bytes(row)


def _flatten(figures: dict[str, Any]) -> dict[str, int | None]:
    flat: dict[str, int | None] = {
        FIGURE_LABELS[k]: int(figures[k]) for k in FIGURE_LABELS if k in figures
    }
    for key, title in TABLE_LABELS.items():
        for row in figures.get(key, []):
            count = row["count"]
            flat[f"{title}: {row['label']}"] = None if count is None else int(count)
    return flat


def figure_differences(*, published: dict[str, Any], live: dict[str, Any]) -> list[Difference]:
    """Each figure or table row whose count differs (a row missing on one side counts 0)."""
    before, now = _flatten(published), _flatten(live)
    names = list(before) + [n for n in now if n not in before]
    return [
        Difference(name, before.get(name, 0), now.get(name, 0))
        for name in names
        if before.get(name, 0) != now.get(name, 0)
    ]

"""The report as Markdown, reading like the published document (title, sections, tables)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from whistledesk.core.markup import markdown_clean, md_escape
from whistledesk.reports import narrative
from whistledesk.reports.narrative import Paragraph, Part
from whistledesk.reports.report import SUPPRESSED_NOTE, AnnualReport, Row

# Lazy: each is read in the report's language when it is rendered.
SERVICE_HEADING = gettext_lazy("Service the disclosure relates to")
OUTCOME_HEADING = gettext_lazy("Action taken in the reporting period")
COUNT_HEADING = gettext_lazy("Number of Disclosures Received")


def _part(part: Part) -> str:
    # Staff-written Markdown keeps its paragraphs, lists, bold and safe links (nothing more
    # than the HTML report shows); generated text is escaped.
    return markdown_clean(part.text) if part.markdown else md_escape(part.text)


def paragraph(parts: Paragraph) -> str:
    return " ".join(_part(p) for p in parts)


def table(heading: str | Promise, rows: tuple[Row, ...], *, total: int | None = None) -> str:
    lines = [f"| {heading} | {COUNT_HEADING} |", "| --- | ---: |"]
    lines += [f"| {md_escape(r.label)} | {md_escape(r.display)} |" for r in rows]
    if total is not None:
        lines.append(f"| {_('Total')} | {total:,} |")
    table = "\n".join(lines)
    if any(r.suppressed for r in rows):
        table += "\n\n" + md_escape(_(SUPPRESSED_NOTE))
    return table


def render(report: AnnualReport) -> Iterator[str]:
    sections = [
        f"# {md_escape(report.title)}",
        md_escape(narrative.period_text(report)),
        f"## {_('Introduction')}",
        _part(narrative.functions_part(report)),
        f"## {md_escape(narrative.activity_heading(report))}",
        *(paragraph(p) for p in narrative.activity_paragraphs(report)),
        f"## {_('Impact on our functions')}",
        _part(narrative.impact_part(report)),
        f"## {md_escape(narrative.breakdown_heading(report))}",
        table(SERVICE_HEADING, report.service_table, total=report.qualifying),
        table(OUTCOME_HEADING, report.outcome_table),
    ]
    yield "\n\n".join(sections) + "\n"

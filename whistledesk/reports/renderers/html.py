"""The report as a standalone, printable HTML document for publication.

Self-contained (its own small stylesheet, no scripts, no links to this service), so it
can be put on the organisation's website as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from whistledesk.core.markup import block_html, blocks, inline_html
from whistledesk.reports import narrative
from whistledesk.reports.narrative import Paragraph, Part
from whistledesk.reports.renderers.markdown import COUNT_HEADING, OUTCOME_HEADING, SERVICE_HEADING
from whistledesk.reports.report import SUPPRESSED_NOTE, AnnualReport


def paragraph_html(parts: Paragraph) -> SafeString:
    """One paragraph; staff Markdown after the first of its blocks starts new paragraphs."""
    html: list[str] = []
    current: list[str] = []
    for part in parts:
        if not part.markdown:
            current.append(escape(part.text))
            continue
        for i, block in enumerate(blocks(part.text)):
            if i == 0 and not block.lstrip().startswith(("- ", "* ")):
                current.append(inline_html(" ".join(block.split())))
            else:
                if current:
                    html.append(f'<p class="govuk-body">{" ".join(current)}</p>')
                    current = []
                html.append(block_html(block))
    if current:
        html.append(f'<p class="govuk-body">{" ".join(current)}</p>')
    # Plain parts went through `escape`, Markdown through `inline_html`/`block_html`.
    return mark_safe("".join(html))  # noqa: S308


def section_html(part: Part) -> SafeString:
    return paragraph_html((part,))


def context(report: AnnualReport) -> dict[str, Any]:
    """What the document and the staff page show; every string is escaped or safe HTML."""
    return {
        "report": report,
        "period": narrative.period_text(report),
        "functions_html": section_html(narrative.functions_part(report)),
        "impact_written": bool(report.impact_text.strip()),
        "impact_html": section_html(narrative.impact_part(report)),
        "activity_heading": narrative.activity_heading(report),
        "activity_html": [paragraph_html(p) for p in narrative.activity_paragraphs(report)],
        "breakdown_heading": narrative.breakdown_heading(report),
        "service_heading": SERVICE_HEADING,
        "outcome_heading": OUTCOME_HEADING,
        "count_heading": COUNT_HEADING,
        "suppressed_note": _(SUPPRESSED_NOTE),
        "tables_suppressed": any(r.suppressed for r in (*report.service_table, *report.by_outcome)),
    }


def render(report: AnnualReport) -> Iterator[str]:
    yield render_to_string("reports/document.html", context(report))

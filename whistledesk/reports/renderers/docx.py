"""The report as an editable Word document (python-docx): real headings, real tables.

The communications team edits this one before it goes out, so it uses Word's own styles
(Title, Heading 1, Heading 2, List Bullet, a table with a header row), not formatting.
"""

from __future__ import annotations

import io
import re

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

from whistledesk.core.markup import blocks
from whistledesk.reports import narrative
from whistledesk.reports.charts import chart_png, report_charts
from whistledesk.reports.narrative import Paragraph, Part
from whistledesk.reports.renderers.markdown import COUNT_HEADING, OUTCOME_HEADING, SERVICE_HEADING
from whistledesk.reports.report import SUPPRESSED_NOTE, AnnualReport, Row

# The brand colour of the front end (frontend/scss/whistledesk.scss).
BRAND = RGBColor(0x3D, 0x2A, 0x6B)
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")


def _plain(markdown: str) -> str:
    """Staff Markdown as words: links keep their address in brackets, emphasis marks go."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    return _EMPHASIS.sub(r"\2", text)


def _paragraphs(parts: Paragraph) -> list[tuple[str, bool]]:
    """(text, is a list item) for each paragraph, as the HTML report splits them."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []
    for part in parts:
        if not part.markdown:
            current.append(part.text)
            continue
        for i, block in enumerate(blocks(part.text)):
            items = block.lstrip().startswith(("- ", "* "))
            if i == 0 and not items:
                current.append(_plain(" ".join(block.split())))
                continue
            if current:
                out.append((" ".join(current), False))
                current = []
            if items:
                for line in block.splitlines():
                    out.append((_plain(line.strip()[2:].strip()), True))
            else:
                out.append((_plain(" ".join(block.split())), False))
    if current:
        out.append((" ".join(current), False))
    return out


def _write(document: object, parts: Paragraph) -> None:
    for text, item in _paragraphs(parts):
        document.add_paragraph(text, style="List Bullet" if item else None)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    """Mark the first row as the table's header row (read out, repeated across pages)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(
    document: object,
    caption: str,
    heading: str | Promise,
    rows: tuple[Row, ...],
    total: int | None,
    *,
    count_heading: str | Promise = COUNT_HEADING,
) -> None:
    document.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]
    body = [(r.label, r.display) for r in rows]
    if total is not None:
        body.append((_("Total"), f"{total:,}"))
    table = document.add_table(rows=1 + len(body), cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (heading, count_heading), strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header(table.rows[0])
    for row, (label, count) in zip(table.rows[1:], body, strict=True):
        row.cells[0].text = label
        row.cells[1].text = count
        row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[0].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if total is not None:
        for cell in table.rows[-1].cells:
            cell.paragraphs[0].runs[0].bold = True
    if any(r.suppressed for r in rows):
        document.add_paragraph(_(SUPPRESSED_NOTE))  # type: ignore[attr-defined]


def render_docx(report: AnnualReport) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = f"{report.title}: {narrative.period_text(report)}"
    properties.author = report.organisation
    for style in ("Title", "Heading 1"):
        document.styles[style].font.color.rgb = BRAND
    document.add_paragraph(report.organisation, style="Subtitle")
    document.add_heading(report.title, level=0)
    document.add_paragraph(narrative.period_text(report))
    document.add_heading(_("Introduction"), level=1)
    _write(document, (narrative.functions_part(report),))
    document.add_heading(narrative.activity_heading(report), level=1)
    for paragraph in narrative.activity_paragraphs(report):
        _write(document, paragraph)
    document.add_heading(_("Impact on our functions"), level=1)
    _write(document, (narrative.impact_part(report),))
    document.add_heading(narrative.breakdown_heading(report), level=1)
    document.add_paragraph(
        _(
            "The tables by service and by action count qualifying disclosures only: "
            "%(qualifying)s of the %(received)s received."
        )
        % {"qualifying": f"{report.qualifying:,}", "received": f"{report.received:,}"}
    )
    _table(
        document,
        _("Disclosures by service"),
        SERVICE_HEADING,
        report.service_table,
        report.qualifying,
    )
    _table(document, _("Disclosures by action taken"), OUTCOME_HEADING, report.outcome_table, None)
    _table(
        document,
        _("Disclosures received by reporting year"),
        _("Reporting year"),
        report.received_by_year,
        None,
        count_heading=_("Disclosures received, qualifying or not"),
    )
    document.add_heading(_("Charts"), level=1)
    document.add_paragraph(_("Each chart shows the figures in the table of the same name above."))
    for chart in report_charts(report):
        document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))
        # The picture's alternative text (Word's "Alt Text"), read out by screen readers.
        doc_pr = document.inline_shapes[-1]._inline.docPr
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.heading)
        document.add_paragraph(chart.heading, style="Caption")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["Part", "render_docx"]

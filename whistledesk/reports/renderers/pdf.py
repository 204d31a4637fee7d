"""The report as an accessible PDF (WeasyPrint): tagged, PDF/UA, with the organisation's
branding, real headings and table headers.

It is drawn from the same content as the HTML document (renderers/html.py's context) with
a print stylesheet of its own (templates/reports/pdf.html).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from whistledesk.reports.charts import chart_data_uri, report_charts
from whistledesk.reports.renderers.html import context
from whistledesk.reports.report import AnnualReport


def render_pdf(report: AnnualReport) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this renderer needs.
    from weasyprint import HTML

    charts = [
        {"uri": chart_data_uri(c), "alt": c.alt, "heading": c.heading}
        for c in report_charts(report)
    ]
    document = render_to_string("reports/pdf.html", context(report) | {"charts": charts})
    # PDF/UA-1 makes WeasyPrint tag the structure (headings, tables with their header
    # cells, paragraphs) and set the language and title that screen readers announce.
    pdf = HTML(string=document, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)

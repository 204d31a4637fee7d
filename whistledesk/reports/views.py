"""Staff pages for the annual report: the report for a year, and its downloads."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from whistledesk.accounts.decorators import staff_required
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.reports.forms import ReportYearForm
from whistledesk.reports.renderers import FORMATS, render_chunks, render_text
from whistledesk.reports.renderers.html import context as report_context
from whistledesk.reports.report import AnnualReport, year_label
from whistledesk.reports.selectors import ReportError, annual_report_get, report_year_choices

DOWNLOAD_LABELS = {
    "md": "Markdown (.md)",
    "html": "HTML document for publication (.html)",
    "json": "JSON (.json)",
    "csv": "CSV tables for open data (.csv)",
}
# The downloaded HTML document carries its own small stylesheet and nothing else.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"


@staff_required
def annual_report_view(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    years = report_year_choices(organisation=organisation)
    form = ReportYearForm(
        request.GET if "year" in request.GET else None,
        years=[(y, year_label(y, period_start=organisation.period_for_year(y)[0])) for y in years],
    )
    current = organisation.year_of(dt.date.today())
    # By default the last complete year: the one a report is published for.
    year: int | None = next((y for y in years if y < current), years[0])
    if form.is_bound:
        year = form.cleaned_data["year"] if form.is_valid() else None
    context: dict[str, object] = {"form": form, "year": year, "report": None}
    if year is not None:
        report = annual_report_get(organisation=organisation, year=year)
        context |= report_context(report)
        context["downloads"] = [
            {"url": reverse("reports:download", args=[year, fmt]), "label": label}
            for fmt, label in DOWNLOAD_LABELS.items()
        ]
    return render(request, "reports/annual.html", context)


def _filename(report: AnnualReport, fmt: str) -> str:
    return f"whistleblowing-report-{report.year_label.replace('/', '-')}.{fmt}"


@staff_required
def annual_report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    try:
        organisation = organisation_get()
        report = annual_report_get(organisation=organisation, year=year)
    except (NotConfigured, ReportError) as exc:
        raise Http404(str(exc)) from exc
    content_type = FORMATS[fmt].content_type
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(render_chunks(report, fmt), content_type=content_type)
    else:
        response = HttpResponse(render_text(report, fmt), content_type=content_type)
    if fmt == "html":
        response["Content-Security-Policy"] = DOCUMENT_CSP
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
    # The CSV streams; `staff_required` is typed for HttpResponse only.
    return response  # type: ignore[return-value]

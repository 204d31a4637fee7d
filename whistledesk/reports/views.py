"""Staff pages for the annual report: the report for a year, and its downloads."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.cases.permissions import Perm, has_perm
from whistledesk.cases.views_permissions import perm_required
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.reports.charts import chart_svg, report_charts
from whistledesk.reports.disclosure_check import report_for_publication
from whistledesk.reports.forms import PublishForm, ReportYearForm
from whistledesk.reports.published import (
    NotPublished,
    figure_differences,
    published_file,
    published_versions,
)
from whistledesk.reports.renderers import (
    DOCUMENT_FORMATS,
    PUBLISHED_FORMATS,
    content_type,
    render_bytes,
    render_chunks,
    render_text,
)
from whistledesk.reports.renderers.html import context as report_context
from whistledesk.reports.renderers.language import (
    LanguageNotEnabled,
    check_language,
    published_key,
    report_in_language,
)
from whistledesk.reports.report import AnnualReport, year_label
from whistledesk.reports.selectors import (
    DEFINITIONS,
    ReportError,
    report_assessment_get,
    report_year_choices,
)
from whistledesk.reports.services import report_publish

DOWNLOAD_LABELS = {
    "md": "Markdown (.md)",
    "html": "HTML document for publication (.html)",
    "json": "JSON (.json)",
    "csv": "CSV tables for open data (.csv)",
    "pdf": "PDF document, accessible and tagged (.pdf)",
    "docx": "Word document to edit (.docx)",
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
        report = report_for_publication(organisation=organisation, year=year)
        context |= _report_page_context(request, organisation, report, PublishForm())
    return render(request, "reports/annual.html", context)


def _report_page_context(
    request: HttpRequest, organisation: Organisation, report: AnnualReport, form: PublishForm
) -> dict[str, object]:
    """Everything the page shows about one year's report, besides the year picker."""
    context = report_context(report)
    context["downloads"] = [
        {"url": reverse("reports:download", args=[report.year, fmt]), "label": label}
        for fmt, label in DOWNLOAD_LABELS.items()
    ]
    # The Welsh report, for an organisation that enables Welsh (renderers/language.py).
    context["welsh_downloads"] = [
        {"url": f"{link['url']}?language=cy", "label": link["label"]}
        for link in context["downloads"]
        if "cy" in organisation.language_codes
    ]
    context |= _published_context(request, organisation, report, form)
    context["assessment"] = report_assessment_get(organisation=organisation, report=report)
    context["charts"] = [
        {"chart": c, "url": reverse("reports:chart", args=[report.year, c.key])}
        for c in report_charts(report)
    ]
    return context


@staff_required
def chart_view(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """One chart of the live report, as SVG (drawn on the server; no script)."""
    try:
        organisation = organisation_get()
        report = report_for_publication(organisation=organisation, year=year)
    except (NotConfigured, ReportError) as exc:
        raise Http404(str(exc)) from exc
    chart = next((c for c in report_charts(report) if c.key == key), None)
    if chart is None:
        raise Http404("No such chart")
    response = HttpResponse(chart_svg(chart), content_type="image/svg+xml")
    response["Content-Security-Policy"] = DOCUMENT_CSP
    return response


def _published_context(
    request: HttpRequest, organisation: Organisation, report: AnnualReport, form: PublishForm
) -> dict[str, object]:
    versions = published_versions(organisation=organisation, year=report.year)
    latest = versions[0] if versions else None
    return {
        "definitions": DEFINITIONS,
        "can_publish": has_perm(request.user, Perm.PUBLISH_REPORT),
        "publish_form": form,
        "published": latest,
        "versions": [
            {
                "report": v,
                "downloads": [
                    {
                        "url": reverse("reports:published", args=[report.year, v.version, fmt]),
                        "label": DOWNLOAD_LABELS.get(fmt, fmt),
                    }
                    for fmt in PUBLISHED_FORMATS
                ],
                "welsh_downloads": [
                    {
                        "url": reverse("reports:published", args=[report.year, v.version, fmt])
                        + "?language=cy",
                        "label": DOWNLOAD_LABELS.get(fmt, fmt),
                    }
                    for fmt in PUBLISHED_FORMATS
                    if "cy" in organisation.language_codes
                ],
            }
            for v in versions
        ],
        "differences": (
            figure_differences(published=latest.figures, live=report.as_dict()) if latest else []
        ),
    }


@require_POST
@perm_required(Perm.PUBLISH_REPORT)
def publish_view(request: HttpRequest, year: int) -> HttpResponse:
    try:
        organisation = organisation_get()
        report = report_for_publication(organisation=organisation, year=year)
    except (NotConfigured, ReportError) as exc:
        raise Http404(str(exc)) from exc
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            published = report_publish(
                actor=request.user,
                organisation=organisation,
                year=year,
                reason=form.cleaned_data["reason"],
            )
        except ReportError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(
                request,
                f"Version {published.version} of the {report.year_label} report is published",
            )
            return redirect(f"{reverse('reports:annual')}?year={year}")
    years = report_year_choices(organisation=organisation)
    context: dict[str, object] = {
        "form": ReportYearForm(
            years=[
                (y, year_label(y, period_start=organisation.period_for_year(y)[0])) for y in years
            ]
        ),
        "year": year,
    }
    context |= _report_page_context(request, organisation, report, form)
    return render(request, "reports/annual.html", context, status=400)


@staff_required
def published_download(request: HttpRequest, year: int, version: int, fmt: str) -> HttpResponse:
    """A stored file exactly as it was published."""
    if fmt not in PUBLISHED_FORMATS:
        raise Http404("No such format")
    try:
        organisation = organisation_get()
        # ?language=cy: the Welsh files published beside the English (renderers/language.py)
        key = published_key(fmt, check_language(organisation, request.GET.get("language", "en")))
        content = published_file(organisation=organisation, year=year, version=version, fmt=key)
    except (NotConfigured, NotPublished, LanguageNotEnabled) as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(content, content_type=content_type(fmt))
    if fmt == "html":
        response["Content-Security-Policy"] = DOCUMENT_CSP
    label = year_label(year, period_start=organisation.period_for_year(year)[0]).replace("/", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="whistleblowing-report-{label}-v{version}.{fmt}"'
    )
    return response


def _filename(report: AnnualReport, fmt: str) -> str:
    return f"whistleblowing-report-{report.year_label.replace('/', '-')}.{fmt}"


@staff_required
def annual_report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in PUBLISHED_FORMATS:
        raise Http404("No such format")
    try:
        organisation = organisation_get()
        report = report_for_publication(organisation=organisation, year=year)
        # ?language=cy: the Welsh report (renderers/language.py refuses a language not enabled)
        report = report_in_language(
            report, organisation=organisation, language=request.GET.get("language", "en")
        )
    except (NotConfigured, ReportError) as exc:
        raise Http404(str(exc)) from exc
    response: HttpResponse | StreamingHttpResponse
    if fmt in DOCUMENT_FORMATS:
        response = HttpResponse(render_bytes(report, fmt), content_type=content_type(fmt))
    elif fmt == "csv":
        response = StreamingHttpResponse(render_chunks(report, fmt), content_type=content_type(fmt))
    else:
        response = HttpResponse(render_text(report, fmt), content_type=content_type(fmt))
    if fmt == "html":
        response["Content-Security-Policy"] = DOCUMENT_CSP
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
    # The CSV streams; `staff_required` is typed for HttpResponse only.
    return response  # type: ignore[return-value]

"""Staff pages for management information (managers and auditors): the figures page, its
trend charts, and the register export. Thin: read the choices, call a selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from whistledesk.cases.permissions import Perm
from whistledesk.cases.views_permissions import perm_required
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.reports.forms_management import Choice, ManagementForm
from whistledesk.reports.management_charts import share, trend_chart_svg, trend_charts
from whistledesk.reports.management_export import (
    FORMATS,
    ExportTooLarge,
    csv_lines,
    register_export_start,
    xlsx_file,
)
from whistledesk.reports.management_info import DEFINITIONS, management_information_get, trends_get
from whistledesk.reports.views import DOCUMENT_CSP

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice(request: HttpRequest) -> tuple[ManagementForm, Choice]:
    organisation = organisation_get()
    bound = any(k in request.GET for k in ManagementForm.base_fields)
    form = ManagementForm(
        request.GET if bound else None, organisation=organisation, today=timezone.localdate()
    )
    return form, form.choice()


def _query(choice: Choice) -> str:
    return urlencode(
        {
            "date_from": choice.start.isoformat(),
            "date_to": choice.end.isoformat(),
            "first_year": choice.first_year,
            "last_year": choice.last_year,
        }
    )


@perm_required(Perm.MANAGEMENT_INFO)
def management_view(request: HttpRequest) -> HttpResponse:
    try:
        form, choice = _choice(request)
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    figures = management_information_get(
        organisation=form.organisation,
        start=choice.start,
        end=choice.end,
        first_year=choice.first_year,
        last_year=choice.last_year,
        today=form.today,
    )
    query = _query(choice)
    charts = [
        {"chart": c, "url": reverse("reports:management_chart", args=[c.key]) + "?" + query}
        for c in trend_charts(figures.trends)
    ]
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "mi": figures,
        "definitions": DEFINITIONS,
        "charts": charts,
        "trend_shares": [
            (r, share(r.ack_on_time, r.ack_due), share(r.feedback_on_time, r.feedback_due))
            for r in figures.trends
        ],
        "downloads": [
            (reverse("reports:register_export", args=[fmt]) + "?" + query, label)
            for fmt, label in (("csv", "CSV (.csv)"), ("xlsx", "Spreadsheet (.xlsx)"))
        ],
    }
    return render(request, "reports/management.html", context, status=status)


@perm_required(Perm.MANAGEMENT_INFO)
def management_chart_view(request: HttpRequest, key: str) -> HttpResponse:
    try:
        form, choice = _choice(request)
    except NotConfigured as exc:
        raise Http404(str(exc)) from exc
    rows = trends_get(
        organisation=form.organisation,
        first_year=choice.first_year,
        last_year=choice.last_year,
        today=form.today,
    )
    chart = next((c for c in trend_charts(rows) if c.key == key), None)
    if chart is None:
        raise Http404("No such chart")
    response = HttpResponse(trend_chart_svg(chart), content_type="image/svg+xml")
    response["Content-Security-Policy"] = DOCUMENT_CSP
    return response


@perm_required(Perm.MANAGEMENT_INFO)
def register_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    try:
        form, choice = _choice(request)
    except NotConfigured as exc:
        raise Http404(str(exc)) from exc
    if form.is_bound and form.errors:
        # The page says what to fix.
        return redirect(reverse("reports:management") + "?" + request.GET.urlencode())
    try:
        rows = register_export_start(
            actor=request.user,
            organisation=form.organisation,
            start=choice.start,
            end=choice.end,
            fmt=fmt,
        )
    except ExportTooLarge as exc:
        return render(request, "cases/refused.html", {"message": exc.message}, status=400)
    stamp = f"{choice.start:%Y%m%d}-{choice.end:%Y%m%d}"
    filename = f"register-{stamp}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(xlsx_file(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The CSV streams; `perm_required` is typed for HttpResponse only.
    return response  # type: ignore[return-value]

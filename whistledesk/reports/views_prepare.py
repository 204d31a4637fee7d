"""The prepare page: a manager writes the year's texts with a preview, reads every figure
with its definition, resolves the disclosure check and publishes (ADR 0015).

Every page here needs Perm.PUBLISH_REPORT (`cases.permissions`). No JavaScript: each
change is its own small form; a form with a problem comes back with the page, saying what
to fix.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from whistledesk.cases.permissions import Perm
from whistledesk.cases.views_permissions import perm_required
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.reports.disclosure_check import (
    DisclosureCheck,
    TextWarning,
    decisions_get,
    disclosure_check_get,
    report_for_publication,
)
from whistledesk.reports.disclosure_control import TABLES
from whistledesk.reports.disclosure_texts import SECTIONS, report_texts, text_findings, with_text
from whistledesk.reports.forms import PublishForm
from whistledesk.reports.forms_prepare import (
    CellDecisionForm,
    ReportTextForm,
    TextDecisionForm,
    ThresholdForm,
)
from whistledesk.reports.narrative import Part
from whistledesk.reports.preparation import (
    report_disclosure_decide,
    report_text_update,
    report_threshold_set,
)
from whistledesk.reports.published import published_versions
from whistledesk.reports.renderers.html import context as report_context
from whistledesk.reports.renderers.html import section_html
from whistledesk.reports.report import AnnualReport, year_label
from whistledesk.reports.selectors import (
    DEFINITIONS,
    ReportError,
    report_assessment_get,
    report_period,
)
from whistledesk.reports.services import report_publish

SECTION_NOTES = {
    "functions": "The same introduction is used in every year's report. Write {year} where "
    "the report's own year should appear.",
    "further_action_example": "Shown after the largest categories, in the activity section.",
    "no_further_action_example": "Shown after the number taken no further.",
    "impact": "Required by the Regulations: how the disclosures affected the organisation's "
    "ability to perform its functions.",
}


def _organisation(year: int) -> Organisation:
    try:
        organisation = organisation_get()
        report_period(organisation=organisation, year=year)
    except (NotConfigured, ReportError) as exc:
        raise Http404(str(exc)) from exc
    return organisation


def _page_url(year: int, anchor: str = "") -> str:
    return reverse("reports:prepare", args=[year]) + (f"#{anchor}" if anchor else "")


def _figures(report: AnnualReport, assessment: dict[str, int]) -> list[dict[str, Any]]:
    rows = [
        ("Received", report.received, "received"),
        ("Assessed", assessment["assessed"], "assessed"),
        ("Awaiting assessment", assessment["awaiting_assessment"], "awaiting_assessment"),
        ("Not qualifying", assessment["not_qualifying"], "not_qualifying"),
        ("Qualifying disclosures", report.qualifying, "qualifying"),
        ("Further action taken", report.further_action, "further_action"),
        ("No further action", report.no_further_action, "no_further_action"),
        ("Awaiting decision", report.awaiting_decision, "awaiting_decision"),
        ("Made anonymously", report.anonymous, "anonymous"),
        ("Received the year before", report.previous_period_received, "previous_period_received"),
        ("Table by service", None, "by_service"),
        ("Table by action taken", None, "by_outcome"),
        ("Table by channel (CSV and JSON)", None, "by_channel"),
        ("Received by reporting year", None, "received_by_year"),
    ]
    return [{"label": a, "value": v, "definition": DEFINITIONS[k], "id": k} for a, v, k in rows]


def _cell_form(check: DisclosureCheck, i: int, data: Any = None) -> CellDecisionForm:
    cell = check.cells[i]
    initial = (
        {"action": cell.decision.action, "reason": cell.decision.reason}
        if (cell.decision)
        else None
    )
    return CellDecisionForm(
        data,
        initial=initial,
        prefix=f"cell-{i}",
        can_merge=cell.can_merge,
        threshold=check.threshold,
    )


def _text_form(check: DisclosureCheck, i: int, data: Any = None) -> TextDecisionForm:
    decision = check.texts[i].decision
    initial = {"reason": decision.reason} if decision else None
    return TextDecisionForm(data, initial=initial, prefix=f"text-{i}")


def _context(
    request: HttpRequest,
    organisation: Organisation,
    year: int,
    *,
    check: DisclosureCheck | None = None,
    bound: dict[str, forms.Form] | None = None,
) -> dict[str, Any]:
    """The whole page; `bound` replaces one form by the one that came back with problems."""
    bound = bound or {}
    check = check or disclosure_check_get(organisation=organisation, year=year)
    report = check.report
    texts = report_texts(report)
    versions = published_versions(organisation=organisation, year=year)
    context = report_context(report)
    context |= {
        "year": year,
        "texts": [
            {
                "section": section,
                "title": title,
                "written": bool(texts[section].strip()),
                "html": section_html(Part(texts[section], markdown=True)),
                "note": SECTION_NOTES[section],
                "url": reverse("reports:prepare_text", args=[year, section]),
            }
            for section, title in SECTIONS.items()
        ],
        "figures": _figures(
            report, report_assessment_get(organisation=organisation, report=report)
        ),
        "check": check,
        "threshold_form": bound.get("threshold")
        or ThresholdForm(initial={"threshold": check.threshold}),
        "cells": [
            {
                "warning": c,
                "form": bound.get(c.key) or _cell_form(check, i),
                "table": TABLES[c.table],
            }
            for i, c in enumerate(check.cells)
        ],
        "secondary": [{"table": TABLES[t], "label": label} for t, label in check.tables.secondary],
        "text_warnings": [
            {"warning": t, "form": bound.get(t.key) or _text_form(check, i)}
            for i, t in enumerate(check.texts)
        ],
        "published": versions[0] if versions else None,
        "publish_form": bound.get("publish") or PublishForm(),
    }
    # The page title says "Error:" when a form came back with problems.
    context["form"] = next(iter(bound.values()), None)
    return context


@perm_required(Perm.PUBLISH_REPORT)
def prepare_view(request: HttpRequest, year: int) -> HttpResponse:
    organisation = _organisation(year)
    return render(request, "reports/prepare.html", _context(request, organisation, year))


@perm_required(Perm.PUBLISH_REPORT)
def text_edit_view(request: HttpRequest, year: int, section: str) -> HttpResponse:
    """One text: edit, preview as the report prints it (with its disclosure check), save."""
    if section not in SECTIONS:
        raise Http404("No such report text")
    organisation = _organisation(year)
    report = report_for_publication(organisation=organisation, year=year)
    current = report_texts(report)[section]
    if section == "functions":
        current = organisation.functions_text  # as written, with {year}
    form = ReportTextForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current},
        label=SECTIONS[section],
    )
    context: dict[str, Any] = {
        "year": year,
        "year_label": report.year_label,
        "section": section,
        "title": SECTIONS[section],
        "note": SECTION_NOTES[section],
        "form": form,
    }
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif request.POST.get("action") == "save":
            try:
                report_text_update(
                    actor=request.user,
                    organisation=organisation,
                    year=year,
                    section=section,
                    text=form.cleaned_data["text"],
                )
            except ReportError as exc:
                form.add_error("text" if exc.field == "text" else None, exc.message)
                status = 400
            else:
                messages.success(request, f"{SECTIONS[section]} saved")
                return redirect(_page_url(year, "texts"))
        if form.is_valid():
            context |= _preview(organisation, report, section, form.cleaned_data["text"])
    else:
        context |= _preview(organisation, report, section, current)
    return render(request, "reports/prepare_text.html", context, status=status)


def _preview(
    organisation: Organisation, live: AnnualReport, section: str, text: str
) -> dict[str, Any]:
    """The section exactly as the report renders it, and what the check finds in the text."""
    report = with_text(live, section, text)
    rendered = report_context(report)
    if section == "functions":
        html = [rendered["functions_html"]]
    elif section == "impact":
        html = [rendered["impact_html"]]
    else:
        html = rendered["activity_html"]
    findings = text_findings(
        organisation=organisation,
        report=report,
        texts={section: report_texts(report)[section]},
        threshold=organisation.small_cell_threshold,
    )
    decisions = decisions_get(organisation=organisation, year=report.year)
    return {
        "preview_heading": {
            "functions": "Introduction",
            "impact": "Impact on our functions",
        }.get(section, rendered["activity_heading"]),
        "preview_html": html,
        "preview_warnings": [TextWarning(f, decisions.get(f.key)) for f in findings],
    }


def _rerender(
    request: HttpRequest,
    organisation: Organisation,
    year: int,
    check: DisclosureCheck,
    key: str,
    form: forms.Form,
) -> HttpResponse:
    context = _context(request, organisation, year, check=check, bound={key: form})
    return render(request, "reports/prepare.html", context, status=400)


@require_POST
@perm_required(Perm.PUBLISH_REPORT)
def threshold_view(request: HttpRequest, year: int) -> HttpResponse:
    organisation = _organisation(year)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            report_threshold_set(
                actor=request.user,
                organisation=organisation,
                threshold=form.cleaned_data["threshold"],
            )
        except ReportError as exc:
            form.add_error("threshold", exc.message)
        else:
            messages.success(
                request, f"The small-cell threshold is {form.cleaned_data['threshold']}"
            )
            return redirect(_page_url(year, "disclosure-check"))
    check = disclosure_check_get(organisation=organisation, year=year)
    return _rerender(request, organisation, year, check, "threshold", form)


@require_POST
@perm_required(Perm.PUBLISH_REPORT)
def decide_view(request: HttpRequest, year: int) -> HttpResponse:
    """A decision on one warning, named by its key; the warning must still be raised."""
    organisation = _organisation(year)
    check = disclosure_check_get(organisation=organisation, year=year)
    key = request.POST.get("warning", "")
    cells = [c.key for c in check.cells]
    texts = [t.key for t in check.texts]
    form: CellDecisionForm | TextDecisionForm
    if key in cells:
        form = _cell_form(check, cells.index(key), request.POST)
    elif key in texts:
        form = _text_form(check, texts.index(key), request.POST)
    else:
        messages.error(
            request,
            "That warning is no longer raised (the figures or the text changed): check the "
            "warnings below again",
        )
        return redirect(_page_url(year, "disclosure-check"))
    if form.is_valid():
        try:
            report_disclosure_decide(
                actor=request.user,
                organisation=organisation,
                year=year,
                warning=key,
                action=form.cleaned_data.get("action", "accept"),
                reason=form.cleaned_data["reason"],
            )
        except ReportError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Decision saved")
            return redirect(_page_url(year, "disclosure-check"))
    return _rerender(request, organisation, year, check, key, form)


@require_POST
@perm_required(Perm.PUBLISH_REPORT)
def publish_view(request: HttpRequest, year: int) -> HttpResponse:
    organisation = _organisation(year)
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
            label = year_label(year, period_start=organisation.period_for_year(year)[0])
            messages.success(
                request, f"Version {published.version} of the {label} report is published"
            )
            return redirect(f"{reverse('reports:annual')}?year={year}#publication")
    check = disclosure_check_get(organisation=organisation, year=year)
    return _rerender(request, organisation, year, check, "publish", form)

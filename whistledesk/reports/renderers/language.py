"""The annual report in one of the organisation's languages (the Welsh report).

The figures are the same in every language; only the organisation's configured texts change
(its name, the title, the functions text, the sentence templates, each service's and
outcome's label, phrase and description, the year's impact and examples), each read through
organisation/texts.py. The fixed sentences are translated when the report is rendered
(renderers run under `AnnualReport.language`).
"""

from __future__ import annotations

import dataclasses

from whistledesk.organisation import wording
from whistledesk.organisation.models import Organisation, Outcome, ReportYear, ServiceCategory
from whistledesk.organisation.texts import localised
from whistledesk.reports.report import AnnualReport, Row, ServiceRow
from whistledesk.reports.selectors import ReportError

LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}


class LanguageNotEnabled(ReportError):
    """The organisation does not publish in that language."""


def check_language(organisation: Organisation, language: str) -> str:
    """`language` when the organisation enables it; a clear refusal otherwise."""
    language = (language or "en").lower()
    if language not in organisation.language_codes:
        enabled = ", ".join(organisation.language_codes)
        name = LANGUAGE_NAMES.get(language, repr(language))
        raise LanguageNotEnabled(
            f"{organisation.name} does not offer its report in {name} (its languages: "
            f"{enabled}). Add {language!r} to languages in its configuration, with every "
            "text in that language, to produce it."
        )
    return language


def published_key(fmt: str, language: str) -> str:
    """How a published file is stored (PublishedReportFile.fmt): "md" for English, "md-cy"
    for Welsh."""
    return fmt if language == "en" else f"{fmt}-{language}"


def report_in_language(
    report: AnnualReport, *, organisation: Organisation, language: str
) -> AnnualReport:
    """`report` with the organisation's texts in `language` (checked: check_language)."""
    language = check_language(organisation, language)
    if language == "en":
        return report

    def text(obj: object, field: str) -> str:
        return localised(obj, field, language, organisation=organisation)

    # Rows are matched by their English label, which is unique within the organisation.
    services = {s.label: s for s in ServiceCategory.objects.filter(organisation=organisation)}
    outcomes = {o.label: o for o in Outcome.objects.filter(organisation=organisation)}
    year = ReportYear.objects.filter(organisation=organisation, year=report.year).first()

    def service_row(row: ServiceRow) -> ServiceRow:
        service = services.get(row.label)
        if service is None:
            return row
        return dataclasses.replace(
            row,
            label=text(service, "label"),
            phrase=text(service, "report_phrase") or text(service, "label"),
            description=text(service, "report_description"),
        )

    def outcome_row(row: Row) -> Row:
        outcome = outcomes.get(row.label)
        return row if outcome is None else dataclasses.replace(row, label=text(outcome, "label"))

    name = text(organisation, "name")
    sentence_name = text(organisation, "name_in_sentence") or name
    return dataclasses.replace(
        report,
        language=language,
        organisation=name,
        organisation_in_sentence=sentence_name,
        comparison_name=text(organisation, "short_name") or sentence_name,
        disclosure_noun=text(organisation, "disclosure_noun"),
        title=text(organisation, "report_title"),
        functions_text=text(organisation, "functions_text"),
        wording={key: text(organisation, f"wording_{key}") for key in wording.DEFAULTS},
        by_service=tuple(service_row(r) for r in report.by_service),
        by_outcome=tuple(outcome_row(r) for r in report.by_outcome),
        impact_text=text(year, "impact_text") if year else "",
        further_action_example=text(year, "further_action_example") if year else "",
        no_further_action_example=text(year, "no_further_action_example") if year else "",
    )

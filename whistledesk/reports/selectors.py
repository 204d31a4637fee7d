"""Reads for the statutory annual report (Prescribed Persons (Reports on Disclosures of
Information) Regulations 2017). Aggregation happens in the database.

Every figure is for one reporting period: the organisation's reporting year starting in
`year` (default 1 April to 31 March), both ends inclusive, by the date received.

- ``received``: every disclosure received in the period, qualifying or not, assessed or not.
- ``qualifying``: those received in the period that the organisation reasonably believes are
  qualifying disclosures within its prescribed matters (``qualifying is True``). Disclosures
  found not qualifying, or not yet assessed (``None``), count only towards ``received``.
- ``previous_period_received``: ``received`` for the period before (the comparison).
- ``further_action``: qualifying, with an outcome whose ``further_action`` flag is set.
- ``no_further_action``: qualifying, with an outcome whose flag is not set.
- ``awaiting_decision``: qualifying, with no outcome yet.
  (``further_action + no_further_action + awaiting_decision == qualifying``.)
- ``anonymous``: qualifying and made anonymously.
- ``by_service``: qualifying, per configured service in configured order, zeros included;
  an inactive service is listed only when it has disclosures in the period. Qualifying
  disclosures with no service yet are counted as ``not_categorised`` (its own row).
- ``by_outcome``: qualifying, per configured outcome in configured order (inactive ones only
  when they have disclosures); undecided ones are ``awaiting_decision``.
- ``by_channel``: qualifying, per intake channel in `Channel` order, zeros included.

Cost, whatever the number of disclosures: one COUNT for the previous period, plus
- on PostgreSQL, one GROUP BY over the period (qualifying, service, outcome, channel,
  anonymous) - a hash aggregate of a few hundred groups - folded in Python;
- on SQLite, which can only GROUP BY by sorting every row, one COUNT for `received` and one
  pass over the qualifying rows with a conditional COUNT per figure and table row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from whistledesk.cases.models import Channel, Disclosure
from whistledesk.cases.selectors import disclosure_years
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation, ReportYear
from whistledesk.organisation.selectors import outcome_list, service_list
from whistledesk.reports.report import AnnualReport, Row, ServiceRow, year_label

# Reporting years the report accepts: wide enough for any real register, narrow enough
# that the period (which ends in year + 1) is always a valid date.
MIN_YEAR = 1990
MAX_YEAR = 2999


# Each figure in words, for the people who publish it (the docstring above is the source).
DEFINITIONS = {
    "received": "Every disclosure received in the period, qualifying or not, assessed or not.",
    "qualifying": "Received in the period and assessed as a qualifying disclosure within our "
    "prescribed matters. Every table counts these.",
    "further_action": "Qualifying disclosures with an outcome that took further action.",
    "no_further_action": "Qualifying disclosures with an outcome that took no further action.",
    "awaiting_decision": "Qualifying disclosures with no outcome recorded yet.",
    "anonymous": "Qualifying disclosures made anonymously.",
    "previous_period_received": "Every disclosure received in the period before.",
    "assessed": "Received in the period and assessed, whether found qualifying or not.",
    "not_qualifying": "Received in the period and assessed as not a qualifying disclosure "
    "(outside our prescribed matters, not in the public interest, or no relevant failure).",
    "awaiting_assessment": "Received in the period and not assessed yet: counted in "
    "Received only, in no table, until assessed.",
    "by_service": "Qualifying disclosures by the service they concern, in the configured "
    "order, zeros included; those with no service yet are 'Not yet categorised'.",
    "by_outcome": "Qualifying disclosures by the action taken; those with none yet are "
    "'Awaiting decision'.",
    "by_channel": "Qualifying disclosures by how they reached us (letter, email, ...).",
    "received_by_year": "Every disclosure received in each reporting year, qualifying or not, "
    "for up to five years.",
}


class ReportError(DomainError):
    """The report cannot be produced as asked (for example a year out of range)."""


def report_period(*, organisation: Organisation, year: int) -> tuple[dt.date, dt.date]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportError(
            f"{year} is not a reporting year: give the year in which the period starts, "
            f"between {MIN_YEAR} and {MAX_YEAR} (for example 2022 for 2022/23)",
            field="year",
        )
    return organisation.period_for_year(year)


def _scope(organisation: Organisation) -> Q:
    """Rows belonging to `organisation`: every report query names it (ADR 0017), however
    many organisations the installation serves. The indexes the report reads lead with
    organisation (cases.models.Disclosure), so the filter costs nothing."""
    return Q(organisation=organisation)


def _period_filter(
    *, scope: Q, start: dt.date, end: dt.date, received: int
) -> list[Q | GreaterThanOrEqual | LessThanOrEqual]:
    """The date-range condition for the main aggregate.

    SQLite keeps no histogram, so it always reads a date range through the received_on
    index - a random table lookup per row. When the period holds a large share of the
    register a sequential scan is several times faster; the unary plus (`+received_on`)
    is SQLite's documented way to stop it using an index for a term. The share is of the
    organisation's own register: its rows are found through (organisation, ...) indexes.
    """
    if received * 4 < Disclosure.objects.filter(scope).count():
        return [Q(received_on__gte=start, received_on__lte=end)]
    unindexed = Func(F("received_on"), template="+%(expressions)s", output_field=DateField())
    return [GreaterThanOrEqual(unindexed, start), LessThanOrEqual(unindexed, end)]


def _counts_by_filters(
    *, scope: Q, start: dt.date, end: dt.date, service_ids: list[int], outcome_ids: list[int]
) -> Counter[str]:
    """SQLite: a COUNT for `received`, then every other figure in one pass over the
    qualifying rows with a conditional COUNT each (SQLite would sort every row to GROUP BY)."""
    received = Disclosure.objects.filter(
        scope, received_on__gte=start, received_on__lte=end
    ).count()
    counts: dict[str, Any] = {
        "qualifying": Count("*"),
        "anonymous": Count("pk", filter=Q(anonymous=True)),
        "not_categorised": Count("pk", filter=Q(service_id__isnull=True)),
        "awaiting_decision": Count("pk", filter=Q(outcome_id__isnull=True)),
    }
    counts |= {f"s{pk}": Count("pk", filter=Q(service_id=pk)) for pk in service_ids}
    counts |= {f"o{pk}": Count("pk", filter=Q(outcome_id=pk)) for pk in outcome_ids}
    counts |= {f"c_{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values}
    period = _period_filter(scope=scope, start=start, end=end, received=received)
    # Aliases must not shadow the fields the filters name ("qualifying", "anonymous").
    row = Disclosure.objects.filter(scope, *period, qualifying=True).aggregate(
        **{f"n_{k}": v for k, v in counts.items()}
    )
    figures = Counter({k.removeprefix("n_"): v for k, v in row.items()})
    figures["received"] = received
    return figures


def _counts_by_group(*, scope: Q, start: dt.date, end: dt.date) -> Counter[str]:
    """PostgreSQL: one GROUP BY over the period (a hash aggregate), folded in Python."""
    groups = (
        Disclosure.objects.filter(scope, received_on__gte=start, received_on__lte=end)
        .values_list("qualifying", "service_id", "outcome_id", "channel", "anonymous")
        .annotate(n=Count("*"))
        # Meta.ordering would otherwise join the GROUP BY.
        .order_by()
    )
    figures: Counter[str] = Counter()
    for qualifying, service_id, outcome_id, channel, anonymous, n in groups:
        figures["received"] += n
        if qualifying is not True:
            continue
        figures["qualifying"] += n
        figures["anonymous"] += n if anonymous else 0
        figures["not_categorised" if service_id is None else f"s{service_id}"] += n
        figures["awaiting_decision" if outcome_id is None else f"o{outcome_id}"] += n
        figures[f"c_{channel}"] += n
    return figures


def annual_report_get(*, organisation: Organisation, year: int) -> AnnualReport:
    """The report for the reporting year that starts in `year`."""
    start, end = report_period(organisation=organisation, year=year)
    prev_start, prev_end = organisation.period_for_year(year - 1)

    scope = _scope(organisation)
    all_services = service_list(organisation=organisation)
    all_outcomes = outcome_list(organisation=organisation)
    if connection.vendor == "sqlite":
        n = _counts_by_filters(
            scope=scope,
            start=start,
            end=end,
            service_ids=[s.pk for s in all_services],
            outcome_ids=[o.pk for o in all_outcomes],
        )
    else:
        n = _counts_by_group(scope=scope, start=start, end=end)
    previous = Disclosure.objects.filter(
        scope, received_on__gte=prev_start, received_on__lte=prev_end
    ).count()
    has_previous_figure = (
        previous > 0 or Disclosure.objects.filter(scope, received_on__lt=prev_start).exists()
    )

    services = [
        ServiceRow(s.label, n[f"s{s.pk}"], phrase=s.phrase, description=s.report_description)
        for s in all_services
        if s.active or n[f"s{s.pk}"]
    ]
    outcomes = [o for o in all_outcomes if o.active or n[f"o{o.pk}"]]
    further = sum(n[f"o{o.pk}"] for o in outcomes if o.further_action)
    no_further = sum(n[f"o{o.pk}"] for o in outcomes if not o.further_action)
    texts = ReportYear.objects.filter(organisation=organisation, year=year).first()

    return AnnualReport(
        organisation=organisation.name,
        comparison_name=organisation.comparison_name,
        disclosure_noun=organisation.disclosure_noun,
        title=organisation.report_title,
        functions_text=organisation.functions_text,
        year=year,
        period_start=start,
        period_end=end,
        received=n["received"],
        qualifying=n["qualifying"],
        previous_period_received=previous,
        has_previous_figure=has_previous_figure,
        further_action=further,
        no_further_action=no_further,
        awaiting_decision=n["awaiting_decision"],
        anonymous=n["anonymous"],
        by_service=tuple(services),
        by_outcome=tuple(Row(o.label, n[f"o{o.pk}"]) for o in outcomes),
        by_channel=tuple(Row(c.value, n[f"c_{c.value}"]) for c in Channel),
        not_categorised=n["not_categorised"],
        impact_text=texts.impact_text if texts else "",
        further_action_example=texts.further_action_example if texts else "",
        no_further_action_example=texts.no_further_action_example if texts else "",
        organisation_in_sentence=organisation.sentence_name,
        wording=organisation.report_wording,
        received_by_year=_received_by_year(
            organisation=organisation,
            scope=scope,
            year=year,
            known={year: n["received"], year - 1: previous},
        ),
    )


HISTORY_YEARS = 5


def _received_by_year(
    *, organisation: Organisation, scope: Q, year: int, known: dict[int, int]
) -> tuple[Row, ...]:
    """`received` for the last HISTORY_YEARS years up to `year`: one more COUNT query, with
    a conditional count for each year not already counted (and see below)."""
    years = [y for y in range(year - HISTORY_YEARS + 1, year + 1) if y >= MIN_YEAR]
    periods = {y: organisation.period_for_year(y) for y in years}
    missing = [y for y in years if y not in known]
    counts = dict(known)
    if missing:
        row = Disclosure.objects.filter(
            scope,
            received_on__gte=periods[missing[0]][0],
            received_on__lte=periods[missing[-1]][1],
        ).aggregate(
            **{
                f"y{y}": Count(
                    "pk", filter=Q(received_on__gte=periods[y][0], received_on__lte=periods[y][1])
                )
                for y in missing
            }
        )
        counts |= {y: row[f"y{y}"] for y in missing}
    # Leading years with none are before the register began, unless it holds older ones
    # (then they are real zeros): one indexed EXISTS, only when there are such years.
    first = next((y for y in years if counts[y]), year)
    if (
        first > years[0]
        and Disclosure.objects.filter(scope, received_on__lt=periods[first][0]).exists()
    ):
        first = years[0]
    return tuple(
        Row(year_label(y, period_start=periods[y][0]), counts[y]) for y in years if y >= first
    )


def report_assessment_get(*, organisation: Organisation, report: AnnualReport) -> dict[str, int]:
    """Where the period's disclosures stand in assessment (the staff page, mid-year):
    assessed, not qualifying and awaiting assessment, from one more COUNT."""
    not_qualifying = Disclosure.objects.filter(
        _scope(organisation),
        received_on__gte=report.period_start,
        received_on__lte=report.period_end,
        qualifying=False,
    ).count()
    assessed = report.qualifying + not_qualifying
    return {
        "assessed": assessed,
        "not_qualifying": not_qualifying,
        "awaiting_assessment": report.received - assessed,
    }


def report_year_choices(*, organisation: Organisation, today: dt.date | None = None) -> list[int]:
    """Years worth offering on the staff page, newest first: any with disclosures or with
    report text, and the current reporting year."""
    current = organisation.year_of(today or dt.date.today())
    years = set(disclosure_years(organisation=organisation))
    years.update(
        ReportYear.objects.filter(organisation=organisation).values_list("year", flat=True)
    )
    years.add(current)
    return sorted(years, reverse=True)

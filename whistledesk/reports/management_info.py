"""Management information: the figures managers and auditors run the office by (issue 13,
item 5). Reads only; every figure is aggregated in the database, medians and percentiles
included. Nothing here opens sealed content, and every figure is a count or a duration,
never a row: a conflict of interest hides a case's row (cases.permissions), not its share
of a total.

The period is chosen by date received: disclosures with ``start <= received_on <= end``.
"Today" is the local date (Europe/London) the page is asked for; a datetime (acknowledged,
closed, marked urgent, confirmed) counts on its local date.

Timeliness, for the whole period, by channel and by service (a disclosure with no service
yet is "Not yet categorised"):

- ``received``: disclosures received in the period.
- ``ack_due``: those whose acknowledgement deadline is settled: acknowledged (met or late)
  or marked missed by the deadline sweep (``acknowledgement_timeliness`` is set; the one
  authority is cases/deadlines.py). A disclosure still inside its 7 days and not
  acknowledged counts nowhere yet.
- ``ack_on_time``: ``acknowledgement_timeliness`` is met (acknowledged on or before
  ``received_on + 7`` days). ("3 of 4 acknowledged within 7 days" is ``ack_on_time`` of
  ``ack_due``.)
- ``feedback_due``: those whose feedback deadline is settled (``feedback_timeliness`` set):
  feedback given, or its due date (3 months from acknowledgement, or later where an
  extension moved it) passed and the sweep marked it missed. Never-acknowledged
  disclosures have no due date and count nowhere here (they are late already in
  ``ack_due``).
- ``feedback_on_time``: ``feedback_timeliness`` is met: the *first* feedback was on or
  before the due date. The first, not the latest: a whistleblower told on time and again
  later was told on time.
- ``closed``: received in the period and closed now (status closed; a reopened case is
  not closed).
- ``median_days_to_close`` and ``p90_days_to_close``: over ``closed``, days from the date
  received to the local date closed; the continuous percentile (linear interpolation
  between the two nearest values, as PostgreSQL's ``percentile_cont``), None when no
  case closed.

Referrals by body, for referrals made in the period (``referred_on``), each body in name
order:

- ``referred``: referrals made in the period.
- ``outstanding``: of those, no response recorded yet (``response_received_on`` empty).
- ``overdue``: of the outstanding, the reassurance was due before today
  (``reassurance_due < today``).

Urgent cases, received in the period and marked urgent now:

- ``urgent``: how many.
- ``confirmed``: a safeguarding lead confirmed the action on a concern of the case
  (``SafeguardingConcern.confirmed_at``) at or after the case became urgent. It became
  urgent when staff marked it (``urgent_marked_at``) or, when the whistleblower's answer
  made it urgent, when it was recorded (``created_at``).
- ``awaiting``: not confirmed, with a safeguarding concern open now.
- ``no_concern``: neither: urgent, but no concern raised or confirmed since.
  (``confirmed + awaiting + no_concern == urgent``.)
- ``median_hours_to_confirm``, ``p90_hours_to_confirm``: over ``confirmed``, hours from
  becoming urgent to the first confirmation after it (continuous percentiles as above).

Trends, for each reporting year in the span chosen (by date received, the organisation's
reporting year): ``received``, ``ack_on_time`` of ``ack_due``, ``feedback_on_time`` of
``feedback_due``, ``closed`` with the median days to close, ``urgent``, and ``referred``
(referrals made in that year) - each defined as above for the year as the period.

Cost: one GROUP BY over the period's rows for the counts (by channel and service, folded
in Python from a few dozen groups); one percentile query for every breakdown together
(PostgreSQL: ``percentile_cont ... WITHIN GROUP`` over GROUPING SETS; SQLite, which has
none: a histogram of the values from one GROUP BY, with running counts over it, see
`percentiles`); one GROUP BY over the period's referrals; two small queries over the
urgent cases. Local dates on SQLite: see `LocalDate`. docs/adr/0016; bench/management.py
measures it at 1,000,000.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from whistledesk.cases.models import (
    Channel,
    Disclosure,
    Referral,
    SafeguardingConcern,
    Status,
)
from whistledesk.cases.models import Timeliness as Deadline
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import service_list
from whistledesk.reports.report import NOT_CATEGORISED_LABEL, year_label
from whistledesk.reports.selectors import _period_filter as period_filter
from whistledesk.reports.selectors import _scope as report_scope

# A span of years the trends accept: wide enough for any register, small enough that the
# per-year CASE expression stays short.
MAX_TREND_YEARS = 50

DEFINITIONS = {
    "ack": "Acknowledged on or before the 7th day after the date received, out of those "
    "acknowledged or whose 7 days have run out. Cases still inside their 7 days are "
    "not counted yet.",
    "feedback": "First feedback given on or before the feedback due date (3 months from "
    "acknowledgement, or as extended), out of those given feedback or whose due date has "
    "passed.",
    "close": "Days from the date received to the date closed, for cases received in the "
    "period and closed now. The median is the middle value; 90% of cases closed within the "
    "90th percentile.",
    "referrals": "Referrals made in the period, by body; outstanding have no response "
    "recorded; overdue are outstanding past their reassurance date.",
    "urgent": "Cases received in the period and marked urgent. Time to confirmation runs "
    "from being marked urgent (or from being recorded, when the whistleblower's answer "
    "made it urgent) to a safeguarding lead's first confirmation after that.",
}


class ManagementError(DomainError):
    """The figures cannot be produced as asked (a span of years too long)."""


@dataclass(frozen=True)
class Timeliness:
    label: str
    received: int = 0
    ack_due: int = 0
    ack_on_time: int = 0
    feedback_due: int = 0
    feedback_on_time: int = 0
    closed: int = 0
    median_days_to_close: float | None = None
    p90_days_to_close: float | None = None


@dataclass(frozen=True)
class ReferralRow:
    body: str
    referred: int
    outstanding: int
    overdue: int


@dataclass(frozen=True)
class UrgentFigures:
    urgent: int
    confirmed: int
    awaiting: int
    no_concern: int
    median_hours_to_confirm: float | None
    p90_hours_to_confirm: float | None


@dataclass(frozen=True)
class TrendRow(Timeliness):
    year: int = 0
    urgent: int = 0
    referred: int = 0


@dataclass(frozen=True)
class ManagementInformation:
    start: dt.date
    end: dt.date
    today: dt.date
    overall: Timeliness
    by_channel: tuple[Timeliness, ...]
    by_service: tuple[Timeliness, ...]
    referrals: tuple[ReferralRow, ...]
    urgent: UrgentFigures
    trends: tuple[TrendRow, ...] = field(default=())


# -- expressions -------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _offsets(zone: str, first_year: int, last_year: int) -> tuple[tuple[dt.datetime, int], ...]:
    """The zone's UTC offsets (minutes) from 1 January `first_year` to the end of
    `last_year`: ((from, minutes), ...), each change found to the minute."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset(moment: dt.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds() // 60) if delta else 0

    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    spans = [(moment, offset(moment))]
    step = dt.timedelta(days=1)
    while moment < end:
        after = moment + step
        if offset(after) != spans[-1][1]:
            lo, hi = moment, after  # the change is in (lo, hi]: halve to the minute
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (lo, mid) if offset(mid) != spans[-1][1] else (mid, hi)
            spans.append((hi.replace(second=0, microsecond=0), offset(hi)))
        moment = after
    return tuple(spans)


class LocalDate(Func):
    """The local date (settings.TIME_ZONE) of a datetime column.

    PostgreSQL converts with its time zone database (as TruncDate). SQLite has none, and
    Django's own conversion is a Python function called per row (about 30 microseconds:
    half a minute at a million rows), so on SQLite the zone's offsets over the years
    concerned are written into the query as a search tree of CASE comparisons on the
    stored UTC text, and SQLite's date() adds the offset natively.
    """

    arity = 1
    output_field = DateField()

    def __init__(self, expression: Any, *, years: tuple[int, int]) -> None:
        super().__init__(expression)
        self.years = years

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, *args: Any, **extra: Any
    ) -> Any:
        column, params = compiler.compile(self.get_source_expressions()[0])
        return connection.ops.datetime_cast_date_sql(column, tuple(params), settings.TIME_ZONE)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.get_source_expressions()[0])
        spans = _offsets(settings.TIME_ZONE, *self.years)

        def tree(lo: int, hi: int) -> str:
            if lo == hi:
                return f"'{spans[lo][1]:+d} minutes'"
            mid = (lo + hi + 1) // 2
            boundary = spans[mid][0].strftime("%Y-%m-%d %H:%M:%S")
            before, after = tree(lo, mid - 1), tree(mid, hi)
            return f"CASE WHEN {column} < '{boundary}' THEN {before} ELSE {after} END"

        # The column appears once in date() and once in each of the len - 1 comparisons.
        return f"date({column}, {tree(0, len(spans) - 1)})", list(params) * len(spans)


class DaysBetween(Func):
    """Whole days from the second date to the first (both DATE expressions)."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


class HoursBetween(Func):
    """Hours (fractional) from the second datetime to the first."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)",
            arg_joiner=" - ",
            **extra,
        )


def _in_period(organisation: Organisation, start: dt.date, end: dt.date) -> QuerySet[Disclosure]:
    """The organisation's disclosures received from `start` to `end`, read as the annual
    report reads them (reports.selectors): on SQLite a scan rather than the date index when
    the period is most of the organisation's register."""
    scope = report_scope(organisation)
    # Meta.ordering would otherwise join every GROUP BY and sort every window's input.
    qs = Disclosure.objects.filter(scope).order_by()
    if connection.vendor != "sqlite":
        return qs.filter(received_on__gte=start, received_on__lte=end)
    received = qs.filter(received_on__gte=start, received_on__lte=end).count()
    return qs.filter(*period_filter(scope=scope, start=start, end=end, received=received))


def _count_groups(base: QuerySet[Disclosure], *, group: list[str]) -> list[dict[str, Any]]:
    """One GROUP BY: every timeliness count per group. Whether a deadline was met is read
    from the case (cases/deadlines.py settles it), never worked out again here."""
    settled = [Deadline.MET, Deadline.LATE, Deadline.MISSED]
    return list(
        base.values(*group)
        .annotate(
            n_received=Count("pk"),
            n_ack_due=Count("pk", filter=Q(acknowledgement_timeliness__in=settled)),
            n_ack_on_time=Count("pk", filter=Q(acknowledgement_timeliness=Deadline.MET)),
            n_feedback_due=Count("pk", filter=Q(feedback_timeliness__in=settled)),
            n_feedback_on_time=Count("pk", filter=Q(feedback_timeliness=Deadline.MET)),
            n_closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__isnull=False)),
            n_urgent=Count("pk", filter=Q(urgent=True)),
        )
        .order_by()
    )


_COUNTS = ("received", "ack_due", "ack_on_time", "feedback_due", "feedback_on_time", "closed")
_FOLDED = (*_COUNTS, "urgent")


def percentiles(
    rows: QuerySet[Any], *, keys: tuple[str, ...], fractions: tuple[float, ...] = (0.5, 0.9)
) -> dict[tuple[str, Any], tuple[int, list[float | None]]]:
    """Continuous percentiles of `v` by each of `keys` and over all rows, in one query.

    `rows` is a query whose SELECT is the annotations named in `keys` (never NULL) and
    ``v`` (the value). Returns {(key, group): (count, [percentile for each fraction])},
    with ("", None) for all rows together.
    """
    if not all(k.isidentifier() for k in keys):
        raise ValueError("keys are annotation names")
    sql, params = rows.query.sql_with_params()
    if connection.vendor == "postgresql":
        cols = ", ".join(
            f"percentile_cont({float(p)}) WITHIN GROUP (ORDER BY v)" for p in fractions
        )
        # Each grouping set's rows say which key they are grouped by (GROUPING() is 0 for
        # the key in use); the empty set is all the rows.
        which = "".join(f"WHEN GROUPING({k}) = 0 THEN '{k}' " for k in keys)
        group = "".join(f"WHEN GROUPING({k}) = 0 THEN {k}::text " for k in keys)
        sets = ", ".join([*(f"({k})" for k in keys), "()"])
        which, group = (f"CASE {which}ELSE '' END", f"CASE {group}END") if keys else ("''", "NULL")
        query = (
            f"SELECT {which}, {group}, COUNT(*), {cols} "  # noqa: S608 - keys are annotation names, fractions floats
            f"FROM ({sql}) AS t WHERE v IS NOT NULL GROUP BY GROUPING SETS ({sets})"
        )
    else:
        # SQLite has no percentile function, and its window functions sort slowly; so
        # count each value once (a histogram by the finest grouping: one GROUP BY over the
        # rows), fold it into each grouping, run a cumulative count over the histogram
        # (a few thousand rows, not the cases), and read the values at the positions
        # either side of p*(n-1): the smallest whose running count passes the position.
        fields = ", ".join(keys)
        by = f"{fields}, v" if keys else "v"
        fan = " UNION ALL ".join(
            [
                *(
                    f"SELECT '{k}' AS s, CAST({k} AS TEXT) AS g, v, SUM(c) AS c "  # noqa: S608
                    f"FROM h0 GROUP BY {k}, v"
                    for k in keys
                ),
                "SELECT '' AS s, NULL AS g, v, SUM(c) AS c FROM h0 GROUP BY v",
            ]
        )
        picks = []
        for k, p in enumerate(fractions):
            pos = f"{float(p)} * (n - 1)"
            lo = f"CAST({pos} AS INTEGER)"
            picks.append(
                f"MIN(CASE WHEN upto > {lo} THEN v END) AS lo{k}, "
                f"MIN(CASE WHEN upto > {lo} + 1 THEN v END) AS hi{k}, "
                f"MAX({pos} - {lo}) AS f{k}"
            )
        values = [f"lo{k} + f{k} * (COALESCE(hi{k}, lo{k}) - lo{k})" for k in range(len(fractions))]
        query = (
            f"WITH h0 AS MATERIALIZED (SELECT {by}, COUNT(*) AS c FROM ({sql}) "  # noqa: S608 - keys are annotation names, fractions floats
            f"WHERE v IS NOT NULL GROUP BY {by}), "
            "cum AS (SELECT s, g, v, "
            "SUM(c) OVER (PARTITION BY s, g ORDER BY v ROWS UNBOUNDED PRECEDING) AS upto, "
            f"SUM(c) OVER (PARTITION BY s, g) AS n FROM ({fan})) "
            f"SELECT s, g, n, {', '.join(values)} FROM ("
            f"SELECT s, g, MAX(n) AS n, {', '.join(picks)} FROM cum GROUP BY s, g)"
        )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {
            (row[0], row[1]): (int(row[2]), [None if x is None else float(x) for x in row[3:]])
            for row in cursor.fetchall()
        }


def _close_days(years: tuple[int, int]) -> DaysBetween:
    return DaysBetween(LocalDate("closed_at", years=years), F("received_on"))


def _years(start: dt.date, today: dt.date) -> tuple[int, int]:
    """The calendar years an acknowledgement or closure of a case received from `start`
    can fall in (a margin of one year either side)."""
    return start.year - 1, max(start.year, today.year) + 1


def _closed(base: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    if connection.vendor != "sqlite":
        return base.filter(status=Status.CLOSED, closed_at__isnull=False)
    # SQLite would read the closed cases through a status index, a table lookup per row
    # (7 s at 570,000 closed cases); `+status` keeps it to the period's own plan.
    status = Func(F("status"), template="+%(expressions)s", output_field=CharField())
    return base.filter(Exact(status, Status.CLOSED), closed_at__isnull=False)


def _fold(groups: list[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
    out: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_FOLDED, 0))
    for g in groups:
        for name in _FOLDED:
            out[g[key] if key else None][name] += g[f"n_{name}"]
    return out


def _row(label: str, counts: dict[str, int], close: tuple[int, list[float | None]] | None) -> Any:
    median, p90 = close[1] if close else (None, None)
    return Timeliness(
        label,
        **{k: counts[k] for k in _COUNTS},
        median_days_to_close=median,
        p90_days_to_close=p90,
    )


def timeliness_get(
    *, organisation: Organisation, start: dt.date, end: dt.date, today: dt.date
) -> tuple[Timeliness, tuple[Timeliness, ...], tuple[Timeliness, ...]]:
    """(overall, by channel in Channel order, by service in configured order)."""
    base = _in_period(organisation, start, end)
    years = _years(start, today)
    groups = _count_groups(base, group=["channel", "service_id"])
    close = percentiles(
        _closed(base)
        .annotate(ch=F("channel"), sv=Coalesce(F("service_id"), Value(0)), v=_close_days(years))
        .values("ch", "sv", "v"),
        keys=("ch", "sv"),
    )
    overall = _fold(groups, "")[None]
    channels = _fold(groups, "channel")
    services = _fold(groups, "service_id")
    zero = dict.fromkeys(_FOLDED, 0)
    by_channel = tuple(
        _row(str(c.label), channels.get(c.value, zero), close.get(("ch", c.value))) for c in Channel
    )
    by_service = [
        _row(s.label, services.get(s.pk, zero), close.get(("sv", str(s.pk))))
        for s in service_list(organisation=organisation)
        if s.active or s.pk in services
    ]
    if None in services:
        by_service.append(_row(NOT_CATEGORISED_LABEL, services[None], close.get(("sv", "0"))))
    return _row("All", overall, close.get(("", None))), by_channel, tuple(by_service)


def _referrals(organisation: Organisation) -> QuerySet[Referral]:
    return Referral.objects.filter(disclosure__organisation=organisation).order_by()


def referrals_by_body(
    *, organisation: Organisation, start: dt.date, end: dt.date, today: dt.date
) -> tuple[ReferralRow, ...]:
    outstanding = Q(response_received_on__isnull=True)
    rows = (
        _referrals(organisation)
        .filter(referred_on__gte=start, referred_on__lte=end)
        .values("body__name")
        .annotate(
            n=Count("pk"),
            n_out=Count("pk", filter=outstanding),
            n_over=Count("pk", filter=outstanding & Q(reassurance_due__lt=today)),
        )
        .order_by("body__name")
    )
    return tuple(ReferralRow(r["body__name"], r["n"], r["n_out"], r["n_over"]) for r in rows)


def urgent_get(*, organisation: Organisation, start: dt.date, end: dt.date) -> UrgentFigures:
    since = Coalesce(F("urgent_marked_at"), F("created_at"))
    first_confirmation = (
        SafeguardingConcern.objects.filter(
            disclosure=OuterRef("pk"), confirmed_at__gte=OuterRef("urgent_since")
        )
        .order_by()
        .values("disclosure")
        .annotate(first=Min("confirmed_at"))
        .values("first")
    )
    urgent = (
        _in_period(organisation, start, end)
        .filter(urgent=True)
        .annotate(urgent_since=since, confirmed=Subquery(first_confirmation))
    )
    counts = urgent.aggregate(
        n=Count("pk"),
        n_confirmed=Count("pk", filter=Q(confirmed__isnull=False)),
        n_awaiting=Count("pk", filter=Q(confirmed__isnull=True, safeguarding_open=True)),
    )
    hours = percentiles(
        urgent.filter(confirmed__isnull=False)
        .annotate(v=HoursBetween(F("confirmed"), F("urgent_since")))
        .values("v"),
        keys=(),
    ).get(("", None))
    median, p90 = hours[1] if hours else (None, None)
    return UrgentFigures(
        urgent=counts["n"],
        confirmed=counts["n_confirmed"],
        awaiting=counts["n_awaiting"],
        no_concern=counts["n"] - counts["n_confirmed"] - counts["n_awaiting"],
        median_hours_to_confirm=median,
        p90_hours_to_confirm=p90,
    )


def trends_get(
    *, organisation: Organisation, first_year: int, last_year: int, today: dt.date
) -> tuple[TrendRow, ...]:
    """One row per reporting year from `first_year` to `last_year`, oldest first."""
    if last_year < first_year:
        raise ManagementError("The last year must be the same as or after the first year")
    if last_year - first_year + 1 > MAX_TREND_YEARS:
        raise ManagementError(f"Choose a span of at most {MAX_TREND_YEARS} years")
    periods = {y: organisation.period_for_year(y) for y in range(first_year, last_year + 1)}
    start, end = periods[first_year][0], periods[last_year][1]
    year_of = Case(
        *[
            When(received_on__gte=s, received_on__lte=e, then=Value(y))
            for y, (s, e) in periods.items()
        ],
        output_field=IntegerField(),
    )
    base = _in_period(organisation, start, end).annotate(year=year_of)
    years = _years(start, today)
    groups = _count_groups(base, group=["year"])
    by_year = _fold(groups, "year")
    close = percentiles(
        _closed(base).annotate(yr=F("year"), v=_close_days(years)).values("yr", "v"),
        keys=("yr",),
    )
    referral_year = Case(
        *[
            When(referred_on__gte=s, referred_on__lte=e, then=Value(y))
            for y, (s, e) in periods.items()
        ],
        output_field=IntegerField(),
    )
    referred = dict(
        _referrals(organisation)
        .filter(referred_on__gte=start, referred_on__lte=end)
        .annotate(year=referral_year)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("year", "n")
    )
    zero = dict.fromkeys(_FOLDED, 0)
    rows = []
    for y, (s, _) in periods.items():
        median, p90 = close[("yr", str(y))][1] if ("yr", str(y)) in close else (None, None)
        counts = by_year.get(y, zero)
        rows.append(
            TrendRow(
                year_label(y, period_start=s),
                **{k: counts[k] for k in _COUNTS},
                median_days_to_close=median,
                p90_days_to_close=p90,
                year=y,
                urgent=counts["urgent"],
                referred=referred.get(y, 0),
            )
        )
    return tuple(rows)


def management_information_get(
    *,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    first_year: int,
    last_year: int,
    today: dt.date,
) -> ManagementInformation:
    overall, by_channel, by_service = timeliness_get(
        organisation=organisation, start=start, end=end, today=today
    )
    return ManagementInformation(
        start=start,
        end=end,
        today=today,
        overall=overall,
        by_channel=by_channel,
        by_service=by_service,
        referrals=referrals_by_body(organisation=organisation, start=start, end=end, today=today),
        urgent=urgent_get(organisation=organisation, start=start, end=end),
        trends=trends_get(
            organisation=organisation, first_year=first_year, last_year=last_year, today=today
        ),
    )

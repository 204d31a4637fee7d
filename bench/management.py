"""Benchmark the management information page's queries and the register export.

    .venv/bin/python bench/management.py [--n 1000000] [--runs 3] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/whistledesk_bench \\
        .venv/bin/python bench/management.py

Builds the database as bench/annual_report.py does (its set-up and organisation, the same
SQLite file or a PostgreSQL database whose name contains "bench"), inserting N disclosures
in 2022/23 and N/10 in 2021/22 with every date the figures read filled in: 95% acknowledged
0-9 days after receipt (so about 20% late), a feedback due date 3 months on, feedback
given on two thirds, 60% closed 0-199 days after receipt, 2% urgent with a concern
confirmed 0-71 hours later; one feedback action per case given feedback and a referral to
one of five bodies for 20% (half answered). Then prints the best-of-runs time of each of
the page's selectors and of writing the whole year's register as CSV.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annual_report import BATCH, YEAR, best_of, make_organisation, setup_django  # noqa: E402


def insert_disclosures(org: Any, n: int, year: int, prefix: str) -> float:
    """Like annual_report.insert_disclosures (executemany over every column of the model),
    with the dates the management figures read."""
    from django.db import connection, transaction
    from django.utils import timezone

    from whistledesk.cases.models import Channel, Disclosure

    start, end = org.period_for_year(year)
    days = (end - start).days + 1
    services = list(org.services.values_list("id", flat=True))
    outcomes = list(org.outcomes.values_list("id", flat=True))
    channels = list(Channel.values)
    template = Disclosure(organisation=org, reference="x", received_on=start, channel="email")
    template.created_at = template.updated_at = timezone.now()
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, Disclosure._meta.db_table)
    existing = {c.name for c in table}
    fields = [
        f for f in Disclosure._meta.concrete_fields if not f.primary_key and f.column in existing
    ]
    names = [f.attname for f in fields]
    row0 = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    idx = {name: names.index(name) for name in names}
    ops = connection.ops
    rnd = random.Random(year)
    q = ops.quote_name
    sql = (
        f"INSERT INTO {q(Disclosure._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    utc = dt.UTC

    def at(day: dt.date, hours: int) -> Any:
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=utc) + dt.timedelta(hours=hours)
        return ops.adapt_datetimefield_value(moment)

    def rows(lo: int, hi: int) -> Iterator[list[Any]]:
        for i in range(lo, hi):
            row = row0.copy()
            received = start + dt.timedelta(days=rnd.randrange(days))
            outcome = None if rnd.random() < 0.1 else outcomes[rnd.randrange(2)]
            row[idx["reference"]] = f"{prefix}-{i:08d}"
            row[idx["received_on"]] = ops.adapt_datefield_value(received)
            row[idx["channel"]] = channels[rnd.randrange(len(channels))]
            row[idx["service_id"]] = (
                None if rnd.random() < 0.02 else services[rnd.randrange(len(services))]
            )
            row[idx["qualifying"]] = True
            row[idx["outcome_id"]] = outcome
            status = "received"
            # The deadlines as cases/deadlines.py settles them (the sweep has run: every
            # date here is long past).
            row[idx["acknowledgement_timeliness"]] = "missed"
            if rnd.random() < 0.95:
                ack = received + dt.timedelta(days=rnd.randrange(10))
                due = ack + dt.timedelta(91)
                row[idx["acknowledged_at"]] = at(ack, 10)
                row[idx["acknowledgement_timeliness"]] = (
                    "met" if (ack - received).days <= 7 else "late"
                )
                row[idx["feedback_due_on"]] = ops.adapt_datefield_value(due)
                row[idx["feedback_timeliness"]] = "missed"
                status = "action"
                if rnd.random() < 0.67:
                    given = ack + dt.timedelta(days=rnd.randrange(120))
                    row[idx["feedback_given_on"]] = ops.adapt_datefield_value(given)
                    row[idx["feedback_timeliness"]] = "met" if given <= due else "late"
                if outcome is not None and rnd.random() < 0.67:
                    status = "closed"
                    closed = received + dt.timedelta(days=rnd.randrange(200))
                    row[idx["closed_at"]] = at(closed, 15)
            row[idx["status"]] = status
            if rnd.random() < 0.02:
                row[idx["urgent"]] = True
                row[idx["urgent_marked_at"]] = at(received, 9)
            yield row

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-131072")
        for lo in range(0, n, BATCH):
            with transaction.atomic():
                cursor.executemany(sql, list(rows(lo, min(n, lo + BATCH))))
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=FULL")
    return time.perf_counter() - t0


def insert_casework(user_id: int) -> float:
    """Feedback actions, referrals and confirmed concerns, INSERT ... SELECT in the database."""
    from django.db import connection, transaction

    from whistledesk.cases.models import BodyKind, ReferralBody

    bodies = [
        ReferralBody.objects.get_or_create(name=f"Bench body {k}", kind=BodyKind.OTHER)[0].pk
        for k in range(5)
    ]
    if connection.vendor == "sqlite":
        plus_days = "date(received_on, '+28 days')"
        answered = "date(received_on, '+' || (id %% 40) || ' days')"
        confirmed = "datetime(urgent_marked_at, '+' || (id %% 72) || ' hours')"
        now, empty = "datetime('now')", "X''"
    else:
        plus_days = "received_on + 28"
        answered = "received_on + (id %% 40)::int"
        confirmed = "urgent_marked_at + (id %% 72) * interval '1 hour'"
        now, empty = "now()", "''::bytea"
    body = f"CASE id %% 5 {' '.join(f'WHEN {k} THEN {b}' for k, b in enumerate(bodies))} END"
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseaction (disclosure_id, kind, recipient, summary_sealed, "
            "taken_on, recorded_by_id, created_at) "
            f"SELECT id, 'feedback', '', {empty}, feedback_given_on, %s, {now} "
            "FROM cases_disclosure WHERE feedback_given_on IS NOT NULL",
            [user_id],
        )
        cursor.execute(
            "INSERT INTO cases_referral (disclosure_id, body_id, shared_summary_sealed, "
            "identity_shared, referred_on, body_reference, reassurance_due, "
            "response_received_on, response_summary_sealed, recorded_by_id, created_at) "
            f"SELECT id, {body}, {empty}, FALSE, received_on, '', {plus_days}, "
            f"CASE WHEN id %% 10 < 1 THEN {answered} END, {empty}, %s, {now} "
            "FROM cases_disclosure WHERE id %% 5 = 0",
            [user_id],
        )
        cursor.execute(
            "INSERT INTO cases_safeguardingconcern (disclosure_id, summary_sealed, reason, "
            "raised_at, action_taken_sealed, action_taken_by_sealed, confirmed_by_id, "
            f"confirmed_at) SELECT id, {empty}, '', urgent_marked_at, {empty}, {empty}, %s, "
            f"{confirmed} FROM cases_disclosure WHERE urgent",
            [user_id],
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="disclosures in the year")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best is shown")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's data")
    args = parser.parse_args()

    vendor = setup_django(reuse=args.reuse)
    from django.db import connection
    from django.utils import timezone

    from whistledesk.accounts.models import User
    from whistledesk.accounts.roles import Role
    from whistledesk.cases.models import CaseAction, Disclosure, Referral, SafeguardingConcern
    from whistledesk.organisation.models import Organisation
    from whistledesk.reports import management_info as mi
    from whistledesk.reports.management_export import csv_lines, register_export_start

    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    org = Organisation.objects.filter(name="Bench Office").first() if args.reuse else None
    if org is None:
        from django.contrib.auth.models import Group

        org = make_organisation()
        user = User.objects.create_user(username="bench-manager", password=None)
        group, _ = Group.objects.get_or_create(name=Role.MANAGER.value)
        user.groups.add(group)
        took = insert_disclosures(org, args.n, YEAR, "BENCH")
        took += insert_disclosures(org, args.n // 10, YEAR - 1, "PREV")
        total = args.n + args.n // 10
        print(f"insert:  {total:,} disclosures in {took:.1f} s")
        print(f"casework rows (INSERT ... SELECT): {insert_casework(user.pk):.1f} s")
    user = User.objects.get(username="bench-manager")
    if not CaseAction.objects.exists():  # a run stopped before its casework rows
        print(f"casework rows (INSERT ... SELECT): {insert_casework(user.pk):.1f} s")
    print(
        f"rows:    {Disclosure.objects.count():,} disclosures, "
        f"{CaseAction.objects.count():,} feedback actions, {Referral.objects.count():,} "
        f"referrals, {SafeguardingConcern.objects.count():,} concerns"
    )
    start, end = org.period_for_year(YEAR)
    today = timezone.localdate()
    period = {"organisation": org, "start": start, "end": end}
    timings = [
        ("timeliness (counts, percentiles)", lambda: mi.timeliness_get(**period, today=today)),
        ("referrals by body", lambda: mi.referrals_by_body(**period, today=today)),
        ("urgent and time to confirmation", lambda: mi.urgent_get(**period)),
        (
            "trends, 5 years",
            lambda: mi.trends_get(
                organisation=org, first_year=YEAR - 4, last_year=YEAR, today=today
            ),
        ),
    ]
    total = 0.0
    results = {}
    for label, fn in timings:
        took, results[label] = best_of(args.runs, fn)
        total += took
        print(f"{label:45s} {took * 1000:9.1f} ms")
    print(f"{'the page (sum of the above)':45s} {total * 1000:9.1f} ms   (best of {args.runs})")
    overall = results["timeliness (counts, percentiles)"][0]
    print(
        f"check:   {overall.received:,} received, {overall.ack_on_time:,} of {overall.ack_due:,} "
        f"acknowledged in 7 days, {overall.feedback_on_time:,} of {overall.feedback_due:,} "
        f"feedback in time, {overall.closed:,} closed, median {overall.median_days_to_close} "
        f"days, 90th {overall.p90_days_to_close}"
    )

    def export() -> int:
        rows = register_export_start(actor=user, fmt="csv", **period)
        return sum(len(line) for line in csv_lines(rows))

    t0 = time.perf_counter()
    size = export()
    took = time.perf_counter() - t0
    print(f"register CSV export of the year: {size / 1e6:,.0f} MB in {took:.1f} s")


if __name__ == "__main__":
    main()

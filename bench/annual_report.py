"""Benchmark the annual report against the raw SQL aggregate, and the CSV importer.

    .venv/bin/python bench/annual_report.py [--n 1000000] [--import-rows 100000] [--runs 5]

Builds a fresh database (SQLite file bench/out/bench.sqlite3 by default; or the PostgreSQL
database in DATABASE_URL, whose name must contain "bench" because it is emptied), inserts N
synthetic disclosures in the reported year (2022/23) plus N/10 in the year before, then
prints the best-of-runs time of the report selector next to the hand-written SQL that
computes the same figures, and their ratio. Then times `import_disclosures_csv` on a
CSV of --import-rows rows (rows/s), if that importer exists.
Goal (issue 2): < 1 s on SQLite for 1,000,000 and within 1.5x of the raw SQL.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import io
import itertools
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
YEAR = 2022
BATCH = 20_000


def setup_django(*, reuse: bool) -> str:
    """Point Django at the bench database and migrate it. Returns the engine vendor."""
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = OUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            if not reuse:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL must name a database containing 'bench': it will be emptied")
    os.environ["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        _pg_create_database()
        call_command("migrate", verbosity=0)
        if not reuse:
            call_command("flush", interactive=False, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    return connection.vendor


def _pg_create_database() -> None:
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception:  # noqa: BLE001 - the database does not exist yet: create it
        import psycopg

        params = connection.get_connection_params()
        name = connection.settings_dict["NAME"]
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')


def make_organisation(name: str = "Bench Office", slug: str = "bench") -> Any:
    from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory

    org = Organisation.objects.create(name=name, short_name="BO", slug=slug)
    for i, label in enumerate(
        [
            "Children's Homes",
            "Local Authority Children's Services.",
            "Health service or setting",
            "School",
            "Supported living provider",
            "Early years provider",
            "other",
        ]
    ):
        ServiceCategory.objects.create(organisation=org, label=label, position=i)
    Outcome.objects.create(
        organisation=org, label="Sent to the appropriate bodies", position=0, further_action=True
    )
    Outcome.objects.create(
        organisation=org, label="Not taken forward", position=1, further_action=False
    )
    return org


def insert_disclosures(org: Any, n: int, year: int, prefix: str) -> float:
    """Insert n rows of one organisation (see insert_shared). Returns seconds taken."""
    return insert_shared([(org, 1.0)], n, year, prefix)


def insert_shared(orgs: list[tuple[Any, float]], n: int, year: int, prefix: str) -> float:
    """Insert n rows with executemany: every column from the model, so defaults of fields
    added later are honoured. Each row belongs to one of `orgs`, drawn at random by its
    weight, so the organisations' rows are interleaved in the table as they would be in a
    shared installation (each organisation receiving disclosures over the same year).
    Returns seconds taken."""
    from django.db import connection, transaction
    from django.utils import timezone

    from whistledesk.cases.models import Channel, Disclosure

    org = orgs[0][0]
    start, end = org.period_for_year(year)
    days = (end - start).days + 1
    taxonomy = [
        (
            o.pk,
            list(o.services.values_list("id", flat=True)),
            list(o.outcomes.values_list("id", flat=True)),
        )
        for o, _ in orgs
    ]
    cumulative = list(itertools.accumulate(w for _, w in orgs))
    channels = list(Channel.values)
    template = Disclosure(organisation=org, reference="x", received_on=start, channel="email")
    now = timezone.now()
    template.created_at = template.updated_at = now
    # Only columns the migrated table has: the model may be ahead of its migrations.
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, Disclosure._meta.db_table)
    existing = {c.name for c in table}
    fields = [
        f for f in Disclosure._meta.concrete_fields if not f.primary_key and f.column in existing
    ]
    columns = [f.column for f in fields]
    base = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    varying = [
        "organisation_id",
        "reference",
        "received_on",
        "channel",
        "service_id",
        "qualifying",
        "anonymous",
        "outcome_id",
    ]
    idx = {name: [f.attname for f in fields].index(name) for name in varying}
    row0 = [base[f.attname] for f in fields]
    date_values = [
        connection.ops.adapt_datefield_value(start + dt.timedelta(days=d)) for d in range(days)
    ]
    rnd = random.Random(year)
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(Disclosure._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def rows(lo: int, hi: int) -> Iterator[list[Any]]:
        single = len(taxonomy) == 1
        for i in range(lo, hi):
            row = row0.copy()
            pick = 0 if single else bisect.bisect(cumulative, rnd.random() * cumulative[-1])
            org_id, services, outcomes = taxonomy[min(pick, len(taxonomy) - 1)]
            r = rnd.random()
            row[idx["organisation_id"]] = org_id
            row[idx["reference"]] = f"{prefix}-{i:08d}"
            row[idx["received_on"]] = date_values[rnd.randrange(days)]
            row[idx["channel"]] = channels[rnd.randrange(len(channels))]
            row[idx["service_id"]] = None if r < 0.02 else services[rnd.randrange(len(services))]
            row[idx["qualifying"]] = True if r < 0.9 else (False if r < 0.95 else None)
            row[idx["anonymous"]] = rnd.random() < 0.2
            row[idx["outcome_id"]] = None if rnd.random() < 0.1 else outcomes[rnd.randrange(2)]
            yield row

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")  # bench data only: no need to fsync
            # A bigger page cache keeps the register's dozen indexes in memory while loading.
            cursor.execute("PRAGMA cache_size=-131072")
        for lo in range(0, n, BATCH):
            with transaction.atomic():
                cursor.executemany(sql, list(rows(lo, min(n, lo + BATCH))))
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def raw_group_by(org: Any, year: int) -> tuple[list[tuple[Any, ...]], int]:
    """The obvious raw SQL: one GROUP BY over the period and one COUNT for the year before."""
    from django.db import connection

    start, end = org.period_for_year(year)
    prev_start, prev_end = org.period_for_year(year - 1)
    a = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT qualifying, service_id, outcome_id, channel, anonymous, COUNT(*) "
            "FROM cases_disclosure WHERE organisation_id = %s "
            "AND received_on >= %s AND received_on <= %s GROUP BY 1, 2, 3, 4, 5",
            [org.pk, a(start), a(end)],
        )
        groups = cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM cases_disclosure WHERE organisation_id = %s "
            "AND received_on >= %s AND received_on <= %s",
            [org.pk, a(prev_start), a(prev_end)],
        )
        (previous,) = cursor.fetchone()
    return groups, previous


def raw_same_plan(org: Any, year: int) -> tuple[tuple[Any, ...], int, int]:
    """Hand-written SQL for exactly what the selector asks of the database (single
    organisation, conditional counts, a scan when the period is most of the table)."""
    from django.db import connection

    start, end = org.period_for_year(year)
    prev_start, prev_end = org.period_for_year(year - 1)
    a = connection.ops.adapt_datefield_value
    services = list(org.services.values_list("id", flat=True))
    outcomes = list(org.outcomes.values_list("id", flat=True))
    channels = ["letter", "email", "helpline", "tribunal", "web", "phone", "other"]
    counts = [
        "COUNT(*)",
        "COUNT(*) FILTER (WHERE anonymous)",
        "COUNT(*) FILTER (WHERE service_id IS NULL)",
        "COUNT(*) FILTER (WHERE outcome_id IS NULL)",
    ]
    counts += [f"COUNT(*) FILTER (WHERE service_id = {int(pk)})" for pk in services]
    counts += [f"COUNT(*) FILTER (WHERE outcome_id = {int(pk)})" for pk in outcomes]
    counts += [f"COUNT(*) FILTER (WHERE channel = '{c}')" for c in channels]
    col = "+received_on" if connection.vendor == "sqlite" else "received_on"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM cases_disclosure WHERE received_on >= %s AND received_on <= %s",
            [a(start), a(end)],
        )
        (received,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM cases_disclosure")
        cursor.fetchone()
        cursor.execute(
            f"SELECT {', '.join(counts)} FROM cases_disclosure "
            f"WHERE {col} >= %s AND {col} <= %s AND qualifying",
            [a(start), a(end)],
        )
        figures = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM cases_disclosure WHERE received_on >= %s AND received_on <= %s",
            [a(prev_start), a(prev_end)],
        )
        (previous,) = cursor.fetchone()
    return figures, received, previous


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_import(org: Any, rows: int) -> None:
    try:
        from whistledesk.cases.importing import import_disclosures_csv
    except ImportError:
        print("import:  importer not available (whistledesk.cases.importing is missing)")
        return
    services = list(org.services.values_list("label", flat=True))
    outcomes = [*org.outcomes.values_list("label", flat=True), ""]
    rnd = random.Random(7)
    path = OUT / f"import-{rows}.csv"
    start, _ = org.period_for_year(YEAR + 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "reference",
                "received_on",
                "channel",
                "service",
                "outcome",
                "qualifying",
                "anonymous",
                "summary",
            ]
        )
        for i in range(rows):
            w.writerow(
                [
                    f"IMP-{i:08d}",
                    (start + dt.timedelta(days=rnd.randrange(365))).isoformat(),
                    rnd.choice(["letter", "email", "helpline", "tribunal", "web"]),
                    rnd.choice(services),
                    rnd.choice(outcomes),
                    "yes",
                    rnd.choice(["yes", "no"]),
                    "synthetic row",
                ]
            )
    with path.open("rb") as fh:
        data = fh.read()
    t0 = time.perf_counter()
    try:
        result = import_disclosures_csv(actor=None, stream=io.BytesIO(data), organisation=org)
    except TypeError:
        # The importer may want a text stream.
        t0 = time.perf_counter()
        result = import_disclosures_csv(
            actor=None, stream=io.StringIO(data.decode("utf-8")), organisation=org
        )
    took = time.perf_counter() - t0
    print(f"import:  {rows:,} rows in {took:.2f} s = {rows / took:,.0f} rows/s  ({result!r:.120})")


class SqlTimer:
    """Time spent in the database during a block (Django's execute wrapper)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t0
            self.queries += 1


def timed_report(org: Any, runs: int) -> tuple[float, float, int, Any]:
    """Best of `runs` builds of `org`'s report: (build seconds, SQL seconds of that run,
    queries, the report)."""
    from django.db import connection

    from whistledesk.reports.selectors import annual_report_get

    best: tuple[float, float, int, Any] = (float("inf"), 0.0, 0, None)
    for _ in range(runs):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            t0 = time.perf_counter()
            report = annual_report_get(organisation=org, year=YEAR)
            took = time.perf_counter() - t0
        if took < best[0]:
            best = (took, timer.seconds, timer.queries, report)
    return best


def shares(n: int, organisations: int, spread: str) -> list[int]:
    """Disclosures per organisation: `even` (n / k each) or `skewed` (one large office with
    most of them, the others 2% of n each: 820,000 + 9 x 20,000 for 1,000,000)."""
    if spread == "even":
        return [n // organisations] * organisations
    small = n // 50
    return [n - small * (organisations - 1)] + [small] * (organisations - 1)


COVERING = (
    "organisation_id",
    "received_on",
    "qualifying",
    "service_id",
    "outcome_id",
    "channel",
    "anonymous",
)


def add_covering_index() -> None:
    """An index holding every column the report reads, leading with organisation (a bench
    experiment: the model's report indexes lead with received_on). With it SQLite answers
    each organisation's report from the index alone, without a table lookup per row."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS bench_report_covering ON cases_disclosure "
            f"({', '.join(COVERING)})"
        )
        cursor.execute("ANALYZE")
    print(
        f"index:   bench_report_covering ({', '.join(COVERING)}) "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def main_shared(args: argparse.Namespace, vendor: str) -> None:
    """Several organisations sharing the register: each one's report, timed."""
    from django.db import connection

    from whistledesk.cases.models import Disclosure
    from whistledesk.organisation.models import Organisation

    orgs = list(Organisation.objects.filter(slug__startswith="bench-").order_by("slug"))
    if not orgs:
        sizes = shares(args.n, args.organisations, args.spread)
        orgs = [
            make_organisation(f"Bench Office {i:02d}", f"bench-{i:02d}")
            for i in range(args.organisations)
        ]
        weights = [(o, float(size)) for o, size in zip(orgs, sizes, strict=True)]
        took = insert_shared(weights, args.n, YEAR, "BENCH")
        took += insert_shared(weights, args.n // 10, YEAR - 1, "PREV")
        total = args.n + args.n // 10
        print(f"insert:  {total:,} rows in {took:.1f} s = {total / took:,.0f} rows/s")
    if args.covering_index:
        add_covering_index()
    print(
        f"register: {Disclosure.objects.count():,} disclosures, {len(orgs)} organisations "
        f"({args.spread}); load {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}"
    )
    print(
        f"{'organisation':<16} {'received':>9} {'raw GROUP BY':>13} {'report':>9} "
        f"{'its SQL':>9} {'queries':>7}"
    )
    total_report = total_sql = 0.0
    for org in orgs:
        t_group, (groups, previous) = best_of(args.runs, lambda o=org: raw_group_by(o, YEAR))
        t_rep, t_sql, queries, report = timed_report(org, args.runs)
        assert report.received == sum(g[-1] for g in groups)
        assert report.qualifying == sum(g[-1] for g in groups if g[0])
        assert report.previous_period_received == previous
        total_report += t_rep
        total_sql += t_sql
        print(
            f"{org.slug:<16} {report.received:>9,} {t_group * 1000:>10.1f} ms "
            f"{t_rep * 1000:>6.1f} ms {t_sql * 1000:>6.1f} ms {queries:>7}"
        )
    print(
        f"{'all ' + str(len(orgs)):<16} {'':>9} {'':>13} {total_report * 1000:>6.1f} ms "
        f"{total_sql * 1000:>6.1f} ms   (times: best of {args.runs}; "
        f"{connection.vendor})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="disclosures in the year")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the best is shown")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the last run's disclosures (skip inserting)"
    )
    parser.add_argument(
        "--organisations",
        type=int,
        default=1,
        help="organisations sharing the N disclosures (more than 1: each one's report is timed)",
    )
    parser.add_argument(
        "--spread",
        choices=["skewed", "even"],
        default="skewed",
        help="with several organisations: one large office and small ones, or equal shares",
    )
    parser.add_argument(
        "--covering-index",
        action="store_true",
        help="first add an index (organisation, received_on, qualifying, service, outcome, "
        "channel, anonymous) to the bench database: the index this benchmark suggests",
    )
    args = parser.parse_args()

    vendor = setup_django(reuse=args.reuse)
    if args.organisations > 1:
        main_shared(args, vendor)
        return
    from django.db import connection

    from whistledesk.organisation.models import Organisation
    from whistledesk.reports.renderers import render_text

    org = Organisation.objects.filter(slug="bench").first() if args.reuse else None
    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    if org is None:
        org = make_organisation()
        took = insert_disclosures(org, args.n, YEAR, "BENCH")
        took += insert_disclosures(org, args.n // 10, YEAR - 1, "PREV")
        total = args.n + args.n // 10
        print(f"insert:  {total:,} rows in {took:.1f} s = {total / took:,.0f} rows/s")
    else:
        from whistledesk.cases.models import Disclosure

        Disclosure.objects.filter(reference__startswith="IMP-").delete()  # last import
        print(f"reusing: {Disclosure.objects.count():,} disclosures")

    t_group, (groups, previous) = best_of(args.runs, lambda: raw_group_by(org, YEAR))
    if vendor == "sqlite":
        t_same, (figures, received, _) = best_of(args.runs, lambda: raw_same_plan(org, YEAR))
    else:
        # On PostgreSQL the selector's plan is the GROUP BY itself.
        t_same, received = t_group, sum(g[-1] for g in groups)
        figures = (sum(g[-1] for g in groups if g[0]),)
    t_rep, t_sql, _, report = timed_report(org, args.runs)
    t_md, _ = best_of(args.runs, lambda: render_text(report, "md"))
    # The three must agree before their times mean anything.
    assert report.received == received == sum(g[-1] for g in groups)
    assert report.qualifying == figures[0] == sum(g[-1] for g in groups if g[0])
    assert report.previous_period_received == previous
    print(
        f"report:  {report.received:,} disclosures in {YEAR}/{(YEAR + 1) % 100} "
        f"({report.qualifying:,} qualifying), previous year {previous:,}"
    )
    print(f"raw SQL, GROUP BY (obvious):    {t_group * 1000:8.1f} ms")
    print(f"raw SQL, one-org plan, no org:  {t_same * 1000:8.1f} ms   (the old selector)")
    print(f"annual_report_get (selector):   {t_rep * 1000:8.1f} ms   (goal < 1000 ms)")
    print(f"  of which in the database:     {t_sql * 1000:8.1f} ms")
    print(f"ratio selector / raw GROUP BY:  {t_rep / t_group:8.2f}x  (goal <= 1.5x)")
    print(f"ratio selector / raw same plan: {t_rep / t_same:8.2f}x  (ORM overhead)")
    print(f"render Markdown:                {t_md * 1000:8.1f} ms   (times: best of {args.runs})")
    if args.import_rows:
        bench_import(org, args.import_rows)


if __name__ == "__main__":
    main()

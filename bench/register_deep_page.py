"""Benchmark the register's deep page with two organisations in one installation.

    DATABASE_URL=postgres://.../wd_x_bench .venv/bin/python bench/register_deep_page.py \
        [--n 200000] [--other 50000] [--runs 5]

Builds a fresh database (as bench/dashboard.py: the PostgreSQL database's name must contain
"bench", it is emptied; without DATABASE_URL a SQLite file in bench/out/), inserts N
disclosures for organisation A and --other for organisation B, interleaved by date, then
requests A's register page 1 and page 1,000 (50 a page: rows 49,951-50,000) as A's
caseworker and prints the median SQL time of the page's queries and of the whole request, and
the plan of the page's id query (it should walk disc_org_received: organisation,
received_on, id). Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard import BATCH, setup_django  # noqa: E402


def build(n: int, other: int) -> tuple[Any, Any]:
    from whistledesk.accounts.roles import Role
    from whistledesk.accounts.services import user_create
    from whistledesk.cases.models import Channel, Disclosure, Status
    from whistledesk.cases.references import new_reference
    from whistledesk.organisation.models import Organisation, Outcome

    rng = random.Random(12)
    org_a = Organisation.objects.create(name="Office A", short_name="A", slug="office-a")
    org_b = Organisation.objects.create(name="Office B", short_name="B", slug="office-b")
    # A caseworker sees the whole register (a manager would first be asked for a 2nd factor).
    worker = user_create(
        actor=None, username="worker", password="", roles=[Role.CASEWORKER], organisation=org_a
    )
    today = dt.date.today()
    rows: list[Disclosure] = []
    for org, count in ((org_a, n), (org_b, other)):
        # A closed case needs an outcome (a check constraint).
        outcome = Outcome.objects.create(
            organisation=org, label="Referred", position=0, further_action=True
        )
        for _ in range(count):
            received = today - dt.timedelta(days=rng.randrange(5 * 365))
            rows.append(
                Disclosure(
                    organisation=org,
                    reference=new_reference(),
                    received_on=received,
                    channel=rng.choice(Channel.values),
                    qualifying=True,
                    status=Status.CLOSED if (today - received).days > 120 else Status.ASSESSING,
                    outcome=outcome if (today - received).days > 120 else None,
                )
            )
            if len(rows) == BATCH:
                Disclosure.objects.bulk_create(rows)
                rows = []
    Disclosure.objects.bulk_create(rows)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_disclosure")
    return worker, org_a


def measure(user: Any, org: Any, runs: int) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    prefix = f"/{org.slug}"
    for label, page in (("page 1", 1), ("page 1,000", 1000)):
        url = f"{prefix}/staff/?page={page}"
        client.get(url)  # warm caches
        sql_ms, request_ms = [], []
        for _ in range(runs):
            spent: list[float] = []

            def timed(
                execute: Any, sql: str, params: Any, many: bool, context: Any, spent: Any = spent
            ) -> Any:
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(((time.perf_counter() - start) * 1000, sql))

            start = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.get(url)
            request_ms.append((time.perf_counter() - start) * 1000)
            sql_ms.append(sum(ms for ms, _ in spent))
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"  {label:<11} SQL {statistics.median(sql_ms):7.1f} ms   "
            f"request {statistics.median(request_ms):7.1f} ms   ({len(spent)} queries)"
        )
        for ms, sql in sorted(spent, key=lambda x: x[0], reverse=True)[:4]:
            print(f"      {ms:6.1f} ms  {' '.join(sql.split())[:150]}")
    if connection.vendor == "postgresql":
        _plan(user, org)


def _plan(user: Any, org: Any) -> None:
    """EXPLAIN ANALYZE of page 1,000's id query, as the register runs it."""
    from django.db import connection

    from whistledesk.cases.selectors import DisclosureFilters, disclosure_list

    qs = disclosure_list(organisation=org, filters=DisclosureFilters(), user=user)
    ids = qs.values_list("pk", flat=True)[49_950:50_000]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)  # noqa: S608 - our SQL
        print("  plan of page 1,000's id query:")
        for (line,) in cursor.fetchall():
            print("    " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--other", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--again", action="store_true", help="measure the database the last run built"
    )
    args = parser.parse_args()
    if args.again:
        _setup_existing()
        from whistledesk.accounts.models import User
        from whistledesk.organisation.models import Organisation

        org = Organisation.objects.get(slug="office-a")
        user = User.objects.get(organisation=org, username="worker")
    else:
        vendor = setup_django()
        start = time.perf_counter()
        user, org = build(args.n, args.other)
        print(
            f"{vendor}: built {args.n:,} disclosures in A and {args.other:,} in B "
            f"in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
    measure(user, org, args.runs)


def _setup_existing() -> None:
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.test"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


if __name__ == "__main__":
    main()

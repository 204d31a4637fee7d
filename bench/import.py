"""The CSV importer's speed and peak memory as files grow: rows/s beside peak RSS.

    .venv/bin/python bench/import.py [--rows 100000,1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wd_bench .venv/bin/python bench/import.py

For each size, writes a CSV (bench/out/import-N.csv, the columns and values of
bench/annual_report.py's import figure) and imports it in a fresh child process with
`whistledesk.cases.importing.import_disclosures_csv`, as `whistledesk import_disclosures`
does. The child's peak resident memory comes from os.wait4 (ru_maxrss of that process
alone), beside its CPU time: on a shared machine the wall-clock rate depends on the load.
For comparison, a "plain insert" child streams the same file with the csv module and
inserts the rows in batches of 5,000 with the same bulk path (executemany on SQLite, COPY
on PostgreSQL), with no checking and the register's indexes in place: a row-by-row load.
The importer's own bulk mode (cases/importing/bulk.py) rebuilds the indexes instead.

The database is bench/out/import.sqlite3 (made afresh), or DATABASE_URL: there the bench
adds an organisation named "Bench Import" and deletes only the rows it imported (references
starting IMP-). Goal (issue 9): memory flat as files grow, at least 20,000 rows/s on both.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ORG_NAME = "Bench Import"


def setup_django(code: Path = ROOT) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'import.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.test"
    sys.path.insert(0, str(code))
    import django

    django.setup()
    from django.db import connection

    return connection.vendor


def organisation() -> object:
    from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory

    org = Organisation.objects.filter(name=ORG_NAME).first()
    if org is not None:
        return org
    org = Organisation.objects.create(name=ORG_NAME, short_name="BI")
    for i, label in enumerate(["Children's Homes", "School", "Health service", "other"]):
        ServiceCategory.objects.create(organisation=org, label=label, position=i)
    Outcome.objects.create(organisation=org, label="Sent on", position=0, further_action=True)
    Outcome.objects.create(organisation=org, label="No action", position=1, further_action=False)
    return org


def write_csv(path: Path, rows: int) -> None:
    rnd = random.Random(7)
    start = dt.date(2023, 4, 1)
    services = ["Children's Homes", "School", "Health service", "other"]
    outcomes = ["Sent on", "No action", ""]
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


def clear() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_disclosure WHERE reference LIKE 'IMP-%%'")


def child(mode: str, path: str, code: str) -> None:
    """Run one import (or the plain insert) and print 'seconds created'."""
    setup_django(Path(code))
    org = organisation()
    t0 = time.perf_counter()
    if mode == "importer":
        from whistledesk.cases.importing import import_disclosures_csv

        result = import_disclosures_csv(actor="bench", stream=path, organisation=org)
        created = result.created
    else:
        created = plain_insert(org, path)
    print(f"{time.perf_counter() - t0} {created}")


def plain_insert(org: object, path: str) -> int:
    """The floor: stream the file, convert each row, insert in batches; no checks."""
    from django.db import transaction

    from whistledesk.cases.importing.rows import Row
    from whistledesk.cases.importing.store import BATCH_SIZE, Inserter
    from whistledesk.organisation.models import Outcome, ServiceCategory

    services = dict(ServiceCategory.objects.filter(organisation=org).values_list("label", "pk"))
    outcomes = dict(Outcome.objects.filter(organisation=org).values_list("label", "pk"))
    created = 0
    with transaction.atomic(), open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        inserter = Inserter(org)  # type: ignore[arg-type]
        batch: list[Row] = []
        for line, f in enumerate(reader, start=2):
            batch.append(
                Row(
                    line,
                    f[0],
                    dt.date.fromisoformat(f[1]),
                    f[2],
                    services[f[3]],
                    outcomes.get(f[4]),
                    f[5] == "yes",
                    f[6] == "yes",
                    f[7],
                )
            )
            if len(batch) == BATCH_SIZE:
                inserter.insert(batch)
                created += len(batch)
                batch = []
        inserter.insert(batch)
        created += len(batch)
        inserter.close()
    return created


def measure(mode: str, path: Path, rows: int, code: Path) -> None:
    from django.db import connection

    clear()
    connection.close()  # the child gets the database to itself
    proc = subprocess.Popen(  # noqa: S603 - this script, our own file
        [sys.executable, __file__, "--child", mode, str(path), str(code)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{mode} failed for {path}")
    seconds, created = output.split()
    assert int(created) == rows, (created, rows)
    took = float(seconds)
    cpu = usage.ru_utime + usage.ru_stime  # this process only (not the database server)
    print(
        f"{mode:<13} {rows:>9,} rows  {took:7.1f} s  {rows / took:9,.0f} rows/s  "
        f"peak RSS {usage.ru_maxrss / 1024:7.0f} MB  (client CPU {cpu:6.1f} s)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="import whistledesk from this checkout instead (to compare an older commit)",
    )
    parser.add_argument("--no-plain", action="store_true", help="skip the plain insert")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / 'import.sqlite3'}{suffix}").unlink(missing_ok=True)
    vendor = setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    organisation()
    print(f"database: {vendor} {connection.settings_dict['NAME']}; code: {args.code}")
    for rows in [int(n) for n in args.rows.split(",") if n]:
        path = OUT / f"import-{rows}.csv"
        if not path.exists():
            write_csv(path, rows)
        measure("importer", path, rows, args.code)
        if not args.no_plain:
            measure("plain insert", path, rows, ROOT)
    if vendor != "sqlite":  # the SQLite file is made afresh on the next run anyway
        clear()


if __name__ == "__main__":
    main()

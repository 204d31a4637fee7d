"""Benchmark web Sends per second with 1, 2 and 4 concurrent workers.

    .venv/bin/python bench/sends.py [--seconds 10] [--workers 1 2 4] [--compare]

Builds a fresh database (SQLite file bench/out/sends.sqlite3 by default; or the PostgreSQL
database in DATABASE_URL, whose name must contain "bench" because it is emptied), with an
organisation and a recovery key. Then, for each worker count, starts that many separate
processes (each with its own database connection) that send complete anonymous web
disclosures through `whistledesk.intake.services.submission_create` - the function the
form's Send calls - for --seconds, at the production Argon2id cost (two derivations per
send), and prints sends per second.

With --compare it also runs the old order (issue 9 item 8): the disclosure recorded and
then the case file created with its receipt derived inside the transaction, i.e. while the
audit chain's head row (PostgreSQL) or the write lock (SQLite) is held. There sends/s stay
flat however many workers run; in the new order they grow with workers up to the number
of free cores. Beside each figure: the median time a Send holds the lock (first statement
of its transaction to commit), and the ceiling it sets, 1 / that time, which no number of
workers or cores can pass. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def setup_django() -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = OUT / "sends.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL must name a database containing 'bench': it will be emptied")
    os.environ["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # The real cost: the point is how long the derivations take and where they run.
    settings.WHISTLEDESK_KDF_FAST_FOR_TESTS = False
    if connection.vendor == "postgresql":
        _pg_create_database()
        call_command("migrate", verbosity=0)
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


def build() -> dict[str, Any]:
    """An organisation with its taxonomy and a recovery key; returns a form's answers."""
    from whistledesk.casefiles.models import RecoveryKey
    from whistledesk.core import crypto
    from whistledesk.organisation.models import Organisation, ServiceCategory

    org = Organisation.objects.create(name="Bench Office", short_name="BO")
    service = ServiceCategory.objects.create(organisation=org, label="Children's homes")
    public, _ = crypto.generate_keypair()
    RecoveryKey.objects.create(public_key=public, fingerprint=crypto.key_fingerprint(public))
    return {
        "risk": "no",
        "service": str(service.pk),
        "setting_name": "Thistlewood House",
        "setting_area": "Camden",
        "narrative": "What happened, in the whistleblower's words. " * 20,
        "raised": "no",
        "role": "agency",
        "identity": "anonymous",
        "files_done": "1",
    }


def _send_old_order(answers: dict[str, Any]) -> None:
    """The order before issue 9 item 8: receipt derived inside the transaction."""
    from django.db import transaction
    from django.utils import timezone

    from whistledesk.casefiles.services import casefile_create
    from whistledesk.cases.models import Channel
    from whistledesk.cases.services import disclosure_record
    from whistledesk.intake.answers import sealed_documents, service_for
    from whistledesk.organisation.selectors import organisation_get

    organisation = organisation_get()
    with transaction.atomic():
        disclosure = disclosure_record(
            actor="public",
            organisation=organisation,
            received_on=timezone.localdate(),
            channel=Channel.WEB,
            service=service_for(answers, organisation=organisation),
            qualifying=None,
            anonymous=True,
            summary="",
        )
        casefile_create(
            actor="public",
            disclosure=disclosure,
            documents=sealed_documents(answers, organisation=organisation),
            with_source=True,
        )


def _worker(
    answers: dict[str, Any], old_order: bool, start_at: float, until: float, q: Any
) -> None:
    from django.db import connections

    from whistledesk.intake.services import submission_create

    connections.close_all()  # never share the parent's connection: each worker has its own
    held: list[float] = []
    with connection.execute_wrapper(_LockTimer(held)):
        while time.monotonic() < start_at:
            time.sleep(0.001)
        sent = 0
        while time.monotonic() < until:
            if old_order:
                _send_old_order(answers)
            else:
                submission_create(answers=answers)
            sent += 1
    connections.close_all()
    q.put((sent, held))


class _LockTimer:
    """Times each transaction from its first statement to its commit: the span in which a
    Send holds the write lock (SQLite's IMMEDIATE transactions take it at BEGIN) or, from
    its first audit event on, the audit head row (PostgreSQL: timed from the first statement,
    so an upper bound that includes any wait for the head row). Much less affected than
    sends/s by how busy the machine's other cores are, so it shows the effect on a shared
    machine.
    """

    def __init__(self, held: list[float]) -> None:
        self.held = held
        self.started: float | None = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        from django.db import transaction

        if self.started is None and connection.in_atomic_block:
            self.started = time.perf_counter()
            transaction.on_commit(self._committed)
        return execute(sql, params, many, context)

    def _committed(self) -> None:
        if self.started is not None:
            self.held.append(time.perf_counter() - self.started)
        self.started = None


def measure(
    answers: dict[str, Any], workers: int, seconds: float, old_order: bool
) -> tuple[float, float]:
    """(sends per second, median milliseconds the lock was held per send)."""
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")  # children inherit the configured Django
    q = ctx.Queue()
    start_at = time.monotonic() + 0.5
    until = start_at + seconds
    procs = [
        ctx.Process(target=_worker, args=(answers, old_order, start_at, until, q))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    results = [q.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    # Sends still finishing after `until` are counted: divide by the time they really took.
    elapsed = max(time.monotonic() - start_at, seconds)
    total = sum(sent for sent, _ in results)
    held = [h for _, hs in results for h in hs]
    return total / elapsed, 1000 * statistics.median(held) if held else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--compare", action="store_true", help="also run the old order")
    args = parser.parse_args()
    vendor = setup_django()
    answers = build()
    from whistledesk.audit.verify import verify_chain

    print(f"database: {vendor}; cores: {os.cpu_count()}; {args.seconds:g} s per run")
    orders = [("keys derived before the lock", False)]
    if args.compare:
        orders.append(("keys derived under the lock (old)", True))
    for label, old_order in orders:
        print(f"\n{label}")
        base = None
        for n in args.workers:
            rate, held_ms = measure(answers, n, args.seconds, old_order)
            base = base or rate
            print(
                f"  {n} worker(s): {rate:6.2f} sends/s  ({rate / base:4.2f}x one worker); "
                f"lock held {held_ms:6.1f} ms per send (ceiling {1000 / held_ms:6.1f} sends/s)"
            )
    result = verify_chain()
    print(f"\naudit chain: {result.summary()}")


if __name__ == "__main__":
    main()

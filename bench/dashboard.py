"""Benchmark the staff dashboard's list pages at 100,000 cases.

    .venv/bin/python bench/dashboard.py [--n 100000] [--runs 5]

Builds a fresh database (SQLite file bench/out/dashboard.sqlite3 by default; or the
PostgreSQL database in DATABASE_URL, whose name must contain "bench" because it is
emptied), inserts N synthetic disclosures spread over five reporting years with realistic
statuses, handlers, settings, urgency and referral clocks, then requests every dashboard
list page (each tab, filters, search, a deep page) through Django's test client as a
signed-in caseworker and prints the median server time of --runs requests.
Goal (issue 4): every list page < 100 ms at 100,000 cases. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BATCH = 10_000
GOAL_MS = 100.0


def setup_django() -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = OUT / "dashboard.sqlite3"
        for suffix in ("", "-wal", "-shm"):
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
    from django.test.utils import setup_test_environment

    setup_test_environment()
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


def build(n: int) -> Any:
    """N disclosures; returns the caseworker who signs in."""
    from whistledesk.accounts.models import User
    from whistledesk.accounts.roles import Role
    from whistledesk.accounts.services import user_create
    from whistledesk.cases.assessment import normalise_setting
    from whistledesk.cases.models import Channel, Disclosure, RiskLevel, Status
    from whistledesk.cases.references import new_reference
    from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory

    rng = random.Random(4)
    org = Organisation.objects.create(name="Bench Office", short_name="BO")
    services = [
        ServiceCategory.objects.create(organisation=org, label=label, position=i)
        for i, label in enumerate(
            [
                "Children's homes",
                "Local authority",
                "Health",
                "School",
                "Supported living",
                "Early years",
                "Other",
            ]
        )
    ]
    outcomes = [
        Outcome.objects.create(organisation=org, label="Referred", position=0, further_action=True),
        Outcome.objects.create(
            organisation=org, label="Not taken forward", position=1, further_action=False
        ),
    ]
    # One real account (signs in); the rest share its role without the cost of key pairs.
    first = user_create(actor=None, username="worker0", password="", roles=[Role.CASEWORKER])
    group = first.groups.get()
    handlers = [first]
    for i in range(1, 20):
        user = User.objects.create(username=f"worker{i}")
        user.groups.add(group)
        handlers.append(user)
    settings_names = [
        f"{rng.choice(['Oak', 'Ash', 'Elm', 'Birch', 'Willow'])} "
        f"{rng.choice(['House', 'Lodge', 'Primary School', 'Nursery'])} {i}"
        for i in range(3000)
    ]
    today = dt.date.today()
    open_statuses = [
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.ASSESSING,
        Status.ACTION,
        Status.AWAITING_REASSURANCE,
    ]
    rows = []
    for i in range(n):
        received = today - dt.timedelta(days=rng.randrange(5 * 365))
        # Old cases are mostly closed; recent ones spread over the open states.
        closed = (today - received).days > 120 and rng.random() < 0.97
        status = Status.CLOSED if closed else rng.choice(open_statuses)
        acknowledged = status != Status.RECEIVED
        name = rng.choice(settings_names)
        rows.append(
            Disclosure(
                organisation=org,
                reference=new_reference(),
                received_on=received,
                channel=rng.choice(Channel.values),
                service=rng.choice(services) if status != Status.RECEIVED else None,
                qualifying=rng.random() < 0.8 if status != Status.RECEIVED else None,
                anonymous=rng.random() < 0.3,
                outcome=rng.choice(outcomes) if closed else None,
                status=status,
                urgent=rng.random() < 0.03,
                risk_level=rng.choice(RiskLevel.values),
                setting_name=name,
                setting_key=normalise_setting(name),
                ofsted_urn=f"SC{100000 + i % 5000}",
                handler=rng.choice(handlers) if acknowledged and rng.random() < 0.9 else None,
                feedback_due_on=received + dt.timedelta(days=92) if acknowledged else None,
                feedback_given_on=received + dt.timedelta(days=60) if closed else None,
                next_reassurance_due=(
                    received + dt.timedelta(days=28)
                    if status == Status.AWAITING_REASSURANCE
                    else None
                ),
            )
        )
        if len(rows) == BATCH:
            Disclosure.objects.bulk_create(rows)
            rows = []
    Disclosure.objects.bulk_create(rows)
    _conversations(rng)
    return handlers[0], org


def _conversations(rng: random.Random) -> None:
    """Two messages a case, the whistleblower's read, and an unread reply on 1% of cases:
    what "Replies waiting" and the register's marker look for (cases.replies)."""
    from django.utils import timezone

    from whistledesk.casefiles.models import Direction, Message
    from whistledesk.cases.models import Disclosure

    now = timezone.now()
    messages: list[Message] = []
    for pk in list(Disclosure.objects.values_list("pk", flat=True)):
        unread = rng.random() < 0.01
        messages += [
            Message(disclosure_id=pk, direction=Direction.TO_SOURCE, ciphertext=b"x"),
            Message(
                disclosure_id=pk,
                direction=Direction.FROM_SOURCE,
                ciphertext=b"x",
                read_by_staff_at=None if unread else now,
            ),
        ]
        if len(messages) >= BATCH:
            Message.objects.bulk_create(messages)
            messages = []
    Message.objects.bulk_create(messages)


def measure(user: Any, org: Any, runs: int) -> list[tuple[str, float]]:
    from django.test import Client

    from whistledesk.cases.models import Disclosure

    client = Client()
    client.force_login(user)
    ref = Disclosure.objects.order_by("?").values_list("reference", flat=True).first()
    year = dt.date.today().year - 2
    service = org.services.first().pk
    pages = [
        ("all", "/staff/"),
        ("mine", "/staff/?list=mine"),
        ("replies waiting", "/staff/?list=replies_waiting"),
        ("unassigned", "/staff/?list=unassigned"),
        ("urgent", "/staff/?list=urgent"),
        ("acknowledgement due", "/staff/?list=ack_due"),
        ("feedback due", "/staff/?list=feedback_due"),
        ("reassurance overdue", "/staff/?list=reassurance_overdue"),
        ("filter year+service", f"/staff/?year={year}&service={service}"),
        ("filter status", "/staff/?status=action"),
        ("filter closed+outcome", f"/staff/?status=closed&outcome={org.outcomes.first().pk}"),
        ("search setting", "/staff/?q=willow+lodge+12"),
        ("search reference", f"/staff/?q={ref}"),
        ("search URN", "/staff/?q=SC104321"),
        ("page 1000", "/staff/?page=1000"),
    ]
    results = []
    for label, url in pages:
        client.get(url)  # warm caches and connections
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append((label, statistics.median(times)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    vendor = setup_django()
    start = time.perf_counter()
    user, org = build(args.n)
    print(f"{vendor}: built {args.n:,} disclosures in {time.perf_counter() - start:.1f} s")
    worst = 0.0
    for label, ms in measure(user, org, args.runs):
        worst = max(worst, ms)
        flag = "" if ms < GOAL_MS else "  <-- over the goal"
        print(f"  {label:<22} {ms:7.1f} ms{flag}")
    verdict = "within" if worst < GOAL_MS else "OVER"
    print(f"slowest list page {worst:.1f} ms: {verdict} the {GOAL_MS:.0f} ms goal")


if __name__ == "__main__":
    main()

"""`whistledesk worker` as operators run it: real processes against the test database.

Promises: a job enqueued is run once; two workers never run the same job; a worker killed
with SIGKILL mid-job loses nothing (the reaper makes the job ready again and another worker
runs it); several workers ticking the schedule at once enqueue each periodic run once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.notifications.conftest import wait_until
from whistledesk.notifications.models import PeriodicJob
from whistledesk.notifications.tasks import probe


def _runs(marker: str) -> int:
    row = PeriodicJob.objects.filter(name=f"probe:{marker}").first()
    return row.runs_enqueued if row else 0


def test_a_job_enqueued_is_run_once(start_worker: Any) -> None:
    # Given a job waiting in the queue
    result = probe.enqueue("once")
    # When a worker runs everything waiting and exits
    worker = start_worker("--batch", "--no-scheduler")
    assert worker.wait(timeout=120) == 0, worker.stdout.read() if worker.stdout else ""
    # Then the job ran, once, and is marked successful
    assert _runs("once") == 1
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


def test_two_workers_never_run_the_same_job(start_worker: Any) -> None:
    markers = [f"m{i}" for i in range(60)]
    for marker in markers:
        probe.enqueue(marker, 0.1)
    first = start_worker("--batch", "--no-scheduler", "--worker-id", "first")
    second = start_worker("--batch", "--no-scheduler", "--worker-id", "second")
    assert first.wait(timeout=180) == 0
    assert second.wait(timeout=180) == 0
    assert {marker: _runs(marker) for marker in markers} == {marker: 1 for marker in markers}
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert {status for status, _ in results} == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for _, ids in results)
    # Both took part (so the test did exercise two workers at once).
    assert {ids[0] for _, ids in results} == {"first", "second"}


def test_a_worker_killed_mid_job_loses_nothing(start_worker: Any) -> None:
    # Given a worker in the middle of a slow job
    result = probe.enqueue("slow", 8)
    doomed = start_worker("--no-scheduler", "--worker-id", "doomed")
    assert wait_until(lambda: DBTaskResult.objects.get(id=result.id).status == "RUNNING")
    # When it is killed outright (no chance to clean up)
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=30)
    assert DBTaskResult.objects.get(id=result.id).status == "RUNNING"
    assert _runs("slow") == 0
    # Then another worker's reaper (timeout 3 s here) makes it ready and it runs to the end
    start_worker("--worker-id", "rescuer", "--schedule-every", "1")
    assert wait_until(
        lambda: DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL", timeout=120
    )
    assert _runs("slow") == 1
    assert DBTaskResult.objects.get(id=result.id).worker_ids == ["doomed", "rescuer"]


def test_workers_ticking_together_enqueue_each_periodic_run_once(
    start_worker: Any, organisation: Any
) -> None:
    # Given every periodic job due now
    past = timezone.now() - dt.timedelta(minutes=1)
    for name in ("daily-digest", "retention", "identity-request-expiry", "deadlines"):
        PeriodicJob.objects.create(name=name, next_run_at=past)
    # When three workers start at once (each ticks the schedule on start)
    workers = [start_worker("--worker-id", f"w{i}", "--schedule-every", "0.2") for i in range(3)]
    assert wait_until(
        lambda: PeriodicJob.objects.filter(next_run_at__gt=timezone.now()).count() == 4
    )
    time.sleep(3)  # several more ticks each
    assert all(w.poll() is None for w in workers)
    # Then each job was enqueued exactly once
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(paths) == [
        "whistledesk.notifications.tasks.daily_digest",
        "whistledesk.notifications.tasks.deadlines",
        "whistledesk.notifications.tasks.identity_requests_expire",
        "whistledesk.notifications.tasks.retention_daily",
    ]
    # ...and each ran to the end (digest, retention, identity-request expiry, deadlines)
    assert wait_until(
        lambda: set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    )

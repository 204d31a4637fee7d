"""`whistledesk worker`: run background jobs and the periodic schedule.

Delegates the job loop to django-tasks-db's `db_worker` (same options) and runs, beside
it, a scheduler thread that enqueues due periodic jobs and requeues jobs whose worker died
(notifications/scheduler.py). Start as many as you like, on as many machines as share the
database: each job runs once. Stop with SIGTERM: the current job finishes first.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from whistledesk.notifications.scheduler import reap_stalled, scheduler_tick

logger = logging.getLogger("whistledesk.worker")


def _scheduler_loop(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            scheduler_tick()
            reap_stalled()
        except Exception:  # the schedule must survive a database hiccup
            logger.exception("Scheduler tick failed; trying again")
        finally:
            connection.close()
        stop.wait(every)


class Command(BaseCommand):
    help = "Run background jobs (email, alerts, digests, retention) and the periodic schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--schedule-every", type=float, default=30.0, help="seconds between schedule checks"
        )
        parser.add_argument("--no-scheduler", action="store_true", help="run jobs only")
        parser.add_argument("--batch", action="store_true", help="run what is waiting, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None, help="unique per worker (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_scheduler"]:
            thread = threading.Thread(
                target=_scheduler_loop,
                args=(stop, options["schedule_every"]),
                name="scheduler",
                daemon=True,
            )
            thread.start()
        worker_options: dict[str, Any] = {
            "queue_name": "*",
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": False,
            "startup_delay": not options["batch"],
            "max_tasks": options["max_tasks"],
            "verbosity": options["verbosity"],
        }
        if options["worker_id"]:
            worker_options["worker_id"] = options["worker_id"]
        try:
            call_command("db_worker", **worker_options)
        finally:
            stop.set()

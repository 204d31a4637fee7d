"""One schedule for every periodic job, safe with many workers on many machines.

Each job has a PeriodicJob row holding when it is next due. A worker claims a run with a
conditional UPDATE (`WHERE name = ? AND next_run_at <= now`) that moves the time forward,
and enqueues the task in the same transaction: the database lets exactly one UPDATE match,
so a run is enqueued once, and never lost if the worker dies before committing.

The reaper puts back jobs whose worker died mid-run: django-tasks-db leaves such a job
RUNNING for ever (it has no heartbeat). After WHISTLEDESK_TASK_TIMEOUT_SECONDS it is made
READY again and another worker runs it; tasks are written to be safe to run again (an email
is claimed before it is sent, retention skips what is gone).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from whistledesk.mailintake.config import mailbox_configured, mailbox_poll_every
from whistledesk.mailintake.tasks import mailbox_poll
from whistledesk.notifications import tasks
from whistledesk.notifications.models import EmailStatus, OutboundEmail, PeriodicJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    enqueue: Callable[[], object]
    every: dt.timedelta | None = None  # either a fixed interval...
    daily_at: dt.time | None = None  # ...or a local time each day

    def next_after(self, now: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return now + self.every
        assert self.daily_at is not None
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        candidate = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if candidate <= local:
            candidate = (local + dt.timedelta(days=1)).replace(
                hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
            )
        return candidate


SCHEDULE: list[Job] = [
    Job("daily-digest", lambda: tasks.daily_digest.enqueue(), daily_at=dt.time(7, 0)),
    # Missed deadlines, reassurance chasers, case reminders (notifications.deadline_alerts).
    Job("deadlines", lambda: tasks.deadlines.enqueue(), every=dt.timedelta(minutes=30)),
    Job("retention", lambda: tasks.retention_daily.enqueue(), daily_at=dt.time(2, 30)),
    Job(
        "identity-request-expiry",
        lambda: tasks.identity_requests_expire.enqueue(),
        every=dt.timedelta(minutes=15),
    ),
]
if mailbox_configured():  # email intake (mailintake), only when the office names a mailbox
    SCHEDULE.append(Job("mailbox-poll", mailbox_poll.enqueue, every=mailbox_poll_every()))


def scheduler_tick(*, now: dt.datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Enqueue every job that is due; return the names this call enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs if jobs is not None else SCHEDULE:
        try:
            with transaction.atomic():
                PeriodicJob.objects.get_or_create(
                    name=job.name, defaults={"next_run_at": job.next_after(now)}
                )
        except IntegrityError:
            pass  # another worker created it at the same moment
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=job.next_after(now), last_enqueued_at=now
            )
            if claimed:
                job.enqueue()
                enqueued.append(job.name)
    return enqueued


def reap_stalled(*, now: dt.datetime | None = None) -> int:
    """Make jobs whose worker died mid-run ready again; release their emails' claims."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.WHISTLEDESK_TASK_TIMEOUT_SECONDS)
    with transaction.atomic():
        stalled = list(
            OutboundEmail.objects.filter(
                status=EmailStatus.SENDING, claimed_at__lt=cutoff
            ).values_list("pk", flat=True)
        )
        released = OutboundEmail.objects.filter(pk__in=stalled, status=EmailStatus.SENDING).update(
            status=EmailStatus.PENDING, claimed_at=None
        )
        # A fresh send task for each: the old one may have ended (failed) after claiming.
        # If it is also requeued below, the claim lets only one of the two send.
        for pk in stalled:
            tasks.email_send.enqueue(pk)
        requeued = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY)
    if requeued or released:
        logger.warning("Requeued %s stalled job(s), %s email(s)", requeued, released)
    return requeued

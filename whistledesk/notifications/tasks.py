"""Background tasks (django-tasks, run by `whistledesk worker`). Arguments are ids only:
the task table must never hold case content.

A task about a case works for the case's organisation; a periodic task runs for every
organisation in turn, each inside `tenancy.activate(org)` (ADR 0017)."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from whistledesk.notifications import alerts
from whistledesk.notifications.outbox import email_deliver

# Immediate-risk alerts go out before anything else waiting.
URGENT = 50


@task()
def email_send(email_id: int) -> str:
    retry_at = email_deliver(email_id=email_id)
    if retry_at is not None:
        email_send.using(run_after=retry_at).enqueue(email_id)
        return "retry"
    return "done"


@task(priority=URGENT)
def disclosure_received(disclosure_id: int) -> int:
    return alerts.alerts_disclosure_received(disclosure_id=disclosure_id)


@task()
def source_message_received(disclosure_id: int) -> int:
    return alerts.alerts_source_message(disclosure_id=disclosure_id)


@task()
def daily_digest() -> int:
    return alerts.digest_send()


@task()
def deadlines() -> dict[str, int]:
    from whistledesk.notifications.deadline_alerts import deadlines_run

    return deadlines_run()


@task()
def retention_daily() -> int:
    """Every organisation in turn, each with its own policies."""
    from whistledesk.organisation import tenancy
    from whistledesk.organisation.models import Organisation
    from whistledesk.retention.destruction import retention_apply

    destroyed = 0
    today = timezone.localdate()
    for organisation in Organisation.objects.order_by("id"):
        with tenancy.activate(organisation):
            run = retention_apply(actor="apply_retention", organisation=organisation, today=today)
        destroyed += len(run.destroyed)
    return destroyed


@task()
def identity_requests_expire() -> int:
    from whistledesk.identity.services import identity_requests_expire as expire

    return expire(actor="system")


@task()
def probe(marker: str, seconds: float = 0.0) -> str:
    """For operators and tests: proves a worker runs jobs (`whistledesk worker --probe`)."""
    import time

    from whistledesk.notifications.models import PeriodicJob

    time.sleep(seconds)
    # One row per run: a job run twice leaves two counts.
    job, _ = PeriodicJob.objects.get_or_create(
        name=f"probe:{marker}"[:50], defaults={"next_run_at": timezone.now()}
    )
    PeriodicJob.objects.filter(pk=job.pk).update(runs_enqueued=F("runs_enqueued") + 1)
    return marker

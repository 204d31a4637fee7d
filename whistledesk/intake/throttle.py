"""Rate limits for the public pages: per client, atomic, expiring, and storing no address.

Each limit counts uses per client in a window that starts at the client's first counted use
and ends when the page says ("Try again in N minutes" is read from the counter's expiry).
There is no global block: one client, or one proxy's worth of clients, must never close the
service to everyone else. Instead everyone's uses are counted too, and when they pass the
limit's alarm level an audit event tells staff once per window (docs/adr/0006).

A client is counted by a keyed digest of `core.client_address.client_key` (never the
address) under a key derived from the secret key in the environment, never written
anywhere. Counters live in one small table (intake.ThrottleCounter), shared by every worker
process: each use is a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING, atomic on
SQLite and PostgreSQL alike, and expired rows are deleted on every write. No cache backend
is involved, so the limits mean the same in every deployment.

With several organisations (ADR 0017) a client's counters are the installation's: a client
has the same number of tries however many organisations it tries them at (counting per
organisation would multiply a guesser's tries by the number of organisations). No
organisation's traffic can lock out another's whistleblowers, as nothing blocks everyone:
the "everyone" counts that raise the alarm are kept per organisation, so the alarm says
which organisation is busy.

For other views (the follow-up inbox, uploads): `throttle_hit(request, LIMIT)` before the
costly work, `throttle_refund(hit)` if the use should not count after all (a right receipt,
a submission that failed), `throttle_check` to ask without counting.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from whistledesk.audit.services import audit_record
from whistledesk.core.client_address import client_key
from whistledesk.core.crypto import client_digest
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.models import ThrottleCounter
from whistledesk.organisation.tenancy import request_organisation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """`per_client` uses in `window_seconds`; `alarm_at` uses by everyone raise an alarm.
    `uses` names them for staff, in the alarm ("500 disclosures sent within 60 minutes")."""

    scope: str
    per_client: int
    window_seconds: int
    alarm_at: int
    uses: str = "uses"


RECEIPT_FAILURES = Limit(
    "receipt", per_client=5, window_seconds=15 * 60, alarm_at=200, uses="wrong receipts"
)
SUBMISSIONS = Limit(
    "submit", per_client=10, window_seconds=60 * 60, alarm_at=500, uses="disclosures sent"
)
UPLOADS = Limit(
    "upload", per_client=60, window_seconds=60 * 60, alarm_at=2000, uses="files uploaded"
)
INBOX_MESSAGES = Limit(
    "message", per_client=20, window_seconds=60 * 60, alarm_at=500, uses="follow-up messages"
)

ALARM_ACTION = "throttle.alarm"


class Throttled(DomainError):
    def __init__(self, minutes: int) -> None:
        super().__init__(
            ngettext(
                "You have tried too many times. Try again in {count} minute.",
                "You have tried too many times. Try again in {count} minutes.",
                minutes,
            ).format(count=minutes)
        )
        self.minutes = minutes


@dataclass(frozen=True)
class Hit:
    """One counted use, to give back with `throttle_refund`."""

    key: str


def throttle_check(request: HttpRequest, limit: Limit) -> None:
    """Raise Throttled if this client has used up its window. Counts nothing."""
    now = timezone.now()
    expires_at = (
        ThrottleCounter.objects.filter(
            key=_client_key(request, limit), expires_at__gt=now, hits__gte=limit.per_client
        )
        .values_list("expires_at", flat=True)
        .first()
    )
    if expires_at is not None:
        raise Throttled(_minutes_until(expires_at, now))


def throttle_hit(request: HttpRequest, limit: Limit) -> Hit:
    """Count one use by this client (and by everyone); raise Throttled if it is one too many."""
    key = _client_key(request, limit)
    now = timezone.now()
    with transaction.atomic():
        # The client's row before the shared one, in every request: no lock-order deadlock.
        hits = _count(key, limit.window_seconds, now)
        org = request_organisation(request)
        everyone = _count(
            f"{limit.scope}:all:{org.pk if org is not None else 0}", limit.window_seconds, now
        )
        if everyone == limit.alarm_at:
            # Exactly once per window: each value of the atomic count is returned once.
            _raise_alarm(limit, org.slug if org is not None else "")
        _delete_expired(now)
    if hits > limit.per_client:
        expires_at = ThrottleCounter.objects.filter(key=key).values_list("expires_at", flat=True)
        raise Throttled(_minutes_until(expires_at.first() or now, now))
    return Hit(key=key)


def throttle_refund(hit: Hit | None) -> None:
    """Give back a counted use that should not count (None: nothing was counted)."""
    if hit is not None:
        ThrottleCounter.objects.filter(
            key=hit.key, hits__gt=0, expires_at__gt=timezone.now()
        ).update(hits=F("hits") - 1)


def failure_delay() -> None:
    """Slow every failed guess down, so guessing is slow even below the limits."""
    time.sleep(float(getattr(settings, "WHISTLEDESK_FAILURE_DELAY", 1.0)))


def _client_key(request: HttpRequest, limit: Limit) -> str:
    digest = client_digest(purpose=f"throttle:{limit.scope}", client=client_key(request))
    return f"{limit.scope}:{digest}"


def _delete_expired(now: dt.datetime) -> None:
    """Expired counters go, whoever they belong to: nothing outlives its window.

    Last in the transaction, and skipping rows another request holds (PostgreSQL's
    SKIP LOCKED), so it never waits while holding a lock: a clean-up that waited, or that
    ran first and held the rows it deleted, deadlocked with other requests' upserts. A
    skipped row is renewed by its own request's upsert or deleted by the next request.
    SQLite locks the whole database for the transaction instead.
    """
    expired = ThrottleCounter.objects.filter(expires_at__lte=now)
    unlocked = expired.select_for_update(skip_locked=True).values("pk")
    ThrottleCounter.objects.filter(pk__in=unlocked).delete()


def _count(key: str, window_seconds: int, now: dt.datetime) -> int:
    """Add one to a counter, or start it afresh if there is none or it has expired; the
    new count."""
    quote = connection.ops.quote_name
    table, k, hits, expires = (
        quote(name) for name in (ThrottleCounter._meta.db_table, "key", "hits", "expires_at")
    )
    # One statement: concurrent uses from every worker are each counted exactly once.
    sql = (
        f"INSERT INTO {table} ({k}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({k}) DO UPDATE SET "
        f"{hits} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{hits} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s "
        f"THEN excluded.{expires} ELSE {table}.{expires} END "
        f"RETURNING {hits}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    ends = now + dt.timedelta(seconds=window_seconds)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, adapt(ends), adapt(now), adapt(now)])
        row = cursor.fetchone()
    return int(row[0])


def _raise_alarm(limit: Limit, organisation: str) -> None:
    minutes = limit.window_seconds // 60
    # Never the client: only which limit, where, and how busy.
    logger.warning(
        "throttle alarm: %s uses of %s in %s min at %s",
        limit.alarm_at,
        limit.scope,
        minutes,
        organisation or "-",
    )
    audit_record(
        actor="public",
        action=ALARM_ACTION,
        object_type="throttle",
        object_id=limit.scope,
        details={
            "uses": limit.alarm_at,
            "what": limit.uses,
            "window_minutes": minutes,
            "organisation": organisation,
        },
    )


def _minutes_until(expires_at: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((expires_at - now).total_seconds() / 60))

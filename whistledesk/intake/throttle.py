"""Rate limits for the public pages that store no IP address.

A client is known only by an HMAC of its address under a random secret made each day and
kept only in the cache (never in the database, never in a log). Once the day's secret is
gone the counters cannot be linked back to an address, even by us. Each limit is a
per-client count plus a global count, in fixed windows.

The cache must be shared by every worker process for the per-client limits to be exact
(the default local-memory cache is per process: with N workers a client gets up to N times
the allowance, and the global limit is per worker). Configure CACHES for production.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from whistledesk.core.exceptions import DomainError


@dataclass(frozen=True)
class Limit:
    scope: str
    per_client: int
    global_: int
    window_seconds: int


RECEIPT_FAILURES = Limit("receipt", per_client=5, global_=200, window_seconds=15 * 60)
SUBMISSIONS = Limit("submit", per_client=10, global_=500, window_seconds=60 * 60)
UPLOADS = Limit("upload", per_client=60, global_=2000, window_seconds=60 * 60)


class Throttled(DomainError):
    def __init__(self, minutes: int) -> None:
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"You have tried too many times. Try again in {minutes} {unit}.")
        self.minutes = minutes


def _daily_secret() -> bytes:
    day = dt.datetime.now(dt.UTC).date().isoformat()
    key = f"wd-throttle-secret:{day}"
    # add() is atomic in shared caches: concurrent first requests agree on one secret.
    cache.add(key, secrets.token_bytes(32), timeout=2 * 24 * 3600)
    value = cache.get(key)
    return value if isinstance(value, bytes) else secrets.token_bytes(32)


def client_address(request: HttpRequest) -> str:
    """The address to key limits on. Behind a proxy, name its header in the settings."""
    header = getattr(settings, "WHISTLEDESK_CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            # The proxy appends the client it saw last; earlier entries are client-supplied.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_id(request: HttpRequest) -> str:
    digest = hmac.new(_daily_secret(), client_address(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _window(limit: Limit) -> tuple[int, int]:
    now = time.time()
    index = int(now // limit.window_seconds)
    remaining = (index + 1) * limit.window_seconds - now
    return index, max(1, math.ceil(remaining / 60))


def _keys(request: HttpRequest, limit: Limit) -> tuple[str, str]:
    index, _ = _window(limit)
    return (
        f"wd-throttle:{limit.scope}:{index}:c:{client_id(request)}",
        f"wd-throttle:{limit.scope}:{index}:g",
    )


def throttle_check(request: HttpRequest, limit: Limit) -> None:
    """Raise Throttled if this client, or everyone together, has used up the window."""
    client_key, global_key = _keys(request, limit)
    _, minutes = _window(limit)
    if cache.get(client_key, 0) >= limit.per_client or cache.get(global_key, 0) >= limit.global_:
        raise Throttled(minutes)


def throttle_hit(request: HttpRequest, limit: Limit) -> None:
    """Count one use (a failure, a submission) against this client and the global total."""
    for key in _keys(request, limit):
        cache.add(key, 0, timeout=limit.window_seconds + 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.window_seconds + 60)


def failure_delay() -> None:
    """Slow every failed guess down, so guessing is slow even below the limits."""
    time.sleep(float(getattr(settings, "WHISTLEDESK_FAILURE_DELAY", 1.0)))

"""Rate limits on the public pages, as an attacker would try them (docs/adr/0006).

One client must never deny service to another: wrong receipts and junk submissions are
counted per client, the real client behind a trusted proxy, never by a header an untrusted
peer wrote; a flood raises an alarm for staff instead of closing the form. Counters are
atomic and expire exactly when the page says, whatever cache the deployment configures.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.intake.conftest import submit, walk
from whistledesk.audit.models import AuditEvent
from whistledesk.intake.models import ThrottleCounter

pytestmark = pytest.mark.django_db

WRONG = "apple banana cherry date egg fig grape"
TOO_MANY = "You have tried too many times. Try again in"
A = "203.0.113.10"
B = "198.51.100.20"

# What production configured before (issue 9), and Django's default. Limits must not care.
LOCAL_MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "whistledesk_cache",
    }
}


def _receipt(client: Client, receipt: str) -> Any:
    return client.post("/follow-up/", {"receipt": receipt})


def test_wrong_receipts_from_one_client_never_refuse_another(organisation: Any) -> None:
    _, receipt = submit(Client(), organisation)
    guesser = Client(REMOTE_ADDR=A)
    # Given five wrong receipts from A, each refused as wrong
    for _ in range(5):
        assert _receipt(guesser, WRONG).status_code == 400
    # When A tries again, even with the right receipt, A must wait
    assert _receipt(guesser, WRONG).status_code == 429
    refused = _receipt(guesser, receipt)
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    # Then B, with the right receipt, gets in
    assert _receipt(Client(REMOTE_ADDR=B), receipt)["Location"] == "/follow-up/inbox/"


def test_right_receipts_do_not_count(organisation: Any) -> None:
    _, receipt = submit(Client(), organisation)
    person = Client(REMOTE_ADDR=A)
    # A whistleblower signing in over and over is never refused
    for _ in range(8):
        assert _receipt(person, receipt).status_code == 302
    for _ in range(5):
        assert _receipt(person, WRONG).status_code == 400


@pytest.mark.parametrize(
    ("header_setting", "meta_key"),
    [("X-Forwarded-For", "HTTP_X_FORWARDED_FOR"), ("X-Real-IP", "HTTP_X_REAL_IP")],
)
def test_behind_a_trusted_proxy_each_real_client_is_counted_apart(
    organisation: Any, settings: Any, header_setting: str, meta_key: str
) -> None:
    settings.WHISTLEDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.WHISTLEDESK_CLIENT_IP_HEADER = header_setting
    _, receipt = submit(Client(REMOTE_ADDR="127.0.0.1", **{meta_key: "192.0.2.1"}), organisation)
    # Given every visitor reaches us through the proxy on 127.0.0.1
    guesser = Client(REMOTE_ADDR="127.0.0.1", **{meta_key: A})
    for _ in range(5):
        assert _receipt(guesser, WRONG).status_code == 400
    assert _receipt(guesser, WRONG).status_code == 429
    # When A writes another address in front of the one the proxy adds, it is still A
    spoofed = Client(REMOTE_ADDR="127.0.0.1", **{meta_key: f"{B}, {A}"})
    assert _receipt(spoofed, receipt).status_code == 429
    # Then B, behind the same proxy, signs in
    other = Client(REMOTE_ADDR="127.0.0.1", **{meta_key: B})
    assert _receipt(other, receipt)["Location"] == "/follow-up/inbox/"


@pytest.mark.parametrize("trusted", [[], ["127.0.0.1"]])
def test_forwarded_header_from_an_untrusted_peer_is_ignored(
    organisation: Any, settings: Any, trusted: list[str]
) -> None:
    settings.WHISTLEDESK_TRUSTED_PROXIES = trusted
    peer = A if trusted else "127.0.0.1"
    # Given a client that connects directly and writes a new X-Forwarded-For each time
    for i in range(5):
        forged = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}")
        assert _receipt(forged, WRONG).status_code == 400
    # Then it is still one client, and is refused
    forged = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert _receipt(forged, WRONG).status_code == 429


def test_junk_submissions_from_one_client_leave_the_form_open_to_others(
    organisation: Any,
) -> None:
    flooder = Client(REMOTE_ADDR=A)
    # Given ten submissions from A in the hour, all accepted
    for _ in range(10):
        walk(flooder, organisation)
        assert flooder.post("/report/check/", {})["Location"] == "/report/sent/"
    # When A sends an eleventh, it is refused with the time to wait
    walk(flooder, organisation)
    refused = flooder.post("/report/check/", {})
    assert refused.status_code == 400
    assert f"{TOO_MANY} 60 minutes" in refused.content.decode()
    # Then B can still make a disclosure
    reference, receipt = submit(Client(REMOTE_ADDR=B), organisation)
    assert reference.startswith("WD-") and receipt


def test_a_flood_raises_one_alarm_for_staff_and_closes_nothing(
    organisation: Any, monkeypatch: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.intake import throttle, views_inbox

    _, receipt = submit(Client(), organisation)
    # Given an alarm level of 3 wrong receipts by everyone in the window
    low = throttle.Limit(
        "receipt", per_client=5, window_seconds=15 * 60, alarm_at=3, uses="wrong receipts"
    )
    monkeypatch.setattr(views_inbox, "RECEIPT_FAILURES", low)
    # When six different clients each send a wrong receipt
    for i in range(6):
        assert _receipt(Client(REMOTE_ADDR=f"192.0.2.{i + 1}"), WRONG).status_code == 400
    # Then staff have exactly one alarm on the audit log, naming no client
    alarms = list(AuditEvent.objects.filter(action="throttle.alarm"))
    assert [(a.object_id, a.details) for a in alarms] == [
        (
            "receipt",
            {
                "uses": 3,
                "what": "wrong receipts",
                "window_minutes": 15,
                "organisation": organisation.slug,
            },
        )
    ]
    auditor = Client()
    auditor.force_login(make_staff(username="audrey", roles=[Role.AUDITOR]))
    log = auditor.get("/staff/audit/").content.decode()
    assert "throttle.alarm" in log
    assert "192.0.2." not in log
    # and every caseworker sees it on the dashboard
    caseworker = Client()
    caseworker.force_login(make_staff(username="cal", roles=[Role.CASEWORKER]))
    dashboard = caseworker.get("/staff/").content.decode()
    assert "The public service has been unusually busy" in dashboard
    assert "3 wrong receipts within 15 minutes" in dashboard
    # and nobody is refused: the right receipt from a seventh client works
    assert _receipt(Client(REMOTE_ADDR="192.0.2.7"), receipt).status_code == 302


def _expire_client_counters_at(when: dt.datetime) -> None:
    # The clock, moved through the column the limit reads: the real table, no mocks.
    ThrottleCounter.objects.filter(key__startswith="receipt:").exclude(key__startswith="receipt:all:").update(
        expires_at=when
    )


@pytest.mark.parametrize("caches", [LOCAL_MEMORY_CACHE, DATABASE_CACHE], ids=["locmem", "db"])
def test_counter_expires_when_the_page_says_whatever_the_cache(
    organisation: Any, settings: Any, caches: dict[str, Any]
) -> None:
    settings.CACHES = caches
    call_command("createcachetable", "whistledesk_cache", verbosity=0)
    _, receipt = submit(Client(), organisation)
    assert _receipt(Client(REMOTE_ADDR=B), WRONG).status_code == 400
    guesser = Client(REMOTE_ADDR=A)
    for _ in range(5):
        _receipt(guesser, WRONG)
    # Given A was refused and told the whole window
    first = _receipt(guesser, receipt)
    assert first.status_code == 429
    assert f"{TOO_MANY} 15 minutes" in first.content.decode()
    # When 61 seconds of it remain, the page says 2 minutes, and still refuses
    _expire_client_counters_at(timezone.now() + dt.timedelta(seconds=61))
    later = _receipt(guesser, receipt)
    assert later.status_code == 429
    assert f"{TOO_MANY} 2 minutes" in later.content.decode()
    # Then once that moment has passed, A gets in with the right receipt
    _expire_client_counters_at(timezone.now() - dt.timedelta(seconds=1))
    assert _receipt(guesser, receipt).status_code == 302
    # and A's count starts again from nothing: five more wrong receipts are only wrong
    for _ in range(5):
        assert _receipt(Client(REMOTE_ADDR=A), WRONG).status_code == 400
    # B's counter expired too and nobody from B came back: it is gone all the same
    assert ThrottleCounter.objects.filter(key__startswith="receipt:").count() == 2  # A, all
    assert not ThrottleCounter.objects.filter(expires_at__lte=timezone.now()).exists()
    # and nothing was kept in the cache table
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM whistledesk_cache")
        assert cursor.fetchone()[0] == 0


def test_inbox_messages_are_throttled_per_client(organisation: Any, settings: Any) -> None:
    # The per-case caps (tests/intake/test_inbox_caps.py) are raised out of the way here.
    settings.WHISTLEDESK_INBOX_MESSAGES_PER_HOUR = 100
    settings.WHISTLEDESK_INBOX_MESSAGES_PER_DAY = 100
    _, receipt = submit(Client(), organisation)
    source = Client(REMOTE_ADDR=A)
    assert _receipt(source, receipt).status_code == 302
    # Given twenty messages in the hour, all sent
    for i in range(20):
        assert source.post("/follow-up/inbox/", {"text": f"More detail {i}"}).status_code == 302
    # When the same client sends a twenty-first, it is refused with the time to wait
    refused = source.post("/follow-up/inbox/", {"text": "One more"})
    assert refused.status_code == 429
    assert f"{TOO_MANY} 60 minutes" in refused.content.decode()
    assert "One more" in refused.content.decode()  # what they typed is kept on the page


@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_are_each_counted_once() -> None:
    from django.db import connections

    from whistledesk.intake.throttle import Limit, throttle_hit

    limit = Limit("bench", per_client=10_000, window_seconds=600, alarm_at=60)
    request = RequestFactory().post("/", REMOTE_ADDR=A)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(25):
                throttle_hit(request, limit)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    # Given four threads (four database connections) counting 25 uses each at once
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then every use was counted, once, and the alarm fired exactly once
    assert errors == []
    counts = dict(ThrottleCounter.objects.values_list("key", "hits"))
    # (a request for no organisation: its everyone-count is organisation 0's)
    assert counts.pop("bench:all:0") == 100
    assert list(counts.values()) == [100]
    assert AuditEvent.objects.filter(action="throttle.alarm", object_id="bench").count() == 1


@pytest.mark.django_db(transaction=True)
def test_counters_expiring_under_concurrent_use_never_fail_a_request() -> None:
    from django.db import connections

    from whistledesk.intake.throttle import Limit, Throttled, throttle_hit

    # A one-second window: counters expire and are deleted all the time, while six workers
    # count uses by twenty clients. (A clean-up before the upserts, or one that waited on
    # rows another request held, deadlocked here on PostgreSQL: 1-4 failed uses in 1,800.)
    limit = Limit("churn", per_client=1_000_000, window_seconds=1, alarm_at=1_000_000)
    errors: list[str] = []

    def worker(w: int) -> None:
        try:
            for i in range(300):
                request = RequestFactory().post("/", REMOTE_ADDR=f"10.0.0.{(7 * i + w) % 20}")
                try:
                    throttle_hit(request, limit)
                except Throttled:
                    errors.append("throttled")
                except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                    errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

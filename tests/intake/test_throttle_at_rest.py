"""A stolen database cannot name the address a whistleblower came from (docs/adr/0006).

Submissions, wrong receipts and a wrong staff sign-in come from one known address; the
SQLite files, or a pg_dump, are then searched for the address in every form we could think
of, and for its keyed digest under every secret-looking value the dump holds: a secret kept
beside the digests (as the database cache once did) would let a thief test every IPv4
address in hours. Production's former database cache is configured so its table is dumped.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.at_rest import database_bytes
from tests.intake.conftest import submit
from whistledesk.core.crypto import client_digest
from whistledesk.intake.models import ThrottleCounter

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "203.0.113.77"
WRONG = "apple banana cherry date egg fig grape"


def _address_forms() -> list[bytes]:
    packed = ipaddress.ip_address(ADDRESS).packed
    texts = [ADDRESS, f"::ffff:{ADDRESS}", packed.hex(), "fd" + packed.hex()]
    return (
        [t.encode() for t in texts]
        + [t.encode("utf-16-le") for t in texts]
        + [packed, base64.b64encode(packed)]
    )


def _secret_candidates(raw: bytes) -> Iterator[bytes]:
    """Every value in the dump that could be a key: tokens as text, and decoded from hex or
    base64 (a pickled cache value), with every 32-byte run of each short decoded value;
    and no key at all."""
    yield b""
    for match in re.finditer(rb"[A-Za-z0-9+/=_\-]{16,}", raw):
        token = match.group()
        yield token
        padded = token + b"=" * (-len(token) % 4)
        decoded: list[bytes] = []
        for decode, text in (
            (binascii.unhexlify, token),
            (base64.b64decode, padded),
            (base64.urlsafe_b64decode, padded),
        ):
            with contextlib.suppress(binascii.Error, ValueError):
                decoded.append(decode(text))
        for blob in decoded:
            yield blob
            if len(blob) <= 512:
                for i in range(max(0, len(blob) - 31)):
                    yield blob[i : i + 32]


def _digests_under(secret: bytes) -> list[bytes]:
    """The address keyed by `secret` as the old daily-secret throttle did, and as ours does
    when `secret` is taken for the secret key."""
    plain = hmac.new(secret, ADDRESS.encode(), hashlib.sha256).hexdigest()
    derived = hmac.new(secret, b"whistledesk client digest v1", "sha256").digest()
    ours = [
        hmac.new(derived, f"throttle:{scope}\0{ADDRESS}".encode(), "sha256").hexdigest()
        for scope in ("receipt", "submit")
    ]
    return [d[:32].encode() for d in [plain, *ours]]


def test_a_dump_holds_no_way_back_to_the_address(
    organisation: Any, make_staff: Any, settings: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "whistledesk_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    # Given a disclosure, wrong receipts and a wrong staff password from one address
    person = Client(REMOTE_ADDR=ADDRESS)
    submit(person, organisation)
    for _ in range(3):
        person.post("/follow-up/", {"receipt": WRONG})
    make_staff(username="casey")
    person.post("/staff/account/sign-in/", {"username": "casey", "password": "wrong"})
    raw = database_bytes()

    # The search works: the counter's digest, made with the secret only the server holds,
    # is in the dump (so the limits were really stored there)
    ours = client_digest(purpose="throttle:receipt", client=ADDRESS).encode()
    assert ours in raw
    assert ThrottleCounter.objects.exists()
    # Then the address is nowhere, in any form
    for form in _address_forms():
        assert form not in raw, form
    # nor the secret the digests are keyed by
    secret_key = settings.SECRET_KEY.encode()
    for form in (secret_key, secret_key.hex().encode(), base64.b64encode(secret_key)):
        assert form not in raw
    # nor an unkeyed hash of it, which anyone could compute for all of IPv4
    for name in ("sha256", "sha1", "md5", "blake2b"):
        for text in (ADDRESS, f"throttle:receipt\0{ADDRESS}"):
            assert hashlib.new(name, text.encode()).hexdigest()[:32].encode() not in raw
    # and no value in the dump, taken as the key, gives the address's digest
    tried = 0
    for candidate in _secret_candidates(raw):
        tried += 1
        for digest in _digests_under(candidate):
            assert digest not in raw, candidate[:8]
    assert tried > 1000  # the dump was really searched

"""Known answers for the stored crypto formats: receipt lookups and wrapped-key headers.

A stored receipt lookup must be found again after every upgrade, and a wrapped key must
open after every change of default cost, so both formats are pinned here with expected
values typed out (computed once, by hand-checked inputs), never derived from the code.
"""

from __future__ import annotations

from typing import Any

import nacl.pwhash
import pytest

from whistledesk.core import crypto

RECEIPT = "abacus abdomen abide ability ablaze able abnormal"
PEPPER = "known-answer-pepper"
# HMAC-SHA256(pepper, receipt) through Argon2id (ops 3, 64 MiB), salt BLAKE2b of the pepper.
RECEIPT_LOOKUP = "430a1ed3b06f76a985e88cac98cda9d3518e63f0e85185243ee16c8395bfa061"

PRIVATE_KEY = bytes(range(32))
SALT = bytes(range(16))
SECRET = "correct horse battery staple"
# version 1 | opslimit (4 bytes, big-endian) | memlimit (8 bytes, big-endian)
HEADER_PRODUCTION = bytes.fromhex("01" "00000003" "0000000004000000")  # ops 3, 64 MiB
HEADER_MINIMUM = bytes.fromhex("01" "00000001" "0000000000002000")  # ops 1, 8 KiB
# A key wrapped once at the minimum cost: the header, a 24-byte nonce, then the secret box.
WRAPPED_AT_MINIMUM = bytes.fromhex(
    "01000000010000000000002000156387b129d4232ed4e9afae14c8542cddbe214402f4067f8233cb147c"
    "92d68c6d6b8ed686f16e969a06c1d1b8469802a56629c85c2241b6a8cddeef3daf36adce2e0b30ef2f05da"
)


def test_receipt_lookup_of_a_fixed_receipt_and_pepper(settings: Any) -> None:
    settings.WHISTLEDESK_KDF_FAST_FOR_TESTS = False  # the production cost, fixed for ever
    settings.WHISTLEDESK_RECEIPT_PEPPER = PEPPER
    assert crypto.receipt_lookup(RECEIPT) == RECEIPT_LOOKUP
    # The way people type it back (capitals, hyphens) finds the same row.
    assert crypto.receipt_lookup("Abacus-Abdomen-Abide-Ability-Ablaze-Able-Abnormal") == (
        RECEIPT_LOOKUP
    )


def test_wrapped_key_header_at_production_cost(settings: Any) -> None:
    settings.WHISTLEDESK_KDF_FAST_FOR_TESTS = False
    wrapped = crypto.wrap_private_key(PRIVATE_KEY, SECRET, SALT)
    assert wrapped[:13] == HEADER_PRODUCTION
    # 24-byte nonce + 16-byte tag + the 32-byte key follow the header.
    assert len(wrapped) == 13 + 24 + 16 + 32


def test_wrapped_key_header_at_test_cost() -> None:
    assert crypto.wrap_private_key(PRIVATE_KEY, SECRET, SALT)[:13] == HEADER_MINIMUM


def test_a_key_wrapped_in_the_pinned_format_still_opens() -> None:
    assert crypto.unwrap_private_key(WRAPPED_AT_MINIMUM, SECRET, SALT) == PRIVATE_KEY
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_private_key(WRAPPED_AT_MINIMUM, SECRET + "!", SALT)


def _count_kdf(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count Argon2id runs (the real function still runs: a spy, not a stand-in)."""
    calls: list[int] = []
    real = nacl.pwhash.argon2id.kdf

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nacl.pwhash.argon2id, "kdf", counting)
    return calls


def test_receipt_lookup_refuses_an_overlong_receipt_before_hashing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_kdf(monkeypatch)
    # A real receipt padded past the cap: normalising would cut the padding away, so only
    # the length check can refuse it, and it must do so before any Argon2id work.
    with pytest.raises(crypto.SecretTooLong):
        crypto.receipt_lookup(RECEIPT + "-" * crypto.MAX_SECRET_CHARS)
    assert calls == []
    crypto.receipt_lookup(RECEIPT)
    assert calls == [1]

"""The crypto module: round trips, wrong keys and tampering fail, receipts are strong."""

from __future__ import annotations

import math

import pytest

from whistledesk.core import crypto


def test_sealed_box_round_trip_and_wrong_key() -> None:
    public, private = crypto.generate_keypair()
    _, other_private = crypto.generate_keypair()
    sealed = crypto.seal_to(public, b"data key")
    assert sealed != b"data key"
    assert crypto.unseal(private, sealed) == b"data key"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(other_private, sealed)


def test_tampered_ciphertext_is_refused() -> None:
    key = crypto.new_secret_key()
    token = bytearray(crypto.encrypt_text(key, "what happened"))
    token[-1] ^= 1
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt_text(key, bytes(token))
    public, private = crypto.generate_keypair()
    sealed = bytearray(crypto.seal_to(public, b"k"))
    sealed[40] ^= 1
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(private, bytes(sealed))


def test_wrapped_private_key_opens_only_with_its_secret() -> None:
    public, private = crypto.generate_keypair()
    salt = crypto.new_salt()
    wrapped = crypto.wrap_private_key(private, "correct horse battery", salt)
    assert private not in wrapped
    assert crypto.unwrap_private_key(wrapped, "correct horse battery", salt) == private
    assert crypto.public_key_of(private) == public
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_private_key(wrapped, "wrong horse battery", salt)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_private_key(wrapped, "correct horse battery", crypto.new_salt())


def test_derive_key_refuses_overlong_secret_before_hashing() -> None:
    with pytest.raises(crypto.SecretTooLong):
        crypto.derive_key("x" * (crypto.MAX_SECRET_CHARS + 1), crypto.new_salt())
    assert len(crypto.derive_key("x" * crypto.MAX_SECRET_CHARS, crypto.new_salt())) == 32


def test_receipt_has_at_least_80_bits_of_entropy() -> None:
    words = crypto.receipt_words()
    assert len(set(words)) == len(words) > 7000
    assert crypto.RECEIPT_WORD_COUNT * math.log2(len(words)) >= 80
    assert crypto.receipt_entropy_bits() >= 80
    receipt = crypto.new_receipt()
    assert len(receipt.split(" ")) == crypto.RECEIPT_WORD_COUNT
    assert all(w in words for w in receipt.split(" "))
    assert len({crypto.new_receipt() for _ in range(50)}) == 50


def test_receipt_normalisation_accepts_how_people_write_it_down() -> None:
    receipt = crypto.new_receipt()
    scrawled = "  " + receipt.upper().replace(" ", " - ") + ".\n"
    assert crypto.normalise_receipt(scrawled) == receipt
    assert crypto.receipt_is_well_formed(scrawled)
    assert not crypto.receipt_is_well_formed(receipt + " abacus")
    assert not crypto.receipt_is_well_formed("notaword " * 7)


def test_receipt_lookup_is_deterministic_peppered_and_not_the_receipt(settings) -> None:
    receipt = crypto.new_receipt()
    lookup = crypto.receipt_lookup(receipt)
    assert lookup == crypto.receipt_lookup(receipt.upper().replace(" ", "-"))
    assert lookup != crypto.receipt_lookup(crypto.new_receipt())
    assert receipt not in lookup and receipt.replace(" ", "") not in lookup
    settings.WHISTLEDESK_RECEIPT_PEPPER = "another-pepper"
    assert crypto.receipt_lookup(receipt) != lookup


def test_receipt_lookup_without_pepper_refuses(settings) -> None:
    settings.WHISTLEDESK_RECEIPT_PEPPER = ""
    with pytest.raises(RuntimeError):
        crypto.receipt_lookup(crypto.new_receipt())


def test_production_cost_is_real_argon2id(settings) -> None:
    # Given the production cost (not the test suite's), a wrapped key records it.
    settings.WHISTLEDESK_KDF_FAST_FOR_TESTS = False
    _, private = crypto.generate_keypair()
    salt = crypto.new_salt()
    wrapped = crypto.wrap_private_key(private, "pw", salt)
    settings.WHISTLEDESK_KDF_FAST_FOR_TESTS = True
    # Then it still unwraps under a different default cost, because the header says how.
    assert crypto.unwrap_private_key(wrapped, "pw", salt) == private
    assert wrapped[1:5] == crypto.KDF_OPSLIMIT.to_bytes(4, "big")

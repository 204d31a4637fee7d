"""The receipt is refused on its length before any key derivation (SecureDrop's habit)."""

from __future__ import annotations

from typing import Any

import nacl.pwhash
import pytest

from tests.intake.conftest import submit
from whistledesk.casefiles.services import ReceiptRejected, source_authenticate
from whistledesk.core import crypto

pytestmark = pytest.mark.django_db


def test_padded_receipt_is_refused_without_hashing(
    client: Any, organisation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a disclosure and its real receipt
    _, receipt = submit(client, organisation)
    calls: list[int] = []
    real = nacl.pwhash.argon2id.kdf

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nacl.pwhash.argon2id, "kdf", counting)
    # When it is presented padded past the cap with separators (which normalising drops)
    padded = receipt + "-" * (crypto.MAX_SECRET_CHARS + 1)
    # Then it is refused, and no Argon2id derivation ran
    with pytest.raises(ReceiptRejected):
        source_authenticate(receipt=padded)
    assert calls == []
    # while the receipt itself still opens the account (two derivations: lookup and key)
    source_authenticate(receipt=receipt)
    assert len(calls) == 2


def test_overlong_receipt_on_the_page_gets_a_clear_message(client: Any) -> None:
    response = client.post("/follow-up/", {"receipt": "word " * 300})
    assert response.status_code == 400
    assert "Enter your receipt exactly as it was shown to you" in response.content.decode()

"""Files attached to a form that has not been sent yet.

They are too large for the session, so each is kept here encrypted with a random key that
lives only in the person's session vault (itself keyed by their browser cookie). Without
that cookie a row is noise. Rows are deleted on submission, on "remove", and when stale.
"""

from __future__ import annotations

import uuid

from django.db import models


class DraftFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The organisation the draft was started in: its files are sent to no other.
    organisation = models.ForeignKey(
        "organisation.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Nonce + XSalsa20-Poly1305 ciphertext of the (metadata-cleaned) file. Name and type are
    # kept in the vault, not here.
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"draft file {self.id}"


class SentDraft(models.Model):
    """A draft that has been sent: a second "Send" of it (a double-click, a second tab, a
    request that read the session before the first one wrote it back) makes no second
    disclosure.

    Keyed by a digest of a random token that lives only in the draft. Until the receipt
    page has been shown, `sealed` holds the reference and receipt encrypted with the
    draft's key (also only in the person's vault), so the second request can show the same
    receipt; the receipt page blanks it, and rows go after a day.
    """

    token_digest = models.CharField(max_length=64, unique=True)
    # The organisation the draft was sent to: a second send elsewhere finds nothing.
    organisation = models.ForeignKey(
        "organisation.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sealed = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"sent draft {self.pk}"


class ThrottleCounter(models.Model):
    """One rate-limit counter (intake.throttle): how many times a client, or everyone
    together, did something since the counter's window started, until `expires_at`.

    `key` is the limit's scope and a keyed digest of the client (never its address), or the
    scope and "all". The digest's key is derived from the secret key in the environment and
    never written anywhere, so a dump of this table cannot be matched to an address; rows
    are deleted once expired (docs/adr/0006).
    """

    key = models.CharField(max_length=64, primary_key=True)
    hits = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"throttle counter {self.key.split(':', 1)[0]}"

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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Nonce + XSalsa20-Poly1305 ciphertext of the (metadata-cleaned) file. Name and type are
    # kept in the vault, not here.
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"draft file {self.id}"

"""Disclosure references: short, unguessable, easy to read aloud; no count or date inside."""

from __future__ import annotations

import secrets

# Crockford's base32 without I, L, O, U: no letters mistaken for digits on the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "WD") -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"

"""The one cryptography module. Everything that encrypts, seals, derives or compares secrets
calls an intent-named function here; nothing else imports nacl or argon2.

Built on libsodium through PyNaCl: XSalsa20-Poly1305 secret boxes for data, Curve25519
sealed boxes for wrapping keys to a recipient's public key, Argon2id for deriving keys
from passwords and receipts. See docs/adr/0002-encryption-at-rest.md.
"""

from __future__ import annotations

import hmac

import nacl.exceptions
import nacl.secret
import nacl.utils

SECRET_KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE  # 32


class DecryptionFailed(Exception):
    """Ciphertext was altered, or the key is wrong. Never says which, never includes data."""


def new_secret_key() -> bytes:
    """A random 256-bit symmetric key from the OS CSPRNG."""
    return nacl.utils.random(SECRET_KEY_BYTES)


def secret_encrypt(key: bytes, plaintext: bytes) -> bytes:
    """Authenticated encryption with a random nonce (stored in front of the ciphertext)."""
    return bytes(nacl.secret.SecretBox(key).encrypt(plaintext))


def secret_decrypt(key: bytes, token: bytes) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(token))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise DecryptionFailed("could not decrypt") from exc


def constant_time_equal(a: bytes | str, b: bytes | str) -> bool:
    if isinstance(a, str):
        a = a.encode()
    if isinstance(b, str):
        b = b.encode()
    return hmac.compare_digest(a, b)

"""The one cryptography module. Everything that encrypts, seals, derives or compares secrets
calls an intent-named function here; nothing else imports nacl or argon2.

Built on libsodium through PyNaCl: XSalsa20-Poly1305 secret boxes for data, Curve25519
sealed boxes for wrapping keys to a recipient's public key, Argon2id for deriving keys
from passwords and receipts. See docs/adr/0002-encryption-at-rest.md.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import struct
import unicodedata
from importlib import resources

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings

SECRET_KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE  # 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES  # 16
# Anything that reaches Argon2id is capped first: a megabyte "password" must not cost us a
# megabyte of hashing, and a cap is a cheap, early refusal.
MAX_SECRET_CHARS = 1024

# Argon2id cost. libsodium's "moderate" operations with its "interactive" memory: about a
# quarter of a second and 64 MiB per derivation on our 2-core machines. 256 MiB ("moderate"
# memory) per sign-in would let a handful of simultaneous sign-ins exhaust memory. The
# parameters are written beside every wrapped key, so raising them later re-wraps lazily
# and never strands an old key.
KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
# The test suite's cost (settings.WHISTLEDESK_KDF_FAST_FOR_TESTS): the libsodium minimum.
_FAST_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
_FAST_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN

# The receipt lookup is a unique column, so its cost can never change once data exists.
RECEIPT_LOOKUP_OPSLIMIT = 3
RECEIPT_LOOKUP_MEMLIMIT = 64 * 1024 * 1024

_WRAP_VERSION = 1
_WRAP_HEADER = struct.Struct(">BIQ")  # version, opslimit, memlimit


class DecryptionFailed(Exception):
    """Ciphertext was altered, or the key is wrong. Never says which, never includes data."""


class SecretTooLong(ValueError):
    """A password or receipt longer than MAX_SECRET_CHARS: refused before any hashing."""


# -- symmetric data encryption ------------------------------------------------------------


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


def encrypt_text(key: bytes, text: str) -> bytes:
    return secret_encrypt(key, text.encode("utf-8"))


def decrypt_text(key: bytes, token: bytes) -> str:
    return secret_decrypt(key, token).decode("utf-8")


def conversation_key(data_key: bytes) -> bytes:
    """The key for a case's messages, derived one way from its data key.

    The whistleblower is given only this, so their receipt (with a stolen database) opens
    the conversation but not the staff's documents on the case.
    """
    return bytes(
        nacl.hash.blake2b(
            b"",
            key=data_key,
            person=b"wd-conversation",
            digest_size=SECRET_KEY_BYTES,
            encoder=nacl.encoding.RawEncoder,
        )
    )


def notes_key(data_key: bytes) -> bytes:
    """The key for a case's casework notes (referral summaries, reasons...), one way from
    its data key: a separate purpose gets a separate key, never the data key itself."""
    return bytes(
        nacl.hash.blake2b(
            b"",
            key=data_key,
            person=b"wd-notes",
            digest_size=SECRET_KEY_BYTES,
            encoder=nacl.encoding.RawEncoder,
        )
    )


# -- key pairs and sealed boxes -----------------------------------------------------------


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Curve25519 key pair: (public, private), 32 bytes each."""
    private = nacl.public.PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_key_of(private_key: bytes) -> bytes:
    try:
        return bytes(nacl.public.PrivateKey(private_key).public_key)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise DecryptionFailed("not a private key") from exc


def seal_to(public_key: bytes, data: bytes) -> bytes:
    """Encrypt `data` so that only the holder of the matching private key can read it."""
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(data))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        box = nacl.public.SealedBox(nacl.public.PrivateKey(private_key))
        return bytes(box.decrypt(sealed))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise DecryptionFailed("could not unseal") from exc


def key_fingerprint(public_key: bytes) -> str:
    """A short, non-secret label for a public key, for operators to compare by eye."""
    digest = hashlib.blake2b(public_key, digest_size=10).hexdigest()
    return "-".join(digest[i : i + 4] for i in range(0, len(digest), 4))


# -- key derivation -----------------------------------------------------------------------


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def _kdf_cost() -> tuple[int, int]:
    if getattr(settings, "WHISTLEDESK_KDF_FAST_FOR_TESTS", False):
        return _FAST_OPSLIMIT, _FAST_MEMLIMIT
    return KDF_OPSLIMIT, KDF_MEMLIMIT


def _check_length(secret: str | bytes) -> None:
    if len(secret) > MAX_SECRET_CHARS:
        raise SecretTooLong("secret too long")


def derive_key(
    secret: str | bytes,
    salt: bytes,
    *,
    opslimit: int | None = None,
    memlimit: int | None = None,
) -> bytes:
    """A 32-byte key from a password or receipt with Argon2id. Refuses over-long input."""
    _check_length(secret)
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    default_ops, default_mem = _kdf_cost()
    return bytes(
        nacl.pwhash.argon2id.kdf(
            SECRET_KEY_BYTES,
            secret,
            salt,
            opslimit=opslimit or default_ops,
            memlimit=memlimit or default_mem,
        )
    )


def wrap_private_key(private_key: bytes, secret: str, salt: bytes) -> bytes:
    """Encrypt a private key under a key derived from `secret` (a password or receipt).

    The Argon2id cost goes in a small header so the key can be unwrapped after the
    defaults change.
    """
    ops, mem = _kdf_cost()
    key = derive_key(secret, salt, opslimit=ops, memlimit=mem)
    return _WRAP_HEADER.pack(_WRAP_VERSION, ops, mem) + secret_encrypt(key, private_key)


def unwrap_private_key(wrapped: bytes, secret: str, salt: bytes) -> bytes:
    """The private key, or DecryptionFailed when the secret is wrong or the data altered."""
    wrapped = bytes(wrapped)
    if len(wrapped) <= _WRAP_HEADER.size:
        raise DecryptionFailed("could not unwrap")
    version, ops, mem = _WRAP_HEADER.unpack_from(wrapped)
    if version != _WRAP_VERSION:
        raise DecryptionFailed("could not unwrap")
    try:
        key = derive_key(secret, salt, opslimit=ops, memlimit=mem)
    except (nacl.exceptions.CryptoError, ValueError) as exc:  # absurd costs in the header
        raise DecryptionFailed("could not unwrap") from exc
    return secret_decrypt(key, wrapped[_WRAP_HEADER.size :])


# -- receipts -----------------------------------------------------------------------------

RECEIPT_WORD_COUNT = 7


@functools.cache
def receipt_words() -> tuple[str, ...]:
    """The EFF large word list (as shipped by xkcdpass), letters-only words.

    The four hyphenated words (e.g. "t-shirt") are dropped so that hyphens and spaces can
    both be accepted as separators when a person types their receipt back.
    """
    text = resources.files("xkcdpass").joinpath("static/eff-long").read_text("utf-8")
    words = sorted({w.strip() for w in text.split() if w.strip().isalpha()})
    if len(words) < 7000:  # a packaging change must not silently weaken receipts
        raise RuntimeError("receipt word list is incomplete")
    return tuple(words)


@functools.cache
def _receipt_word_set() -> frozenset[str]:
    return frozenset(receipt_words())


def receipt_entropy_bits() -> float:
    import math

    return RECEIPT_WORD_COUNT * math.log2(len(receipt_words()))


def new_receipt() -> str:
    """A receipt of seven random words, about 90 bits: easy to write down, not guessable."""
    words = receipt_words()
    return " ".join(secrets.choice(words) for _ in range(RECEIPT_WORD_COUNT))


def normalise_receipt(receipt: str) -> str:
    """Lower case, any run of spaces, hyphens, dots or commas becomes one space."""
    folded = unicodedata.normalize("NFKC", receipt[: MAX_SECRET_CHARS + 1]).casefold()
    cleaned = "".join(ch if ch.isalpha() else " " for ch in folded)
    return " ".join(cleaned.split())


def receipt_is_well_formed(receipt: str) -> bool:
    """Cheap shape check before any Argon2id work: right number of known words."""
    words = normalise_receipt(receipt).split(" ")
    known = _receipt_word_set()
    return len(words) == RECEIPT_WORD_COUNT and all(w in known for w in words)


def _receipt_pepper() -> bytes:
    pepper = getattr(settings, "WHISTLEDESK_RECEIPT_PEPPER", "")
    if not pepper:
        raise RuntimeError("WHISTLEDESK_RECEIPT_PEPPER is not configured")
    return pepper.encode("utf-8")


def receipt_lookup(receipt: str) -> str:
    """The value stored to find a receipt's account: HMAC with the pepper, then Argon2id.

    Deterministic, so it can be a unique column. Without the pepper (kept out of the
    database) a stolen table cannot be searched even for a guessed receipt; with it, each
    guess still costs an Argon2id derivation.
    """
    _check_length(receipt)
    pepper = _receipt_pepper()
    mac = hmac.new(pepper, normalise_receipt(receipt).encode("utf-8"), hashlib.sha256).digest()
    salt = hashlib.blake2b(pepper, digest_size=SALT_BYTES, person=b"wd-receipt-salt").digest()
    ops, mem = _kdf_cost()
    if not getattr(settings, "WHISTLEDESK_KDF_FAST_FOR_TESTS", False):
        # Fixed for ever, unlike KDF_*: a stored lookup must be found again after upgrades.
        ops, mem = RECEIPT_LOOKUP_OPSLIMIT, RECEIPT_LOOKUP_MEMLIMIT
    return derive_key(mac, salt, opslimit=ops, memlimit=mem).hex()


# -- comparisons --------------------------------------------------------------------------


def constant_time_equal(a: bytes | str, b: bytes | str) -> bool:
    if isinstance(a, str):
        a = a.encode()
    if isinstance(b, str):
        b = b.encode()
    return hmac.compare_digest(a, b)


# -- personal API tokens ------------------------------------------------------------------

# Not a secret: makes a token recognisable in a leaked file or a secret scanner's report.
API_TOKEN_PREFIX = "wd_"  # noqa: S105
API_TOKEN_BYTES = 32
MAX_API_TOKEN_CHARS = 100


def new_api_token() -> str:
    """A fresh bearer token: 32 random bytes. Shown once; only its digest is stored."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(API_TOKEN_BYTES)


def api_token_digest(token: str) -> str:
    """SHA-256 of the token, hex. The token has 256 bits of entropy, so a fast hash is
    enough (nothing to brute-force) and lets each request be checked with one lookup."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- counting clients without naming them -------------------------------------------------


def client_digest(*, purpose: str, client: str) -> str:
    """A keyed digest to count a client by (rate limits) instead of its address.

    The key is derived from SECRET_KEY, which lives in the environment and is never written
    to the database, so a dump holds nothing to test candidate addresses against. `purpose`
    separates uses: the same client gets unrelated digests in different limits.
    """
    key = hmac.new(settings.SECRET_KEY.encode(), b"whistledesk client digest v1", "sha256")
    return hmac.new(key.digest(), f"{purpose}\0{client}".encode(), "sha256").hexdigest()[:32]


# -- emails taken in from the mailbox -----------------------------------------------------


def mailbox_message_digest(*, message_id: str, content_digest: str) -> str:
    """A keyed digest that recognises an email already taken in from the office's mailbox.

    Keyed with a sub-key of SECRET_KEY (never in the database), so the stored value cannot
    be matched against a guessed Message-ID or a copy of the email.
    """
    key = hmac.new(settings.SECRET_KEY.encode(), b"whistledesk mailbox message v1", "sha256")
    message = f"{message_id.strip()}\0{content_digest}".encode("utf-8", "replace")
    return hmac.new(key.digest(), message, "sha256").hexdigest()

"""The encrypted container: a tar stream cut into authenticated, numbered chunks.

File layout: MAGIC, then frames of `length (4 bytes, big-endian) + token`, where each token
is `core.crypto.secret_encrypt(key, index (8 bytes) + last-flag (1 byte) + data)`. The
index and flag are inside the authenticated plaintext, so a reordered, repeated, dropped
or truncated chunk is detected, as is any flipped bit. Memory use is one chunk.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from pathlib import Path
from typing import BinaryIO

from whistledesk.core.crypto import (
    SECRET_KEY_BYTES,
    DecryptionFailed,
    new_secret_key,
    secret_decrypt,
    secret_encrypt,
)
from whistledesk.core.exceptions import DomainError

MAGIC = b"WHISTLEDESK-BACKUP-1\n"
CHUNK = 1024 * 1024
_LEN = struct.Struct(">I")
_HEAD = struct.Struct(">QB")


class BackupError(DomainError):
    """The archive cannot be used: wrong key, damaged, truncated, or not a backup."""


def key_generate(path: Path) -> None:
    """Write a new random backup key, readable by the owner only; never overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(base64.urlsafe_b64encode(new_secret_key()).decode() + "\n")


def key_load(path: Path) -> bytes:
    try:
        key = base64.urlsafe_b64decode(path.read_text().strip().encode())
    except (OSError, binascii.Error, ValueError) as exc:
        raise BackupError(f"Cannot read a backup key from {path}") from exc
    if len(key) != SECRET_KEY_BYTES:
        raise BackupError(f"{path} does not hold a backup key")
    return key


class EncryptingWriter:
    """A write-only file object for tarfile: encrypts and frames as it goes."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        self._out, self._key = out, key
        self._buffer = bytearray()
        self._index = 0
        out.write(MAGIC)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, data: bytes, *, last: bool) -> None:
        token = secret_encrypt(self._key, _HEAD.pack(self._index, int(last)) + data)
        self._out.write(_LEN.pack(len(token)) + token)
        self._index += 1

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._out.flush()


class DecryptingReader:
    """A read-only file object for tarfile: checks and decrypts chunk by chunk."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._in, self._key = source, key
        self._buffer = b""
        self._index = 0
        self._done = False
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError("This file is not a Whistledesk backup")

    def _next_chunk(self) -> None:
        raw_len = self._in.read(_LEN.size)
        if len(raw_len) != _LEN.size:
            raise BackupError("The backup is truncated: its last part is missing")
        (length,) = _LEN.unpack(raw_len)
        token = self._in.read(length)
        if len(token) != length:
            raise BackupError("The backup is truncated")
        try:
            plain = secret_decrypt(self._key, token)
        except DecryptionFailed:
            raise BackupError(
                "The backup cannot be decrypted: wrong key, or the file is damaged"
            ) from None
        index, last = _HEAD.unpack(plain[: _HEAD.size])
        if index != self._index:
            raise BackupError("The backup's parts are out of order or repeated")
        self._index += 1
        self._done = bool(last)
        self._buffer += plain[_HEAD.size :]
        if self._done and self._in.read(1):
            raise BackupError("The backup has data after its end")

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def drain(reader: DecryptingReader) -> None:
    """Read to the authenticated last chunk: a backup cut short after the tar's end fails."""
    while reader.read(CHUNK):
        pass

"""The import file, read as a stream of text lines as often as the import needs, never whole.

The importer reads the file twice (check, then store) so that its memory does not grow with
the file. A path is opened again; a seekable binary stream is rewound; anything else (a
text stream, a pipe) is first copied to an anonymous temporary file. Every pass hashes the
bytes it reads, so the second pass can prove it read the same file as the first.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from whistledesk.cases.importing.rows import ImportRejected, RowError

CHUNK = 1024 * 1024


class _Hashing(io.RawIOBase):
    """A binary reader that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.sha256.update(data)
        buffer[: len(data)] = data
        return len(data)


class ImportSource:
    """Open with `ImportSource.of(stream)`; iterate `lines()` once per pass."""

    def __init__(self, path: Path | None, binary: IO[bytes] | None, start: int = 0) -> None:
        self._path = path
        self._binary = binary
        self._start = start
        self._spool: IO[bytes] | None = None
        self.sha256 = ""

    @classmethod
    def of(cls, stream: TextIO | BinaryIO | str | Path) -> ImportSource:
        if isinstance(stream, str | Path):
            path = Path(stream)
            try:
                with path.open("rb"):
                    pass
            except OSError as exc:
                raise ImportRejected(
                    [RowError(0, "", f"cannot read the file: {exc.strerror}")]
                ) from None
            return cls(path, None)
        if isinstance(stream, io.TextIOBase) or not _is_binary(stream):
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            encoder = codecs.getincrementalencoder("utf-8")()
            while chunk := stream.read(CHUNK):
                spool.write(encoder.encode(str(chunk)))
            spool.write(encoder.encode("", final=True))
            source = cls(None, spool)
            source._spool = spool
            return source
        binary: IO[bytes] = stream  # type: ignore[assignment]
        if binary.seekable():
            return cls(None, binary, binary.tell())
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        shutil.copyfileobj(binary, spool, CHUNK)
        source = cls(None, spool)
        source._spool = spool
        return source

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    @contextlib.contextmanager
    def _opened(self) -> Iterator[IO[bytes]]:
        if self._path is not None:
            with self._path.open("rb") as fh:
                yield fh
        else:
            assert self._binary is not None
            self._binary.seek(self._start)
            yield self._binary

    @contextlib.contextmanager
    def lines(self) -> Iterator[Iterator[str]]:
        """The file's text lines (BOM removed, line ends kept); sets `sha256` when done.

        Raises ImportRejected naming the line of the first byte that is not UTF-8.
        """
        with self._opened() as raw:
            hashing = _Hashing(raw)
            text = io.TextIOWrapper(
                io.BufferedReader(hashing, CHUNK), encoding="utf-8-sig", newline=""
            )
            yield self._decoded(text, hashing)

    def _decoded(self, text: io.TextIOWrapper, hashing: _Hashing) -> Iterator[str]:
        try:
            yield from text
        except UnicodeDecodeError:
            raise ImportRejected(
                [
                    RowError(
                        self._line_of_bad_byte(),
                        "",
                        'the file is not UTF-8 text; save it as "CSV UTF-8" and try again',
                    )
                ]
            ) from None
        self.sha256 = hashing.sha256.hexdigest()

    def _line_of_bad_byte(self) -> int:
        """The line (counting \\n) holding the first byte that is not UTF-8. Error path only."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        newlines = 0
        with self._opened() as raw:
            while chunk := raw.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return newlines + chunk.count(b"\n", 0, max(0, exc.start)) + 1
                newlines += chunk.count(b"\n")
        return newlines + 1

    def count_lines(self) -> int:
        """Line breaks in the file, for progress totals (a cheap byte count)."""
        newlines, last = 0, b"\n"
        with self._opened() as raw:
            while chunk := raw.read(CHUNK):
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
        return newlines + (0 if last == b"\n" else 1)


def _is_binary(stream: Any) -> bool:
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        return True
    mode = getattr(stream, "mode", "")
    return isinstance(mode, str) and "b" in mode

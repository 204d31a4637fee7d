"""The mailbox over IMAP (imaplib, TLS only): list, read without marking, move.

Every failure of the server or the connection becomes `MailboxUnavailable`, whose message
never holds anything the server sent (a server's reply can quote a message).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from whistledesk.mailintake.config import MailboxConfig

# Read at most this much of an over-limit email: its headers, for the intake officer.
HEADER_BYTES = 64 * 1024


class MailboxUnavailable(Exception):
    """The mailbox could not be read or changed. Safe to log (no server text)."""


@dataclass(frozen=True)
class Envelope:
    uid: str
    size: int
    message_id: str
    internal_date: dt.datetime | None


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _check(status: str, what: str) -> None:
    if status != "OK":
        raise MailboxUnavailable(f"the server refused to {what}")


def _literal(data: list[object]) -> bytes:
    """The first literal of a FETCH answer (imaplib gives it as the tuple's second item)."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return b""


def _prefix(data: list[object]) -> bytes:
    for item in data:
        if isinstance(item, tuple) and isinstance(item[0], bytes):
            return item[0]
        if isinstance(item, bytes):
            return item
    return b""


class Mailbox:
    """One signed-in session on the configured folder."""

    def __init__(self, client: imaplib.IMAP4, config: MailboxConfig) -> None:
        self._client = client
        self._config = config
        self._can_move = False

    def open_folder(self) -> None:
        status, caps = self._client.capability()
        _check(status, "list its capabilities")
        self._can_move = b"MOVE" in b" ".join(c for c in caps if isinstance(c, bytes)).split()
        status, _ = self._client.select(self._config.folder)
        _check(status, "open the folder")
        # Created once; "already exists" is not an error we care about.
        self._client.create(self._config.done_folder)

    def uids(self) -> list[str]:
        status, data = self._client.uid("SEARCH", "ALL")
        _check(status, "list the folder")
        raw = data[0] if data and isinstance(data[0], bytes) else b""
        return [u.decode() for u in raw.split()][: self._config.batch]

    def envelope(self, uid: str) -> Envelope | None:
        """None when the message has gone (another poller moved it meanwhile)."""
        status, data = self._client.uid(
            "FETCH", uid, "(RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]<0.2000>)"
        )
        _check(status, "describe a message")
        prefix = _prefix(data)
        size = _SIZE.search(prefix)
        if size is None:
            return None
        # Internaldate2tuple gives local time; mktime turns it back into an instant.
        internal = imaplib.Internaldate2tuple(prefix)
        when = dt.datetime.fromtimestamp(time.mktime(internal), dt.UTC) if internal else None
        header = _literal(data).decode("ascii", "replace")
        message_id = header.partition(":")[2].strip() if ":" in header else ""
        return Envelope(uid=uid, size=int(size.group(1)), message_id=message_id, internal_date=when)

    def message(self, uid: str) -> bytes:
        status, data = self._client.uid("FETCH", uid, "(BODY.PEEK[])")
        _check(status, "read a message")
        return _literal(data)

    def headers(self, uid: str) -> bytes:
        status, data = self._client.uid("FETCH", uid, f"(BODY.PEEK[HEADER]<0.{HEADER_BYTES}>)")
        _check(status, "read a message's headers")
        return _literal(data)

    def move_done(self, uid: str) -> None:
        done = self._config.done_folder
        if self._can_move:
            status, _ = self._client.uid("MOVE", uid, done)
            _check(status, "move a message")
            return
        status, _ = self._client.uid("COPY", uid, done)
        _check(status, "copy a message")
        status, _ = self._client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        _check(status, "mark a message moved")
        # UID EXPUNGE (RFC 4315) would touch only this message; most servers have it.
        status, _ = self._client.uid("EXPUNGE", uid)
        _check(status, "remove a moved message")


def _tls_context(config: MailboxConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=config.ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


@contextmanager
def mailbox_session(config: MailboxConfig) -> Iterator[Mailbox]:
    """Signed in, folder selected; logged out at the end (or the connection dropped)."""
    try:
        client = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=_tls_context(config), timeout=config.timeout
        )
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnavailable(f"could not connect ({type(exc).__name__})") from None
    try:
        try:
            client.login(config.user, config.password)
            box = Mailbox(client, config)
            box.open_folder()
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxUnavailable(f"could not sign in ({type(exc).__name__})") from None
        try:
            yield box
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxUnavailable(f"the connection failed ({type(exc).__name__})") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()

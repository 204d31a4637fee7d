"""A real IMAP server for the mailbox tests: Debian's dovecot on loopback, over TLS.

Each test gets its own dovecot (own config, passwd-file user, maildir and throwaway
certificate in a temporary directory, a random port on 127.0.0.1). It runs as the current
user; when that is root, dovecot will not run its login processes as root, so they run as
the package's own unprivileged users (dovenull, dovecot), which own the maildir.
Messages are delivered by IMAP APPEND, as a mail server would file them.

`CuttingProxy` sits between the poller and dovecot and cuts the connection on demand (after
N bytes from the server, or at once), to test a connection dropped mid-fetch.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live_server import free_port
from whistledesk.mailintake.config import MailboxConfig

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "intake", "correct horse battery"

CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = {mail_uid}
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={dir}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class ImapServer:
    port: int
    ca_file: str
    directory: Path

    def config(self, *, port: int | None = None, **changes: object) -> MailboxConfig:
        values: dict[str, object] = {
            "host": "127.0.0.1",
            "port": port or self.port,
            "user": USER,
            "password": PASSWORD,
            "ca_file": self.ca_file,
            "timeout": 10.0,
        }
        values.update(changes)
        return MailboxConfig(**values)  # type: ignore[arg-type]

    def env(self) -> dict[str, str]:
        return {
            "WHISTLEDESK_IMAP_HOST": "127.0.0.1",
            "WHISTLEDESK_IMAP_PORT": str(self.port),
            "WHISTLEDESK_IMAP_USER": USER,
            "WHISTLEDESK_IMAP_PASSWORD": PASSWORD,
            "WHISTLEDESK_IMAP_CA_FILE": self.ca_file,
        }

    @contextlib.contextmanager
    def client(self) -> Iterator[imaplib.IMAP4_SSL]:
        context = ssl.create_default_context(cafile=self.ca_file)
        client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        client.login(USER, PASSWORD)
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.client() as client:
            status, _ = client.append(folder, None, None, raw)
            assert status == "OK"

    def count(self, folder: str) -> int:
        with self.client() as client:
            status, data = client.select(folder, readonly=True)
            if status != "OK":
                return 0
            return int(data[0] or 0)  # type: ignore[arg-type]


def _certificate(directory: Path) -> None:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem"),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def _wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("dovecot did not start")


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    if not os.path.exists(DOVECOT):
        pytest.fail("dovecot is not installed: run scripts/system-deps.sh (dovecot-imapd)")
    # Not pytest's tmp_path: it is private to the current user, and dovecot's own users
    # (when we are root) must reach the maildir.
    directory = Path(tempfile.mkdtemp(prefix="wd-dovecot-"))
    directory.chmod(0o755)
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:
        login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
        mail = pwd.getpwnam("dovecot")
    else:
        login_user = internal_user = me.pw_name
        internal_group = _group_name(me.pw_gid)
        mail = me
    for sub in ("mail", "home"):
        (directory / sub).mkdir()
        os.chown(directory / sub, mail.pw_uid, mail.pw_gid)
    _certificate(directory)
    (directory / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = free_port()
    (directory / "dovecot.conf").write_text(
        CONFIG.format(
            dir=directory,
            port=port,
            login_user=login_user,
            internal_user=internal_user,
            internal_group=internal_group,
            mail_uid=mail.pw_uid,
            mail_gid=mail.pw_gid,
        )
    )
    subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf")], check=True)
    try:
        _wait_for_port(port)
        yield ImapServer(port=port, ca_file=str(directory / "cert.pem"), directory=directory)
    finally:
        subprocess.run([DOVECOT, "-c", str(directory / "dovecot.conf"), "stop"], check=False)
        time.sleep(0.2)
        shutil.rmtree(directory, ignore_errors=True)


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


class CuttingProxy:
    """A TCP relay to dovecot that can drop the connection: TLS passes through untouched."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        # Cut a connection once the server has sent this many bytes on it (None: never).
        self.cut_after_bytes: int | None = None
        self.connections = 0
        self._open: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut_now(self) -> None:
        for sock in list(self._open):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()
        self.cut_now()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += 1
            self._open += [client, server]
            limit = self.cut_after_bytes
            threading.Thread(target=self._pipe, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, limit), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while chunk := source.recv(16384):
                if limit is not None and sent + len(chunk) > limit:
                    sink.sendall(chunk[: max(0, limit - sent)])
                    break
                sink.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@pytest.fixture
def proxy(imap_server: ImapServer) -> Iterator[CuttingProxy]:
    relay = CuttingProxy(imap_server.port)
    yield relay
    relay.close()


# The real worker process and SMTP server of the notification tests.
from tests.notifications.conftest import smtp, start_worker, worker_env  # noqa: E402, F401

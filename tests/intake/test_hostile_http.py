"""Hostile HTTP that Django's test client cannot send, against a real gunicorn.

A Content-Length larger than the body, multipart bodies cut off mid-file, raw bytes that are
not UTF-8 in the request line, and several "Send" presses of one draft arriving at once.
The server runs as deployed (gunicorn, no access log); its own output is checked afterwards
for the client's address, user agent and receipt.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.intake.test_crash_safety import SETUP, database_url  # noqa: F401
from tests.live_server import free_port, gunicorn_start, process_group_stop, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLIENT = "198.51.100.23"  # what the proxy header says the client is
AGENT = "HostileCanaryAgent/6.6"

COUNT = """
import django; django.setup()
from whistledesk.cases.models import Disclosure
print(Disclosure.objects.count(), Disclosure.objects.filter(source_account__isnull=True).count())
"""


class Server:
    def __init__(self, base: str, port: int, env: dict[str, str], log: Path) -> None:
        self.base, self.port, self.env, self.log = base, port, env, log

    def count(self) -> tuple[int, int]:
        out = subprocess.run(
            [sys.executable, "-c", COUNT],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        total, half = out.stdout.split()
        return int(total), int(half)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:  # noqa: F811
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.intake.crash_settings",
        "DATABASE_URL": database_url,
        "WHISTLEDESK_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(BIN / "whistledesk"), "migrate", "--noinput"], **run)
    subprocess.run([sys.executable, "-c", SETUP], text=True, **run)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = gunicorn_start(env=env, port=port, workers=2, threads=4, output=out)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/", process, seconds=60)
        yield Server(base, port, env, log)
    finally:
        process_group_stop(process)


def person(server: Server) -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = AGENT
    s.headers["X-Test-Client"] = CLIENT
    s.get(f"{server.base}/report/risk/", timeout=30)
    return s


def walk(server: Server, s: requests.Session, narrative: str = "The gate is open.") -> str:
    token = s.cookies["csrftoken"]
    pages = [
        ("risk", {"risk": "no"}),
        ("service", {"service": "not_sure"}),
        ("setting", {"setting_name": "A school"}),
        ("what-happened", {"narrative": narrative}),
        ("raised-before", {"raised": "no"}),
        ("your-role", {"role": "employee"}),
        ("identity", {"identity": "anonymous"}),
        ("files", {"action": "continue"}),
    ]
    for slug, data in pages:
        r = s.post(
            f"{server.base}/report/{slug}/",
            data={**data, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        assert r.status_code == 302, (slug, r.status_code)
    return token


def raw(server: Server, request: bytes, *, close_write: bool = True) -> bytes:
    """Send bytes as they are; return whatever the server answers before closing."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=40) as sock:
        sock.sendall(request)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    assert found, answer[:300]
    return int(found.group(1))


def cookie_header(s: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies)


def request_bytes(method: str, path: bytes, headers: dict[str, str], body: bytes) -> bytes:
    head = [method.encode() + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1"]
    head += [f"{k}: {v}".encode() for k, v in headers.items()]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def test_lying_lengths_truncated_bodies_and_raw_bytes(server: Server) -> None:
    s = person(server)
    token = walk(server, s)
    common = {
        "Cookie": cookie_header(s),
        "User-Agent": AGENT,
        "X-Test-Client": CLIENT,
        "Connection": "close",
    }
    form = "application/x-www-form-urlencoded"
    # A Content-Length larger than the body: the client stops sending and closes its side
    body = f"csrfmiddlewaretoken={token}&risk=no".encode()
    for url in [b"/report/risk/", b"/report/check/", b"/follow-up/", b"/report/what-happened/"]:
        headers = {**common, "Content-Type": form, "Content-Length": str(len(body) + 5000)}
        answer = raw(server, request_bytes("POST", url, headers, body))
        assert status_of(answer) < 500, (url, answer[:500])
    # A multipart upload cut off in the middle of the file
    multipart = (
        b'--XyZ\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + token.encode()
        + b'\r\n--XyZ\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nthe start of a file that never ends"
    )
    for url in [b"/report/files/", b"/follow-up/inbox/"]:
        headers = {
            **common,
            "Content-Type": "multipart/form-data; boundary=XyZ",
            "Content-Length": str(len(multipart) + 100_000),
        }
        answer = raw(server, request_bytes("POST", url, headers, multipart))
        assert status_of(answer) < 500, (url, answer[:500])
    # Bytes that are not UTF-8 in the path and the query string; a NUL in the query
    for path in [
        b"/report/\xff\xfe/",
        b"/report/risk/?change=\xff\xfe",
        b"/report/risk/?change=%ed%a0%80",
        b"/follow-up/?a=%00\x01",
        b"/report/sent/?\xc0\x80",
    ]:
        answer = raw(server, request_bytes("GET", path, common, b""))
        assert status_of(answer) < 500, (path, answer[:500])
    # Non-ASCII bytes in a cookie and a header
    headers = {**common, "Cookie": common["Cookie"] + "; wd_vault=\xe9\xe9"}
    answer = raw(server, request_bytes("GET", b"/report/check/", headers, b""))
    assert status_of(answer) < 500, answer[:500]
    # The draft survived all of it, and sends as one whole disclosure
    r = s.post(
        f"{server.base}/report/files/",
        data={"action": "continue", "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302
    r = s.post(
        f"{server.base}/report/check/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert r.headers["Location"] == "/report/sent/"
    page = s.get(f"{server.base}/report/sent/", timeout=30).text
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    assert receipt
    assert server.count() == (1, 0)
    # And the server's own output names no client, agent or receipt
    logged = server.log.read_text(errors="replace")
    assert CLIENT not in logged and AGENT not in logged
    assert receipt.group(1).strip() not in logged


def test_send_pressed_four_times_at_once_makes_one_disclosure(server: Server) -> None:
    # Given one browser with a complete draft
    s = person(server)
    token = walk(server, s)
    cookies = cookie_header(s)
    answers: list[requests.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def press() -> None:
        # Each press is its own connection with the same cookies, as a browser sends them
        start.wait()
        r = requests.post(
            f"{server.base}/report/check/",
            data={"csrfmiddlewaretoken": token},
            headers={"Cookie": cookies, "User-Agent": AGENT, "X-Test-Client": CLIENT},
            allow_redirects=False,
            timeout=60,
        )
        with lock:
            answers.append(r)

    # When Send arrives four times at once
    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # Then every press is answered with the receipt page, and one disclosure exists, whole
    assert [a.status_code for a in answers] == [302] * 4, [a.text[:300] for a in answers]
    assert {a.headers["Location"] for a in answers} == {"/report/sent/"}
    assert server.count() == (1, 0)
    # And the browser (whose session the last press wrote) is shown a receipt once
    jar = requests.Session()
    jar.headers["Cookie"] = cookies
    page = jar.get(f"{server.base}/report/sent/", timeout=30).text
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    assert receipt, page[:2000]
    again = jar.get(f"{server.base}/report/sent/", timeout=30).text
    assert "already been shown" in again
    reader = requests.Session()
    reader.get(f"{server.base}/follow-up/", timeout=30)
    r = reader.post(
        f"{server.base}/follow-up/",
        data={"receipt": receipt.group(1), "csrfmiddlewaretoken": reader.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert r.headers.get("Location") == "/follow-up/inbox/"
    logged = server.log.read_text(errors="replace")
    assert receipt.group(1).strip() not in logged and CLIENT not in logged

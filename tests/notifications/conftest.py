"""Real processes for the notification tests: `whistledesk worker` against the test database,
and an SMTP server (aiosmtpd) on loopback whose mailbox the tests read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.live_server import free_port, process_group_stop

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(raw), raw))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for rcpt, m, _ in self.messages if address in rcpt]

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def shared_database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def worker_env(transactional_db: Any, tmp_path: Path) -> dict[str, str]:
    """Environment for a worker process that shares this test's (committed) database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "NOTIFY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "whistledesk.config.settings.test",
            "DATABASE_URL": shared_database_url(),
            "WHISTLEDESK_DATA_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT),
            "WHISTLEDESK_TASK_TIMEOUT_SECONDS": "3",
        }
    )
    return env


@pytest.fixture
def start_worker(worker_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [str(BIN / "whistledesk"), "worker", *args],
            env=env or worker_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process_group_stop(process, grace=10)


def wait_until(predicate: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()

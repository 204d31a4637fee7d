"""Real server processes on loopback for tests that need what is deployed, not a test client.

One launcher for gunicorn (tests/intake's hostile-HTTP and kill tests, tests/deploy's
production rehearsal), a bounded wait for it to answer, a stop that takes the whole process
group (workers included), and a throwaway PostgreSQL database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_start(
    *,
    env: dict[str, str],
    port: int,
    workers: int = 2,
    threads: int = 1,
    timeout: int = 30,
    output: IO[bytes] | int | None = subprocess.DEVNULL,
    options: Sequence[str] = (),
    socket_activation: bool = False,
) -> subprocess.Popen[bytes]:
    """gunicorn as deployed: no access log (it is off unless asked for), loopback only.

    `options` are further command-line flags (the rehearsal passes those of the systemd
    unit). With `socket_activation`, systemd-socket-activate holds the listening socket and
    hands it over as systemd's whistledesk.socket does (gunicorn gets no --bind; it starts
    at the first connection). It runs in its own process group (session), so a stop or a
    SIGKILL takes the workers too.
    """
    if socket_activation:
        # It hands its children no environment but what --setenv names.
        listen = ["systemd-socket-activate", "--listen", f"127.0.0.1:{port}"]
        listen += [f"--setenv={name}" for name in env]
        listen += [str(BIN / "gunicorn")]
    else:
        listen = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        [
            *listen,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
            *options,
            "whistledesk.config.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], *, seconds: float = 90, **kwargs: object
) -> None:
    """Poll `url` until any HTTP answer comes back; fail if the process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            requests.get(url, timeout=2, allow_redirects=False, **kwargs)  # type: ignore[arg-type]
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered at {url} within {seconds} s")


def process_group_stop(process: subprocess.Popen[bytes], *, grace: float = 30) -> None:
    """SIGTERM the process group, then SIGKILL it if it has not ended within `grace` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 30)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    # The leader may be gone while workers linger: sweep the group once more.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def postgres_server_url() -> str:
    """The PostgreSQL server of DATABASE_URL, or the local one on 127.0.0.1:5432."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        return base.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def postgres_reachable(server: str) -> bool:
    try:
        done = subprocess.run(
            ["psql", f"{server}/postgres", "-qtAc", "SELECT 1"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@contextmanager
def postgres_database(server: str, prefix: str) -> Iterator[str]:
    """A fresh database on `server`, dropped afterwards (connections closed by force)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    subprocess.run(
        ["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        yield f"{server}/{name}"
    finally:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=False,
            capture_output=True,
            timeout=60,
        )


def command_run(args: Sequence[str], env: dict[str, str], *, timeout: float = 300) -> str:
    """Run a command to completion; its output, or a failure that shows what it said."""
    done = subprocess.run(
        list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout

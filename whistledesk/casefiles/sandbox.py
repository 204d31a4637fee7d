"""Running a helper program (mat2, the PDF page counter) with bounded memory, CPU and time.

A hostile or merely huge file must not be able to hold a web worker past its timeout or
exhaust the server's memory. So each helper runs:

- with an address-space limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU, SIGKILL one
  second after the soft limit), no core dumps and a cap on the size of files it writes,
  set by a few lines of the system Python (`_SUPERVISE`) that then start the helper;
- under that supervisor's parent-death signal, so if the web worker itself is killed
  (gunicorn's timeout) the helper's whole group is killed rather than left running;
- in a new session, so it leads its own process group;
- against a wall-clock deadline, after which the whole process group is killed with
  SIGKILL (mat2's children included) and reaped, so nothing is left running.

The group is also killed after a normal exit, in case the helper left a child behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess  # noqa: S404 - fixed programs, no shell, files we name ourselves
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

SYSTEM_PYTHON = "/usr/bin/python3"
# argv: memory_bytes cpu_seconds parent_pid program args... (run with -I -S). A small
# supervisor: sets the limits, forks the helper, waits, and passes on its exit status or
# signal. If the web worker dies, the supervisor gets SIGTERM (parent-death signal) and
# kills the whole group, helper's own children (mat2's pool workers) included.
_SUPERVISE = """
import ctypes, os, resource, signal, sys
memory, cpu, parent = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))
def kill_group(*_):
    os.killpg(0, signal.SIGKILL)
signal.signal(signal.SIGTERM, kill_group)
ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
if os.getppid() != parent:
    kill_group()
child = os.fork()
if child == 0:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.execv(sys.argv[4], sys.argv[4:])
status = os.waitpid(child, 0)[1]
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
"""


@dataclass(frozen=True)
class Bounds:
    """What one helper run may use. See the WHISTLEDESK_CLEAN_* settings."""

    memory_bytes: int
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def from_settings(cls) -> Bounds:
        return cls(
            memory_bytes=int(settings.WHISTLEDESK_CLEAN_MEMORY_MB) * 1024 * 1024,
            cpu_seconds=max(1, int(settings.WHISTLEDESK_CLEAN_CPU_SECONDS)),
            wall_seconds=float(settings.WHISTLEDESK_CLEAN_WALL_SECONDS),
        )


class OverLimit(Exception):
    """The helper ran out of time or memory (or was killed for it)."""


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: bytes


# How running out of memory or CPU shows when it hits one of mat2's worker processes
# (mat2 cleans in a ProcessPoolExecutor, so the parent exits with a traceback, not a signal).
_OVER_LIMIT_SIGNS = (
    b"MemoryError",
    b"BrokenProcessPool",
    b"out of memory",
    b"Cannot allocate memory",
    b"bad_alloc",
)
_STDERR_KEPT = 64 * 1024


def run_bounded(
    argv: Sequence[str],
    *,
    bounds: Bounds,
    cwd: str,
    env: dict[str, str],
    deadline: float | None = None,
) -> Finished:
    """Run argv under the bounds; raise OverLimit if it times out or is killed by a limit.

    `deadline` (time.monotonic()) shortens the wall-clock limit when several files share
    one request's budget.
    """
    wall = bounds.wall_seconds
    if deadline is not None:
        wall = min(wall, deadline - time.monotonic())
    if wall <= 0:
        raise OverLimit("no time left")
    limited = [
        SYSTEM_PYTHON,
        "-I",
        "-S",
        "-c",
        _SUPERVISE,
        str(bounds.memory_bytes),
        str(bounds.cpu_seconds),
        str(os.getpid()),
        *argv,
    ]
    proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        limited,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=wall)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        raise OverLimit("wall-clock limit") from None
    finally:
        # Whatever happened (a timeout, an exception in this thread, a normal exit), no
        # member of the helper's process group outlives this call.
        _kill_group(proc.pid)
        if proc.poll() is None:
            proc.wait()
    # Killed by a signal: SIGKILL (CPU hard limit) or SIGXCPU (soft), or SIGSEGV/SIGABRT
    # when an allocation failed under the address-space limit.
    if proc.returncode < 0 and -proc.returncode in (
        signal.SIGKILL,
        signal.SIGXCPU,
        signal.SIGSEGV,
        signal.SIGABRT,
        signal.SIGBUS,
    ):
        raise OverLimit(f"signal {-proc.returncode}")
    if proc.returncode != 0 and any(sign in stderr[-_STDERR_KEPT:] for sign in _OVER_LIMIT_SIGNS):
        raise OverLimit("out of memory or CPU in a worker")
    return Finished(returncode=proc.returncode, stdout=stdout)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)

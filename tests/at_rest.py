"""What a thief holding the database would hold: the raw SQLite files, or a pg_dump.

The SQLite files are read by a child process, never opened by this one: closing any file
descriptor on a database file drops every POSIX lock this process holds on it, so reading
it here while the live server's connection is open corrupts the database
(sqlite.org/howtocorrupt.html, section 2.2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection


def database_bytes() -> bytes:
    """Everything stored: the SQLite file with its WAL and journal, or a plain-SQL pg_dump."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings["NAME"])
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        files = [str(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]
        return subprocess.run(["cat", *files], capture_output=True, check=True, timeout=60).stdout
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed: run `make system-deps` (postgresql-client)")
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "-h", settings.get("HOST") or "127.0.0.1"]
    command += ["-p", str(settings.get("PORT") or 5432), "-U", settings.get("USER") or "postgres"]
    return subprocess.run(
        [*command, settings["NAME"]], capture_output=True, check=True, env=env, timeout=120
    ).stdout

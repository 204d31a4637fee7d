"""A fresh local installation, driven through the `whistledesk` command as `make run` does:
the files it creates are private, a missing page lists nothing of the site's insides, every
page says it is a local copy, and `restore` without a terminal says what to do.

Each command runs in its own process with the local settings, a new data directory and a
permissive umask (022) inherited from the caller, as a person's shell would have.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

WHISTLEDESK = str(Path(sys.executable).parent / "whistledesk")
CCO_TOML = (
    Path(__file__).resolve().parents[2]
    / "whistledesk/organisation/configs/childrens_commissioner.toml"
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _env(data: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DJANGO_SECRET_KEY",
            "WHISTLEDESK_RECEIPT_PEPPER",
            "DJANGO_DEBUG",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.local"
    env["WHISTLEDESK_DATA_DIR"] = str(data)
    return env


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WHISTLEDESK, *args],
        env=_env(data),
        stdin=subprocess.DEVNULL,  # no terminal, as under a timer or a script
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.umask(0o022),  # noqa: PLW1509 - only sets the umask
        check=False,
    )


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fresh")
    data, out = root / "data", root / "out"
    out.mkdir()
    for args in [
        ["migrate", "--noinput"],
        ["configure_organisation", str(CCO_TOML)],
        ["backup", str(out / "backup.wdb"), "--key-file", str(out / "backup.key"), "--new-key"],
        ["annual_report", "--year", "2022", "--format", "md", "--output", str(out / "r.md")],
    ]:
        done = run(data, *args)
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return {"data": data, "out": out}


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_every_file_whistledesk_creates_is_readable_by_its_owner_only(
    install: dict[str, Path],
) -> None:
    data, out = install["data"], install["out"]
    assert mode(data) == "0o700"
    files = [
        data / "whistledesk.sqlite3",
        data / "secret_key",
        data / "receipt_pepper",
        data / "source_email_key",
        out / "backup.wdb",
        out / "backup.key",
        out / "r.md",
    ]
    # SQLite's journal files, when they are still there, hold database pages too.
    files += [p for p in data.glob("whistledesk.sqlite3-*")]
    assert {p.name for p in files} >= {"whistledesk.sqlite3", "r.md", "backup.wdb"}
    wrong = {str(p): mode(p) for p in files if mode(p) != "0o600"}
    assert not wrong, wrong


DJANGO_CLIENT = """
import sys
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get(sys.argv[1])
sys.stdout.write(f"{response.status_code}\\n{response.content.decode()}")
"""


def get(data: Path, url: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", DJANGO_CLIENT, url],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    status, _, body = done.stdout.partition("\n")
    return int(status), body


def test_a_missing_page_in_local_mode_lists_no_url_patterns(install: dict[str, Path]) -> None:
    status, body = get(install["data"], "/no-such-page/")
    assert status == 404
    assert "Page not found" in body
    for inside in ["URLconf", "urlpatterns", "staff/", "admin/", "DEBUG = True", "api/v1"]:
        assert inside not in body, inside


def test_every_local_page_says_it_is_a_local_copy(install: dict[str, Path]) -> None:
    for url in ["/", "/no-such-page/", "/staff/account/sign-in/", "/privacy/"]:
        status, body = get(install["data"], url)
        assert status in (200, 404), url
        assert "Local mode" in body and "Do not use it for real disclosures" in body, url


def test_restore_without_a_terminal_says_to_add_yes(install: dict[str, Path]) -> None:
    out = install["out"]
    done = run(
        install["data"],
        "restore",
        str(out / "backup.wdb"),
        "--key-file",
        str(out / "backup.key"),
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "EOFError" not in done.stderr
    assert "Nothing was changed" in done.stderr and "add --yes" in done.stderr


MAKE_RUN_STEPS = [  # what `make run` does before serving, typed out (README's first command)
    ["migrate", "--noinput"],
    ["load_demo", "--if-empty"],
    ["load_prescribed_persons"],
    ["demo_staff"],
]


def test_make_runs_set_up_steps_work_on_a_fresh_data_directory(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Given the Makefile's run target still runs these steps
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    for step in MAKE_RUN_STEPS:
        assert "$(BIN)/whistledesk " + " ".join(step) in recipe, step
    # When they run in local mode (DEBUG off, as `make run` leaves it) on a fresh directory
    data = tmp_path_factory.mktemp("make-run") / "data"
    for step in MAKE_RUN_STEPS:
        done = run(data, *step)
        # Then each succeeds, and the demo login is printed for the person
        assert done.returncode == 0, (step, done.stdout[-2000:], done.stderr[-2000:])
    assert "username 'demo', password 'demo-whistledesk'" in done.stdout

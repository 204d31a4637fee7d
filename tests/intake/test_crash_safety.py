"""Kill the server (SIGKILL, no shutdown) while people are sending disclosures: every
disclosure whose receipt was shown must be stored whole, and nothing may be stored half.

A real gunicorn serves the app from its own database; simulated people walk the form over
HTTP in threads; the whole process group is killed mid-flight. Afterwards every receipt
that was handed over must sign in and open a case file whose narrative reads back exactly.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.live_server import free_port, gunicorn_start, postgres_database, postgres_server_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

SETUP = """
import django; django.setup()
from django.core.management import call_command
from whistledesk.organisation.models import Organisation, ServiceCategory
org = Organisation.objects.create(name="Crash Test Office")
ServiceCategory.objects.create(organisation=org, label="Schools", position=0)
call_command("create_recovery_key")  # prints the private half: the checker reads with it
"""

VERIFY = """
import json, sys
import django; django.setup()
from whistledesk.casefiles.management.commands.create_recovery_key import decode_private_key
from whistledesk.casefiles.models import KeyGrant, SealedDocument
from whistledesk.casefiles.services import ReceiptRejected, source_authenticate
from whistledesk.cases.models import Disclosure
from whistledesk.core import crypto
recovery = decode_private_key(sys.argv[1])
out = {"ok": [], "bad": [], "total": Disclosure.objects.count(),
       "without_case_file": Disclosure.objects.filter(source_account__isnull=True).count()}
for line in sys.stdin:
    reference, receipt, narrative = json.loads(line)
    try:
        s = source_authenticate(receipt=receipt)
        grant = KeyGrant.objects.get(disclosure=s.disclosure, kind="recovery")
        data_key = crypto.unseal(recovery, bytes(grant.sealed_key))
        doc = SealedDocument.objects.get(disclosure=s.disclosure, kind="narrative")
        text = crypto.decrypt_text(data_key, bytes(doc.ciphertext))
        good = s.disclosure.reference == reference and text == narrative
    except (ReceiptRejected, KeyGrant.DoesNotExist, SealedDocument.DoesNotExist):
        good = False
    out["ok" if good else "bad"].append(reference)
print(json.dumps(out))
"""


@pytest.fixture
def database_url(tmp_path: Path) -> Any:
    """A database of the test's own: a SQLite file, or a fresh PostgreSQL database."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    with postgres_database(postgres_server_url(), "wd_crash") as url:
        yield url


def _person(base: str, n: int, narrative: str) -> tuple[str, str] | None:
    """Walk the form as one person; (reference, receipt) if the receipt page was shown."""
    s = requests.Session()
    s.headers["X-Test-Client"] = f"192.0.2.{n + 1}"  # one address per person
    s.get(f"{base}/report/risk/", timeout=30)
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
        ("check", {}),
    ]
    for slug, data in pages:
        r = s.post(
            f"{base}/report/{slug}/",
            data={**data, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        if r.status_code != 302:
            return None
    page = s.get(f"{base}/report/sent/", timeout=30).text
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page)
    if not (receipt and reference):
        return None
    return reference.group(1), receipt.group(1).strip()


def test_killed_server_keeps_every_acknowledged_disclosure(
    database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.intake.crash_settings",
        "DATABASE_URL": database_url,
        "WHISTLEDESK_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(BIN / "whistledesk"), "migrate", "--noinput"], **run)
    setup = subprocess.run([sys.executable, "-c", SETUP], text=True, **run)
    recovery_key = re.search(r"Recovery key: (\S+)", setup.stdout)
    assert recovery_key

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Its own process group, so the kill takes the workers too.
    server = gunicorn_start(env=env, port=port, workers=2, threads=4)
    acknowledged: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def person_loop(worker: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            narrative = f"Account {worker}-{i}: the side gate is left open at night."
            try:
                result = _person(base, worker * 1000 + i, narrative)
            except requests.RequestException:
                continue
            if result:
                with lock:
                    acknowledged.append((*result, narrative))

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.3)
        threads = [threading.Thread(target=person_loop, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        # Let several disclosures through, then kill everything mid-flight
        deadline = time.monotonic() + 120
        while len(acknowledged) < 8 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    for t in threads:
        t.join(timeout=60)

    with lock:
        handed_over = list(acknowledged)
    assert len(handed_over) >= 8
    result = subprocess.run(
        [sys.executable, "-c", VERIFY, recovery_key.group(1)],
        input="\n".join(json.dumps(a) for a in handed_over),
        text=True,
        **{**run, "check": False},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # Every receipt that was shown opens its disclosure, whole
    assert report["bad"] == []
    assert len(report["ok"]) == len(handed_over)
    # And nothing was stored half: no register row without its sealed case file
    assert report["without_case_file"] == 0
    assert report["total"] >= len(handed_over)

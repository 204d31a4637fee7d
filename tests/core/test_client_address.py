"""Who the client is: the one function every limit and lock-out asks (docs/adr/0006)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory

from whistledesk.core.client_address import client_address, client_key

PROXY = ["127.0.0.1"]
XFF = "X-Forwarded-For"

# trusted proxies, header setting, REMOTE_ADDR, headers sent, the client we must see.
CASES = [
    # No proxy configured: every header is ignored, whoever sends it
    ([], XFF, "203.0.113.5", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.5"),
    ([], XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "127.0.0.1"),
    # Through the proxy: the address it appended
    (PROXY, XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "1.2.3.4"),
    # ...never one the client wrote in front of it
    (PROXY, XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
    # A peer that is not our proxy: its header is ignored
    (PROXY, XFF, "203.0.113.5", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.5"),
    # Two trusted hops (a load balancer in 10/8 behind nginx): both skipped
    (
        ["127.0.0.1", "10.0.0.0/8"],
        XFF,
        "127.0.0.1",
        {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.1.2.3"},
        "1.2.3.4",
    ),
    # The proxy sent nothing usable: the proxy is the nearest hop we can name
    (PROXY, XFF, "127.0.0.1", {}, "127.0.0.1"),
    (PROXY, XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "unknown"}, "127.0.0.1"),
    # Ports and brackets as proxies write them; IPv4-mapped IPv6 is the IPv4 address
    (PROXY, XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4:5678"}, "1.2.3.4"),
    (PROXY, XFF, "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "[2001:db8::1]:443"}, "2001:db8::1"),
    (["::1"], XFF, "::1", {"HTTP_X_FORWARDED_FOR": "::ffff:1.2.3.4"}, "1.2.3.4"),
    # X-Real-IP when configured; X-Forwarded-For is then not read
    (
        PROXY,
        "X-Real-IP",
        "127.0.0.1",
        {"HTTP_X_REAL_IP": "1.2.3.4", "HTTP_X_FORWARDED_FOR": "9.9.9.9"},
        "1.2.3.4",
    ),
    # No peer address at all
    (PROXY, XFF, "", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, ""),
]


@pytest.mark.parametrize(("trusted", "header", "peer", "meta", "expected"), CASES)
def test_client_address(
    settings: Any, trusted: list[str], header: str, peer: str, meta: dict[str, str], expected: str
) -> None:
    settings.WHISTLEDESK_TRUSTED_PROXIES = trusted
    settings.WHISTLEDESK_CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **meta)
    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("peer", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("", "unknown"),
    ],
)
def test_client_key_counts_an_ipv6_client_by_its_64(settings: Any, peer: str, key: str) -> None:
    settings.WHISTLEDESK_TRUSTED_PROXIES = []
    assert client_key(RequestFactory().get("/", REMOTE_ADDR=peer)) == key


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("127.0.0.1", True),
        ("127.0.0.1, 10.0.0.0/8, ::1", True),
        ("1", False),  # once a count of proxies; now their addresses
        ("proxy.example.org", False),
    ],
)
def test_start_up_refuses_a_proxy_setting_that_is_not_an_address(
    tmp_path: Path, value: str, ok: bool
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "whistledesk.config.settings.test",
        "WHISTLEDESK_DATA_DIR": str(tmp_path),
        "WHISTLEDESK_TRUSTED_PROXIES": value,
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "whistledesk.manage", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if ok:
        assert result.returncode == 0, result.stderr[-2000:]
    else:
        assert result.returncode != 0
        assert f"WHISTLEDESK_TRUSTED_PROXIES: {value!r} is not an IP address" in result.stderr
        assert "for example 127.0.0.1" in result.stderr

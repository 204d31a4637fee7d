"""A second organisation at its own host name, through nginx (docs/operations.md, "Several
organisations in one installation"): two server names reach two organisations, a name the
site does not serve gets no answer, and plain HTTP sends each name to its own HTTPS site.

The second organisation exists only during its test: the other rehearsal tests see the
one demo organisation at `/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.deploy.conftest import HOST, SECOND_HOST, ProductionSite
from tests.live_server import BIN, command_run

SECOND = f"""
[organisation]
name = "The Second Rehearsal Regulator"
short_name = "SRR"
slug = "second"
host = "{SECOND_HOST}"
year_start = "04-01"

[[services]]
label = "Schools"

[[outcomes]]
label = "Referred"
further_action = true
"""

REMOVE_SECOND = (
    "from whistledesk.organisation.models import Organisation; "
    "Organisation.objects.filter(slug='second').delete()"
)


def _port(base: str) -> str:
    return base.rsplit(":", 1)[1]


@pytest.fixture
def second_organisation(production_site: ProductionSite, tmp_path: Path) -> Iterator[str]:
    config = tmp_path / "second.toml"
    config.write_text(SECOND, encoding="utf-8")
    env = production_site.env
    try:
        out = command_run([str(BIN / "whistledesk"), "configure_organisation", str(config)], env)
        assert "Created The Second Rehearsal Regulator (slug second, host localhost)" in out
        yield out
    finally:
        command_run([str(BIN / "whistledesk"), "shell", "-c", REMOVE_SECOND], env)


def test_two_server_names_reach_two_organisations(
    production_site: ProductionSite, second_organisation: str
) -> None:
    site = production_site
    s = site.client("127.0.0.40")
    # The second organisation's own name: its own public pages, at its root
    second = s.get(
        f"{site.base}/", headers={"Host": f"{SECOND_HOST}:{_port(site.base)}"}, timeout=60
    )
    assert second.status_code == 200
    assert "The Second Rehearsal Regulator" in second.text
    # The shared name now lists the organisations, the demo under its path
    shared = s.get(f"{site.base}/", timeout=60)
    assert shared.status_code == 200
    assert "Choose who you want to tell" in shared.text
    assert f'href="https://{SECOND_HOST}/"' in shared.text
    listing = command_run([str(BIN / "whistledesk"), "list_organisations"], site.env)
    assert f"second  {SECOND_HOST}" in listing.replace("   ", "  ")


def test_plain_http_sends_each_name_to_itself_and_no_other(
    production_site: ProductionSite,
) -> None:
    site = production_site
    s = site.client("127.0.0.41")
    port = _port(site.http_base)
    for name in (HOST, SECOND_HOST):
        r = s.get(
            f"{site.http_base}/report/", headers={"Host": f"{name}:{port}"}, allow_redirects=False
        )
        assert r.status_code == 301
        assert r.headers["Location"] == f"https://{name}/report/"
    # A name the site does not serve: the connection is closed, nothing is said
    with pytest.raises(requests.ConnectionError):
        s.get(
            f"{site.http_base}/report/",
            headers={"Host": f"evil.example:{port}"},
            allow_redirects=False,
            timeout=30,
        )


def test_a_name_nobody_configured_is_refused_over_https(
    production_site: ProductionSite,
) -> None:
    site = production_site
    r = site.client("127.0.0.42").get(
        f"{site.base}/", headers={"Host": f"evil.example:{_port(site.base)}"}, timeout=60
    )
    assert r.status_code == 400

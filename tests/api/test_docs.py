"""OpenAPI docs at /api/v1/docs: staff with a role only, served with no third-party request."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from whistledesk.accounts.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_docs_are_for_staff_with_a_role(client: Any, make_staff: Any, path: str) -> None:
    assert client.get(path).status_code == 302  # to sign in
    client.force_login(make_staff(username="norole", roles=[]))
    assert client.get(path).status_code == 403
    client.force_login(make_staff(username="aud", roles=[Role.AUDITOR]))
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_docs_page_loads_only_our_own_files(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff(roles=[Role.AUDITOR]))
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_render_in_a_browser_without_leaving_the_site(
    live_server: Any, page: Any, make_staff: Any
) -> None:
    make_staff(username="alex", password="correct-horse-battery", roles=[Role.MANAGER])
    requests: list[str] = []
    csp_errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/staff/account/sign-in/?next=/api/v1/docs")
    page.fill("#id_username", "alex")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/api/v1/docs")
    # Swagger UI drew the operations from our openapi.json
    page.get_by_text("/api/v1/disclosures/{reference}/transition").first.wait_for()
    ours = urlparse(live_server.url).netloc
    assert {urlparse(u).netloc for u in requests if not u.startswith("data:")} == {ours}
    assert not csp_errors, csp_errors

"""The production rehearsal (tests/deploy/conftest.py): what a visitor gets through the real proxy.

Each test uses its own client addresses, so one test's counts never limit another's.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.deploy.conftest import CANARY_AGENT, HOST, SITE_CONF, ProductionSite
from tests.deploy.journey import answer_up_to_files, disclose, follow_up_sign_in, post

HSTS = "max-age=63072000; includeSubDomains; preload"
MB = 1024 * 1024


def header_values(r: requests.Response, name: str) -> list[str]:
    """Every value of a header, repeated ones too (requests joins them with commas)."""
    return r.raw.headers.getlist(name)


def test_https_serves_and_plain_http_only_redirects(production_site: ProductionSite) -> None:
    s = production_site.client("127.0.0.2")
    # Given a visitor who types the address without https
    r = s.get(f"{production_site.http_base}/report/risk/?from=poster", allow_redirects=False)
    # Then nginx sends them to the HTTPS site, the same path, and shows nothing itself
    assert r.status_code == 301
    assert r.headers["Location"] == f"https://{HOST}/report/risk/?from=poster"
    assert "govuk" not in r.text
    # And over HTTPS the public pages answer, through the proxy, from the app
    for path in ["/", "/report/risk/", "/follow-up/"]:
        page = s.get(f"{production_site.base}{path}", timeout=60)
        assert page.status_code == 200, path
        assert page.headers["Server"] == "nginx", "server_tokens off: no version"
        assert "govuk-template" in page.text or "govuk-" in page.text


@pytest.mark.parametrize("path", ["/", "/report/risk/", "/follow-up/", "/staff/account/sign-in/"])
def test_security_headers_arrive_through_the_proxy(
    production_site: ProductionSite, path: str
) -> None:
    r = production_site.client("127.0.0.2").get(f"{production_site.base}{path}", timeout=60)
    assert r.status_code == 200
    # Exactly one HSTS header (nginx must not add a second to the app's)
    assert header_values(r, "Strict-Transport-Security") == [HSTS]
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "same-origin"
    # Pages are not compressed by the proxy (BREACH): only static files are
    assert "Content-Encoding" not in r.headers


def test_every_cookie_of_the_public_journey_is_secure(production_site: ProductionSite) -> None:
    s = production_site.client("127.0.0.2")
    set_cookies: list[str] = []
    r = s.get(f"{production_site.base}/report/risk/", timeout=60)
    set_cookies += header_values(r, "Set-Cookie")
    r = post(production_site, s, "/report/risk/", {"risk": "no"})
    assert r.status_code == 302
    set_cookies += header_values(r, "Set-Cookie")
    names = {c.split("=", 1)[0] for c in set_cookies}
    assert {"csrftoken", "sessionid"} <= names, set_cookies
    for cookie in set_cookies:
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, cookie
        assert "samesite=lax" in cookie.lower() or "samesite=strict" in cookie.lower(), cookie


def test_disclosure_without_javascript_through_the_proxy_lands_in_postgresql(
    production_site: ProductionSite,
) -> None:
    site = production_site
    before = int(site.sql("SELECT count(*) FROM cases_disclosure"))
    s = site.client("127.0.0.3")
    # When a whistleblower walks the form with plain HTML forms (no JavaScript) over HTTPS
    reference, receipt = disclose(site, s, "Rehearsal: the fire doors are chained shut.")
    # Then the disclosure is stored in PostgreSQL under the reference they were shown
    assert int(site.sql("SELECT count(*) FROM cases_disclosure")) == before + 1
    assert reference in site.sql("SELECT string_agg(reference, ' ') FROM cases_disclosure").split()
    # And neither what they wrote nor their address is anywhere in a dump of the database
    dump = site.dump()
    assert b"fire doors" not in dump
    assert b"127.0.0.3" not in dump
    # And the receipt opens their follow-up inbox
    r = follow_up_sign_in(site, s, receipt)
    assert r.status_code == 302 and r.headers["Location"] == "/follow-up/inbox/"
    inbox = s.get(f"{site.base}/follow-up/inbox/", timeout=60)
    assert inbox.status_code == 200 and reference in inbox.text


def test_the_app_sees_each_client_and_ignores_a_forged_forwarded_for(
    production_site: ProductionSite,
) -> None:
    site = production_site
    # Given client A guessing receipts while writing a new address into X-Forwarded-For
    # (and X-Real-IP) on every attempt, as if each guess came from someone else
    a = site.client("127.0.0.4")
    statuses = []
    for i in range(20):
        forged = f"198.51.100.{i + 10}"
        r = follow_up_sign_in(
            site, a, f"wrong receipt {i}", **{"X-Forwarded-For": forged, "X-Real-IP": forged}
        )
        statuses.append(r.status_code)
        if r.status_code == 429:
            break
    # Then the forged addresses are not believed: A is limited as the one client it is
    assert statuses[-1] == 429, statuses
    assert "too many" in r.text.lower()
    # And B, connecting from another address, is a different client to the app: its wrong
    # receipt is simply wrong (400), not refused because of A
    b = site.client("127.0.0.5")
    r = follow_up_sign_in(site, b, "another wrong receipt")
    assert r.status_code == 400, r.status_code
    assert "too many" not in r.text.lower()


def test_static_files_come_from_nginx_with_long_caching(production_site: ProductionSite) -> None:
    s = production_site.client("127.0.0.2")
    page = s.get(f"{production_site.base}/", timeout=60).text
    found = re.search(r'href="(/static/[^"]+\.([0-9a-f]{12})\.css)"', page)
    assert found, "the stylesheet is linked under its hashed name"
    hashed, digest = found.group(1), found.group(2)
    r = s.get(f"{production_site.base}{hashed}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    # A hashed name never changes content: cached for a year
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # collectstatic's pre-compressed copy, sent by nginx (gzip_static)
    assert r.headers.get("Content-Encoding") == "gzip"
    assert header_values(r, "Strict-Transport-Security") == [HSTS]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # Served by nginx, not by the app: WhiteNoise would add Access-Control-Allow-Origin and
    # Django's Referrer-Policy, and cache for ten years
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Referrer-Policy" not in r.headers
    # The same file under its plain name may change with a release: cached for an hour
    plain = hashed.replace(f".{digest}.", ".")
    r = s.get(f"{production_site.base}{plain}")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=3600"
    # A missing static file is nginx's 404, not a trip to the app
    r = s.get(f"{production_site.base}/static/no-such-file.0123456789ab.css")
    assert r.status_code == 404
    assert "Content-Security-Policy" not in r.headers


def _nginx_body_limit() -> int:
    found = re.search(r"^\s*client_max_body_size (\d+)m;", SITE_CONF.read_text(), re.M)
    assert found
    return int(found.group(1)) * MB


def _upload(site: ProductionSite, s: requests.Session, size: int) -> requests.Response:
    return s.post(
        f"{site.base}/report/files/",
        data={"action": "upload", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        files={"file": ("evidence.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")},
        allow_redirects=False,
        timeout=120,
    )


def test_a_file_over_the_limit_gets_a_clear_page_not_a_bare_413(
    production_site: ProductionSite,
) -> None:
    from whistledesk.intake.uploads import MAX_BODY_BYTES

    site = production_site
    s = site.client("127.0.0.6")
    answer_up_to_files(site, s)
    # The proxy must let through anything the app would accept, and then some, so the app
    # itself explains a file that is slightly too large
    nginx_limit = _nginx_body_limit()
    assert MAX_BODY_BYTES < nginx_limit <= MAX_BODY_BYTES + 2 * MB, (MAX_BODY_BYTES, nginx_limit)
    # When the file is just over the app's limit
    r = _upload(site, s, MAX_BODY_BYTES + 1024)
    # Then the app's own page says what to do, in the service's layout
    assert r.status_code == 413
    assert "govuk-error-summary" in r.text
    assert "must be smaller than" in r.text
    # When the file is over even the proxy's limit
    r = _upload(site, s, nginx_limit + MB)
    # Then nginx's page says the same, not its bare "413 Request Entity Too Large"
    assert r.status_code == 413
    assert "Request Entity Too Large" not in r.text
    assert "The file is too large" in r.text and "must be smaller than" in r.text
    assert header_values(r, "Strict-Transport-Security") == [HSTS]
    # And the whistleblower's answers are untouched: the form goes on from "Add files"
    r = post(site, s, "/report/files/", {"action": "continue"})
    assert r.status_code == 302 and r.headers["Location"] == "/report/check/"


def test_no_log_holds_a_client_address_or_agent(production_site: ProductionSite) -> None:
    site = production_site
    canary = "127.0.0.9"
    forged = "203.0.113.77"
    s = site.client(canary)
    s.headers["X-Forwarded-For"] = forged
    # Given a visitor who reads public pages, mistypes an address, fails a receipt, sends an
    # oversized file and arrives over plain HTTP
    s.get(f"{site.base}/?utm_source=canary-query", timeout=60)
    s.get(f"{site.base}/report/risk/", timeout=60)
    assert s.get(f"{site.base}/no-such-page/", timeout=60).status_code == 404
    follow_up_sign_in(site, s, "canary wrong receipt")
    answer_up_to_files(site, s)
    assert _upload(site, s, _nginx_body_limit() + MB).status_code == 413
    s.get(f"{site.http_base}/report/risk/", allow_redirects=False, timeout=60)
    logs = site.log_text()
    # Then the access log records the requests (so logging works)...
    assert '"GET /no-such-page/" 404' in logs["nginx access"]
    # (nginx logs its own 413 page under the error page's address: the internal redirect)
    assert '"GET /too-large.html" 413' in logs["nginx access"]
    # ...and no log anywhere holds the address, the forged address, the agent or the query
    for name, text in logs.items():
        for secret in (canary, forged, CANARY_AGENT, "canary-query", "canary wrong receipt"):
            assert secret not in text, f"{secret!r} is in the {name} log"
    # Nor any other client address of this session's visitors (127.0.0.2 and up)
    for name, text in logs.items():
        assert not re.search(r"127\.0\.0\.(?!1\b)\d+", text), f"a client address in {name}"

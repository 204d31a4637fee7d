"""Abuse resistance and privacy on the public pages: CSP, CSRF, no inline code, nothing kept
about the client, and a receipt that never reaches a log or the database."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from tests.intake.conftest import CANARY_SENTENCE, submit, walk

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/report/risk/",
    "/report/emergency/",
    "/report/service/",
    "/report/setting/",
    "/report/what-happened/",
    "/report/raised-before/",
    "/report/raised-details/",
    "/report/your-role/",
    "/report/identity/",
    "/report/contact/",
    "/report/files/",
    "/report/check/",
    "/follow-up/",
]


def _visit_all(client: Any, organisation: Any) -> list[tuple[str, Any]]:
    walk(client, organisation, risk="yes", raised="yes", identity="open")
    return [(url, client.get(url)) for url in PUBLIC_PAGES]


def test_every_public_page_has_strict_csp_and_no_inline_code(
    client: Any, organisation: Any
) -> None:
    for url, response in _visit_all(client, organisation):
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        html = response.content.decode()
        # Every <script> has a src; no style attributes, no <style> blocks, no on* handlers
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        # Nothing loaded from another origin
        assert not re.search(r'(src|href)="https?://(?!example\.org)', html), url


def test_forms_need_a_csrf_token(organisation: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/report/risk/", {"risk": "no"}).status_code == 403
    assert strict.post("/follow-up/", {"receipt": "a b c"}).status_code == 403
    page = strict.get("/report/risk/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_receipt_never_logged_nor_stored(
    client: Any, organisation: Any, caplog: Any, officer_client: Any
) -> None:
    # Given every logger listens at DEBUG
    caplog.set_level(logging.DEBUG)
    # When a disclosure is sent, staff read and reply, and the source signs in and replies
    reference, receipt = submit(client, organisation)
    officer_client.get(f"/staff/cases/{reference}/content/")
    officer_client.post(f"/staff/cases/{reference}/move/acknowledged/")
    officer_client.post(f"/staff/cases/{reference}/reply/", {"text": "Thanks"})
    source = Client()
    source.post("/follow-up/", {"receipt": receipt})
    source.post("/follow-up/inbox/", {"text": "Reply"})
    source.post("/follow-up/", {"receipt": receipt + " extra"})  # a wrong one too
    # Then the receipt (or any of its words in sequence) is in no log record
    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert receipt not in logged
    assert " ".join(receipt.split()[:3]) not in logged
    # And in no column of any table, in clear
    needle = receipt.encode()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                for value in row:
                    raw = value if isinstance(value, bytes | memoryview) else str(value).encode()
                    assert needle not in bytes(raw), table


def test_session_table_holds_no_answers_in_clear(client: Any, organisation: Any) -> None:
    walk(client, organisation)
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert CANARY_SENTENCE not in decoded
        assert "Thistlewood" not in decoded


def test_no_ip_address_or_user_agent_kept(organisation: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    visitor = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="CanaryBrowser/9.9")
    reference, receipt = submit(visitor, organisation)
    visitor.post("/follow-up/", {"receipt": receipt})
    visitor.post("/follow-up/", {"receipt": "wrong wrong wrong"})
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump, table
            assert "CanaryBrowser" not in dump, table
    for session in Session.objects.all():
        assert "203.0.113.77" not in str(session.get_decoded())
    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert "203.0.113.77" not in logged
    assert "CanaryBrowser" not in logged


def test_public_pages_are_not_cached(client: Any, organisation: Any) -> None:
    for url, response in _visit_all(client, organisation):
        if url == "/":
            continue
        assert "no-store" in response["Cache-Control"], url

"""Hostile input on every public page: nothing a client sends may cause a 500, lose or
half-write what was stored, or put an address, user agent or receipt in a log line.

Django's test client is used with raise_request_exception=False so that an unhandled
exception shows up as a 500 status, exactly as a person would see it. What the test client
cannot send (a Content-Length larger than the body, a truncated multipart body, raw bytes in
the request line) is sent over a socket to a real gunicorn in test_hostile_http.py.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from tests.intake.conftest import CANARY_SENTENCE, answers_for, walk
from whistledesk.cases.models import Disclosure
from whistledesk.core.session_vault import COOKIE_NAME as VAULT_COOKIE

pytestmark = pytest.mark.django_db

IP = "198.51.100.23"
AGENT = "HostileCanaryAgent/6.6"
STEPS = [
    "risk",
    "emergency",
    "service",
    "setting",
    "what-happened",
    "raised-before",
    "raised-details",
    "your-role",
    "identity",
    "contact",
]
PUBLIC_URLS = [
    "/",
    *[f"/report/{s}/" for s in STEPS],
    "/report/files/",
    "/report/check/",
    "/report/sent/",
    "/follow-up/",
    "/follow-up/inbox/",
    "/follow-up/files/1/",
    "/follow-up/sign-out/",
]
RECEIPT_RE = re.compile(r'id="receipt"[^>]*>([^<]+)<')
PAGES_WITH_SECRETS = ["/report/sent/", "/follow-up/", "/follow-up/inbox/", "/report/check/"]


# -- helpers ------------------------------------------------------------------------------


def hostile_client(**defaults: Any) -> Client:
    """A client that shows a server error as a 500 status, as a browser would see it."""
    return Client(raise_request_exception=False, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, **defaults)


def text(response: Any) -> str:
    return response.content.decode("utf-8", "replace")


def assert_handled(response: Any, where: str = "") -> None:
    """Below 500, and any page shown is ours: no traceback, no Django debug page."""
    assert response.status_code < 500, (where, response.status_code, text(response)[:1500])
    body = text(response)
    assert "Traceback" not in body, where
    assert "django.core" not in body and "File &quot;" not in body, where


def assert_says_what_to_fix(response: Any, *phrases: str) -> None:
    body = text(response)
    assert "There is a problem" in body or "govuk-error" in body, body[:2000]
    for phrase in phrases:
        assert phrase in body, (phrase, body[:3000])


def post_raw(client: Client, url: str, body: bytes, content_type: str, **extra: Any) -> Any:
    return client.generic("POST", url, data=body, content_type=content_type, **extra)


def fork(client: Client) -> Client:
    """A second browser holding a copy of the first one's session as it is now.

    This is what a double-click or a second tab sees when its request reads the session
    before the first request has written it back: the same draft, the same vault key.
    """
    store = SessionStore(session_key=client.cookies["sessionid"].value)
    copy = SessionStore()
    for key, value in store.load().items():
        copy[key] = value
    copy.create()
    for key, value in store.load().items():
        copy[key] = value
    copy.save()
    twin = hostile_client()
    twin.cookies = SimpleCookie()
    twin.cookies["sessionid"] = copy.session_key or ""
    twin.cookies[VAULT_COOKIE] = client.cookies[VAULT_COOKIE].value
    return twin


def receipt_of(response: Any) -> str | None:
    found = RECEIPT_RE.search(text(response))
    return found.group(1).strip() if found else None


def multipart(fields: dict[str, str], files: list[tuple[str, str, str, bytes]]) -> bytes:
    """A multipart/form-data body with boundary XyZ; files are (field, name, type, data)."""
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(b"--XyZ\r\n")
        out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for field, filename, ctype, data in files:
        out.write(b"--XyZ\r\n")
        disposition = f'Content-Disposition: form-data; name="{field}"; filename="{filename}"'
        out.write(disposition.encode("utf-8", "surrogateescape") + b"\r\n")
        out.write(f"Content-Type: {ctype}\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(b"--XyZ--\r\n")
    return out.getvalue()


MULTIPART = "multipart/form-data; boundary=XyZ"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        parts = [record.getMessage(), repr(record.args)]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        # Extras a structured handler might write out (request, status_code...).
        parts += [repr(v) for k, v in vars(record).items() if k not in ("msg", "args")]
        self.lines.append("\n".join(parts))


@pytest.fixture
def all_logs() -> Iterator[_Collect]:
    """Every logger, including those that do not propagate, at DEBUG, into one list."""
    handler = _Collect()
    loggers = [logging.getLogger()] + [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if lg is logging.getLogger() or not lg.propagate:
            lg.addHandler(handler)
    yield handler
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled
        if handler in lg.handlers:
            lg.removeHandler(handler)


@pytest.fixture
def visitor() -> Client:
    return hostile_client()


@pytest.fixture
def walked_visitor(visitor: Client, organisation: Any) -> Client:
    walk(visitor, organisation)
    return visitor


def send(client: Client) -> Any:
    """Press "Send" and follow to the receipt page."""
    response = client.post("/report/check/", {"confirm_address": ""})
    assert response.status_code == 302, text(response)[:2000]
    return response


# -- methods and missing state on every URL ------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch", "head", "options"])
def test_every_public_url_handles_every_method_with_no_state(
    visitor: Client, organisation: Any, method: str
) -> None:
    # Given a browser with no session, no vault and no draft
    for url in PUBLIC_URLS:
        # When any method is used on any public URL, with no body at all
        response = getattr(visitor, method)(url)
        # Then the answer is handled: a page, a redirect or 405, never a server error
        assert_handled(response, f"{method} {url}")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_every_public_url_refuses_other_methods_on_a_draft(
    walked_visitor: Client, method: str
) -> None:
    for url in PUBLIC_URLS:
        response = getattr(walked_visitor, method)(url, data=b"x=1")
        assert_handled(response, f"{method} {url}")
        assert response.status_code in (302, 405), (method, url, response.status_code)
    # And the draft is still whole: the check page shows it
    assert CANARY_SENTENCE in text(walked_visitor.get("/report/check/"))


def test_head_does_not_use_up_the_receipt(walked_visitor: Client) -> None:
    # Given a disclosure has just been sent
    send(walked_visitor)
    # When something asks for the receipt page with HEAD (a link checker, a prefetch)
    head = walked_visitor.head("/report/sent/")
    assert_handled(head)
    # Then the person still gets their receipt once with GET
    assert receipt_of(walked_visitor.get("/report/sent/"))


def test_jumping_straight_to_later_steps_goes_back_to_the_first_unanswered(
    visitor: Client, organisation: Any
) -> None:
    for url in ["/report/contact/", "/report/check/", "/report/files/", "/report/identity/"]:
        response = visitor.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/report/risk/", url
    # Sending with no draft sends nothing
    response = visitor.post("/report/check/", {})
    assert response.status_code == 302 and response["Location"] == "/report/risk/"
    assert Disclosure.objects.count() == 0
    # The receipt page with nothing to show says so, without an error
    page = visitor.get("/report/sent/")
    assert page.status_code == 200
    assert "already been shown" in text(page)
    # And the inbox asks to sign in
    assert visitor.get("/follow-up/inbox/")["Location"] == "/follow-up/"


def test_unknown_step_slugs_are_not_found(visitor: Client, organisation: Any) -> None:
    for url in ["/report/sent2/", "/report/..%2f..%2fetc/", "/report/%00/", "/report/x" * 300]:
        response = visitor.get(url)
        assert_handled(response, url)
        assert response.status_code == 404, url


# -- missing, unknown, huge and strange field values ---------------------------------------


def test_every_step_with_missing_fields_says_what_to_answer(
    visitor: Client, organisation: Any
) -> None:
    pages = answers_for(organisation, risk="yes", raised="yes", identity="open")
    expected = {
        "risk": "Select yes if a child is at risk",
        "service": "Select what your concern is about",
        "setting": "Enter the name of the organisation or setting",
        "what-happened": "Enter what happened",
        "raised-before": "Select yes if you have raised this concern before",
        "raised-details": "Enter who you raised the concern with",
        "your-role": "Select your connection to the organisation",
        "identity": "Select anonymous, confidential or open",
        "contact": "Enter your full name",
    }
    for slug, data in pages:
        if slug in expected:
            # When the page is sent with nothing filled in
            response = visitor.post(f"/report/{slug}/", {})
            assert_handled(response, slug)
            # Then it says which answer is missing, and the person stays on the page
            assert_says_what_to_fix(response, expected[slug])
        assert visitor.post(f"/report/{slug}/", data).status_code == 302, slug


def test_unknown_fields_are_ignored_and_never_stored(visitor: Client, organisation: Any) -> None:
    pages = answers_for(organisation)
    for slug, data in pages:
        extra = {"is_staff": "1", "answers": "{}", "files_done": "1", "wd_injected": "Zqxjkv"}
        response = visitor.post(f"/report/{slug}/", {**data, **extra})
        assert response.status_code == 302, slug
    # files_done sent on a step did not skip the files page
    response = visitor.get("/report/check/")
    assert response["Location"] == "/report/files/"
    visitor.post("/report/files/", {"action": "continue"})
    assert "Zqxjkv" not in text(visitor.get("/report/check/"))


def test_a_megabyte_narrative_is_refused_with_the_limit(visitor: Client, organisation: Any) -> None:
    for slug, data in answers_for(organisation)[:3]:
        visitor.post(f"/report/{slug}/", data)
    response = visitor.post("/report/what-happened/", {"narrative": "a" * 1_000_000})
    assert_handled(response)
    assert_says_what_to_fix(response, "What happened must be 10,000 characters or fewer")
    # A 1 MB receipt and a 1 MB message are refused too
    response = visitor.post("/follow-up/", {"receipt": "b" * 1_000_000})
    assert_handled(response)
    assert_says_what_to_fix(response, "Enter your receipt exactly as it was shown to you")


def test_bodies_over_the_limits_are_bad_requests_not_errors(
    walked_visitor: Client,
) -> None:
    huge = "a" * (3 * 1024 * 1024)
    for url in ["/report/what-happened/", "/report/check/", "/follow-up/", "/report/files/"]:
        response = walked_visitor.post(url, {"narrative": huge, "receipt": huge})
        assert_handled(response, url)
        assert response.status_code in (400, 413), (url, response.status_code)
    many = "&".join(f"f{i}=x" for i in range(10_000)).encode()
    for url in ["/report/risk/", "/report/check/", "/follow-up/", "/report/files/"]:
        response = post_raw(walked_visitor, url, many, "application/x-www-form-urlencoded")
        assert_handled(response, url)
        assert response.status_code == 400, (url, response.status_code)
    # Ten thousand file parts in one multipart body
    parts = multipart({}, [("file", f"{i}.txt", "text/plain", b"x") for i in range(10_000)])
    response = post_raw(walked_visitor, "/report/files/", parts, MULTIPART)
    assert_handled(response)
    # And the draft survived all of it
    assert CANARY_SENTENCE in text(walked_visitor.get("/report/check/"))


def test_nul_bytes_are_refused_with_a_message(visitor: Client, organisation: Any) -> None:
    response = visitor.post("/report/risk/", {"risk": "no\x00"})
    assert_handled(response)
    assert_says_what_to_fix(response, "Select yes if a child is at risk")
    for slug, data in answers_for(organisation)[1:3]:
        visitor.post("/report/risk/", {"risk": "no"})
        visitor.post(f"/report/{slug}/", data)
    response = visitor.post("/report/what-happened/", {"narrative": "bad\x00value"})
    assert_handled(response)
    assert_says_what_to_fix(response, "Null characters are not allowed")
    response = visitor.post("/follow-up/", {"receipt": "apple\x00 pear"})
    assert_handled(response)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "raw",
    [
        b"narrative=%ff%fe%fd",  # invalid UTF-8
        b"narrative=%ed%a0%80lone",  # an encoded lone surrogate (not valid UTF-8)
        b"narrative=\xff\xfe raw bytes",  # raw invalid bytes, not even percent-encoded
        b"narrative=%c0%80overlong",
        b"narrative=ok&narrative=%ff",
        b"%ff%fe=value",
        b"narrative",
        b"=&&==&",
    ],
)
def test_invalid_utf8_in_form_values_is_handled(
    visitor: Client, organisation: Any, raw: bytes
) -> None:
    for slug, data in answers_for(organisation)[:3]:
        visitor.post(f"/report/{slug}/", data)
    response = post_raw(visitor, "/report/what-happened/", raw, "application/x-www-form-urlencoded")
    assert_handled(response)
    response = post_raw(
        visitor,
        "/follow-up/",
        raw.replace(b"narrative", b"receipt"),
        "application/x-www-form-urlencoded",
    )
    assert_handled(response)
    assert response.status_code == 400
    # Whatever was kept, the later pages and the check page still render
    assert_handled(visitor.get("/report/what-happened/"))


def test_invalid_charset_declarations_are_handled(visitor: Client, organisation: Any) -> None:
    for ctype in [
        "application/x-www-form-urlencoded; charset=no-such-charset",
        "application/x-www-form-urlencoded; charset=utf-16",
        "multipart/form-data",  # no boundary
        "multipart/form-data; boundary=",
        "text/plain",
        "application/json",
    ]:
        for url in ["/report/risk/", "/follow-up/", "/report/check/", "/report/files/"]:
            response = post_raw(visitor, url, b"risk=no&receipt=a", ctype)
            assert_handled(response, f"{ctype} {url}")


@pytest.mark.parametrize(
    "query",
    [
        "change=%ff",
        "change=%00",
        "change=1%ed%a0%80",
        "%ff=%fe",
        "change=" + "1" * 100_000,
        "a=\x00",
    ],
)
def test_strange_query_strings_are_handled(walked_visitor: Client, query: str) -> None:
    for url in [
        "/",
        "/report/risk/",
        "/report/check/",
        "/report/sent/",
        "/follow-up/",
        "/report/files/",
    ]:
        response = walked_visitor.get(url, QUERY_STRING=query)
        assert_handled(response, f"{url}?{query}")
        response = walked_visitor.post(f"{url}?{query}", {"risk": "no"})
        assert_handled(response, f"POST {url}?{query}")


# -- CSRF, vault and session cookies -------------------------------------------------------


def test_a_replayed_or_foreign_csrf_token_is_refused_with_a_clear_page(organisation: Any) -> None:
    first = Client(enforce_csrf_checks=True, raise_request_exception=False)
    first.get("/report/risk/")
    old_token = first.cookies["csrftoken"].value
    other = Client(enforce_csrf_checks=True, raise_request_exception=False)
    other.get("/report/risk/")
    for url, data in [
        ("/report/risk/", {"risk": "no"}),
        ("/follow-up/", {"receipt": "a b"}),
        ("/report/check/", {}),
        ("/follow-up/sign-out/", {}),
    ]:
        # A token taken from another browser
        response = other.post(url, {**data, "csrfmiddlewaretoken": old_token})
        assert response.status_code == 403, url
        assert "reload the page" in text(response)
    # The upload page reads its body later: a wrong token there is refused the same way
    body = multipart({"csrfmiddlewaretoken": old_token}, [("file", "a.txt", "text/plain", b"hi")])
    response = post_raw(other, "/report/files/", body, MULTIPART)
    assert response.status_code == 403
    assert "reload the page" in text(response)
    # The token from before a sign-out no longer works once the cookie has changed
    first.cookies.pop("csrftoken")
    response = first.post("/report/risk/", {"risk": "no", "csrfmiddlewaretoken": old_token})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "garbage",
        "!!!!",
        "é" * 10,
        "A" * 43,  # 32 bytes of zeros: a well-formed key that decrypts nothing
        base64.urlsafe_b64encode(b"\x01" * 32).decode(),
        "=" * 44,
        "x" * 4000,
    ],
)
def test_a_garbage_vault_cookie_loses_the_draft_but_not_the_page(
    walked_visitor: Client, cookie: str
) -> None:
    walked_visitor.cookies[VAULT_COOKIE] = cookie
    # When the person presses Send
    response = walked_visitor.post("/report/check/", {})
    # Then nothing is sent (the draft cannot be read) and they are taken back to the start
    assert_handled(response)
    assert response.status_code == 302 and response["Location"] == "/report/risk/"
    assert Disclosure.objects.count() == 0
    # And a page answered now is kept, with a message that earlier answers have gone
    response = walked_visitor.post("/report/setting/", {"setting_name": "Oak School"}, follow=True)
    assert_handled(response)
    assert "Please answer the other questions again" in text(response)
    for url in PUBLIC_URLS:
        assert_handled(walked_visitor.get(url), url)


def test_no_vault_cookie_at_all_on_every_post(walked_visitor: Client) -> None:
    del walked_visitor.cookies[VAULT_COOKIE]
    for url in PUBLIC_URLS:
        assert_handled(walked_visitor.post(url, {"risk": "no", "receipt": "x"}), url)
    assert Disclosure.objects.count() == 0


@pytest.mark.parametrize("session", ["", "nonexistent", "x" * 5000, "../../etc/passwd", "é"])
def test_a_garbage_or_expired_session_cookie_is_a_fresh_start(
    walked_visitor: Client, session: str
) -> None:
    walked_visitor.cookies["sessionid"] = session
    for url in PUBLIC_URLS:
        assert_handled(walked_visitor.get(url), url)
        assert_handled(walked_visitor.post(url, {"risk": "no"}), url)
    assert Disclosure.objects.count() == 0


# -- receipts ------------------------------------------------------------------------------


def _sent(organisation: Any) -> str:
    sender = hostile_client()
    walk(sender, organisation)
    send(sender)
    receipt = receipt_of(sender.get("/report/sent/"))
    assert receipt
    return receipt


def test_receipt_variants_are_refused_with_a_clear_message(organisation: Any) -> None:
    receipt = _sent(organisation)
    # Cyrillic letters that look like Latin ones: not the receipt
    confusable = receipt.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")
    cases = [
        (confusable, "We could not find a disclosure with that receipt"),
        ("word " * 2000, "Enter your receipt exactly as it was shown to you"),
        (" " * 50, "Enter your receipt"),
        ("\t\n\r ", "Enter your receipt"),
        ("\u200b" * 5, "We could not find a disclosure with that receipt"),
    ]
    for typed, message in cases:
        if typed == confusable and typed == receipt:
            continue
        person = hostile_client()
        response = person.post("/follow-up/", {"receipt": typed})
        assert_handled(response, repr(typed[:20]))
        assert response.status_code == 400, ascii(typed[:20])
        assert_says_what_to_fix(response, message)
        # And the person is not signed in
        assert person.get("/follow-up/inbox/")["Location"] == "/follow-up/"
    # The real receipt, typed in capitals with extra spaces and hyphens, still works
    person = hostile_client()
    typed = "  " + "-".join(receipt.upper().split()) + "  "
    assert person.post("/follow-up/", {"receipt": typed})["Location"] == "/follow-up/inbox/"


def test_a_signed_in_source_survives_hostile_inbox_posts(organisation: Any) -> None:
    receipt = _sent(organisation)
    person = hostile_client()
    person.post("/follow-up/", {"receipt": receipt})
    for data in [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 20_000}, {"text": "a\x00b"}]:
        response = person.post("/follow-up/inbox/", data)
        assert_handled(response, repr(data)[:40])
        assert response.status_code == 400, repr(data)[:40]
        assert_says_what_to_fix(response)
    for raw in [b"text=%ff%fe", b"%ff=1", b"text=ok&text=%ed%a0%80"]:
        assert_handled(
            post_raw(person, "/follow-up/inbox/", raw, "application/x-www-form-urlencoded")
        )
    for attachment_id in ["0", "99999999", "-1", "1" * 30]:
        assert_handled(person.get(f"/follow-up/files/{attachment_id}/"), attachment_id)
    # A garbage vault cookie signs the person out rather than failing
    person.cookies[VAULT_COOKIE] = "A" * 43
    response = person.get("/follow-up/inbox/")
    assert response.status_code == 302 and response["Location"] == "/follow-up/"


# -- uploads -------------------------------------------------------------------------------


def _upload(client: Client, name: str, ctype: str, data: bytes) -> Any:
    body = multipart({"action": "upload"}, [("file", name, ctype, data)])
    return post_raw(client, "/report/files/", body, MULTIPART)


def test_uploads_with_lying_types_empty_files_and_hostile_names(
    walked_visitor: Client, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # A Windows program calling itself a JPEG
    response = _upload(walked_visitor, "holiday.jpg", "image/jpeg", b"MZ\x90\x00" + b"\x00" * 64)
    assert_handled(response)
    assert_says_what_to_fix(response, "The file is not a type we accept")
    # A zero-byte file
    response = _upload(walked_visitor, "empty.pdf", "application/pdf", b"")
    assert_handled(response)
    assert_says_what_to_fix(response, "The selected file is empty")
    # Plain text that claims to be a PDF is kept as what it is
    response = _upload(walked_visitor, "notes.pdf", "application/pdf", b"plain words")
    assert response.status_code == 302
    # Names that try to climb out of a directory, are very long or hold control characters
    hostile_names = [
        "../../../../etc/passwd",
        "..\\..\\windows\\system32\\evil.txt",
        "a" * 1000 + ".txt",
        "bell\x07tab\tnewline.txt",
        "\u202egnp.txt",  # right-to-left override
        "....",
    ]
    for name in hostile_names:
        response = _upload(walked_visitor, name, "text/plain", b"a note")
        assert_handled(response, repr(name[:30]))
        assert response.status_code in (302, 400), repr(name[:30])
    page = text(walked_visitor.get("/report/files/"))
    assert "passwd" in page  # the last part of the name is kept
    assert "../" not in page and "..\\" not in page and "\x07" not in page
    assert "a" * 151 not in page
    # Nothing was written to disk by any of it
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))
    # A NUL byte in the multipart file name
    body = multipart({"action": "upload"}, [("file", "x", "text/plain", b"hi")])
    body = body.replace(b'filename="x"', b'filename="na\x00me.txt"')
    assert_handled(post_raw(walked_visitor, "/report/files/", body, MULTIPART))
    # And everything still sends as one disclosure
    walked_visitor.post("/report/files/", {"action": "continue"})
    send(walked_visitor)
    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not multipart at all",
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf',
        b"--XyZ\r\n\r\n\r\n--XyZ--",
        b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--\r\n",
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--XyZ--\r\n",
        b'--XyZ\r\nContent-Disposition: form-data; name="action"\r\n' + b"X-Pad: y\r\n" * 5000,
        b"--XyZ--\r\n",
        b"",
    ],
)
def test_malformed_or_truncated_multipart_is_handled(
    walked_visitor: Client, organisation: Any, body: bytes
) -> None:
    response = post_raw(walked_visitor, "/report/files/", body, MULTIPART)
    assert_handled(response)
    receipt = _sent(organisation)
    source = hostile_client()
    source.post("/follow-up/", {"receipt": receipt})
    assert_handled(post_raw(source, "/follow-up/inbox/", body, MULTIPART))
    # The draft is untouched
    assert CANARY_SENTENCE in text(walked_visitor.get("/report/check/"))


def test_a_declared_length_over_the_cap_is_refused_before_reading(walked_visitor: Client) -> None:
    body = multipart({"action": "upload"}, [("file", "a.txt", "text/plain", b"hello")])
    response = post_raw(
        walked_visitor, "/report/files/", body, MULTIPART, CONTENT_LENGTH=str(50 * 1024 * 1024)
    )
    assert_handled(response)
    assert response.status_code == 413
    assert_says_what_to_fix(response, "smaller than 10 MB")
    for bad in ["-1", "abc", "1e9", " "]:
        response = post_raw(walked_visitor, "/report/files/", body, MULTIPART, CONTENT_LENGTH=bad)
        assert_handled(response, bad)


# -- sending twice, going back, two browsers -----------------------------------------------


def test_pressing_send_twice_in_a_row_sends_once_and_still_shows_the_receipt(
    walked_visitor: Client,
) -> None:
    # Given the person presses Send, and again before the receipt page loads
    first = send(walked_visitor)
    second = walked_visitor.post("/report/check/", {})
    assert_handled(second)
    # Then only one disclosure exists
    assert Disclosure.objects.count() == 1
    # And the browser, which shows the second answer, still reaches the receipt, once
    assert second["Location"] == first["Location"] == "/report/sent/"
    assert receipt_of(walked_visitor.get("/report/sent/"))
    assert receipt_of(walked_visitor.get("/report/sent/")) is None


def test_a_concurrent_second_send_on_the_same_draft_creates_nothing_new(
    walked_visitor: Client,
) -> None:
    # Given a second request that read the session before the first one wrote it back
    twin = fork(walked_visitor)
    # When both are sent
    send(walked_visitor)
    second = twin.post("/report/check/", {})
    assert_handled(second)
    # Then there is still exactly one disclosure
    assert Disclosure.objects.count() == 1
    # And both browsers are shown the same receipt for it, each at most once
    assert second["Location"] == "/report/sent/"
    shown_twin = receipt_of(twin.get("/report/sent/"))
    shown_first = receipt_of(walked_visitor.get("/report/sent/"))
    assert shown_twin and shown_twin == shown_first
    assert receipt_of(twin.get("/report/sent/")) is None
    # And it signs in to that one disclosure
    person = hostile_client()
    assert person.post("/follow-up/", {"receipt": shown_twin})["Location"] == "/follow-up/inbox/"


def test_back_after_sending_never_shows_the_receipt_again(walked_visitor: Client) -> None:
    send(walked_visitor)
    assert receipt_of(walked_visitor.get("/report/sent/"))
    # Back to the check page, or the browser resending the form
    back = walked_visitor.get("/report/check/")
    assert back.status_code == 302 and back["Location"] == "/report/risk/"
    again = walked_visitor.post("/report/check/", {})
    assert_handled(again)
    assert again["Location"] == "/report/risk/"
    page = walked_visitor.get("/report/sent/")
    assert receipt_of(page) is None and "already been shown" in text(page)
    assert Disclosure.objects.count() == 1
    # The pages of the old draft are empty: nothing of it can be read back
    assert CANARY_SENTENCE not in text(walked_visitor.get("/report/what-happened/"))


def test_two_browsers_on_one_draft(walked_visitor: Client, organisation: Any) -> None:
    # Given a second tab sharing the draft
    twin = hostile_client()
    twin.cookies = SimpleCookie(walked_visitor.cookies.output(header="", sep=";"))
    # When one tab changes to "confidential" while the other is on the check page
    assert twin.post("/report/identity/", {"identity": "confidential"}).status_code == 302
    # Then Send in the other tab does not send without the now-required details
    response = walked_visitor.post("/report/check/", {})
    assert response.status_code == 302 and response["Location"] == "/report/contact/"
    assert Disclosure.objects.count() == 0
    # And two browsers with separate drafts send two disclosures that do not mix
    other = hostile_client()
    walk(other, organisation, narrative="A different account entirely.")
    walked_visitor.post("/report/identity/", {"identity": "anonymous"})
    walked_visitor.post("/report/files/", {"action": "continue"})
    send(walked_visitor)
    send(other)
    assert Disclosure.objects.count() == 2


# -- headers and logs ----------------------------------------------------------------------


def test_headers_on_every_public_response(walked_visitor: Client, organisation: Any) -> None:
    responses = [(url, walked_visitor.get(url)) for url in PUBLIC_URLS]
    responses += [("bad POST", walked_visitor.post("/report/risk/", {"risk": "maybe"}))]
    responses += [("405", walked_visitor.put("/report/risk/"))]
    responses += [("404", walked_visitor.get("/report/nope/"))]
    responses += [
        (
            "400",
            post_raw(
                walked_visitor, "/report/risk/", b"a=1&" * 300, "application/x-www-form-urlencoded"
            ),
        )
    ]
    send(walked_visitor)
    responses += [("receipt", walked_visitor.get("/report/sent/"))]
    for where, response in responses:
        csp = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, where
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
        assert response.get("Referrer-Policy") == "same-origin", where
        assert response.get("X-Frame-Options") == "DENY", where
        assert response.get("X-Content-Type-Options") == "nosniff", where
    for url in PAGES_WITH_SECRETS:
        response = walked_visitor.get(url)
        assert "no-store" in response.get("Cache-Control", ""), url
    receipt_page = dict(responses)["receipt"]
    assert (
        "no-store" in receipt_page["Cache-Control"] and "private" in receipt_page["Cache-Control"]
    )


def test_no_log_line_holds_the_address_agent_or_receipt(
    organisation: Any, all_logs: _Collect, settings: Any
) -> None:
    # Given every logger records everything
    person = hostile_client()
    # When a hostile session runs: errors, bad cookies, bad bodies, a send, sign-ins
    walk(person, organisation)
    post_raw(person, "/report/risk/", b"a=1&" * 300, "application/x-www-form-urlencoded")
    post_raw(person, "/report/files/", b"--XyZ\r\nbroken", MULTIPART)
    person.put("/report/risk/")
    person.get("/report/nope/")
    send(person)
    receipt = receipt_of(person.get("/report/sent/"))
    assert receipt
    person.post("/follow-up/", {"receipt": receipt})
    person.post("/follow-up/inbox/", {"text": "hello"})
    person.post("/follow-up/", {"receipt": receipt + " extra"})
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    strict.post("/follow-up/", {"receipt": receipt})  # refused by CSRF
    for _ in range(8):
        hostile_client().post("/follow-up/", {"receipt": "apple pear plum fig kiwi lime date"})
    # Then no line holds the address, the user agent or the receipt
    logged = "\n".join(all_logs.lines)
    assert all_logs.lines, "the capture saw nothing: it is not wired to the loggers"
    assert IP not in logged
    assert AGENT not in logged
    assert receipt not in logged
    assert " ".join(receipt.split()[:2]) not in logged

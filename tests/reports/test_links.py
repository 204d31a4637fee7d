"""Links in staff-written report text: only http(s), mailto, fragments and paths on this
site become links, in the report page's HTML and in the Markdown file alike.

Browsers read a backslash in an address as a slash, so "/\\evil" and "\\\\evil" go to another
site just as "//evil" does; "javascript:" runs code. Each is shown as plain text instead.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from whistledesk.organisation.models import Organisation
from whistledesk.reports.renderers import render_text
from whistledesk.reports.selectors import annual_report_get

pytestmark = pytest.mark.django_db

UNSAFE = [
    "/\\evil.example",
    "/\\\\evil.example",
    "//evil.example",
    "\\\\evil.example",
    "\\evil.example",
    "javascript:document.location=1",
    "JavaScript:void%280%29",
    "data:text/html,hi",
    "vbscript:x",
    "evil.example",
]
SAFE = [
    "https://example.org/policy?a=1",
    "http://example.org/",
    "/privacy/",
    "/",
    "#breakdown",
    "mailto:dpo@example.org",
]


def _report(org: Organisation, fmt: str, url: str) -> str:
    org.functions_text = f"Read [the guidance]({url}) first."
    org.save()
    return render_text(annual_report_get(organisation=org, year=2022), fmt)


@pytest.mark.parametrize("url", UNSAFE)
def test_an_unsafe_address_is_shown_as_text_in_html(org: Organisation, url: str) -> None:
    html = _report(org, "html", url)
    assert "Read the guidance first." in html
    assert "evil" not in html.split("Read the guidance", 1)[0][-200:]
    assert "<a " not in html.split("Read ", 1)[1].split("first.", 1)[0]


@pytest.mark.parametrize("url", UNSAFE)
def test_an_unsafe_address_is_shown_as_text_in_markdown(org: Organisation, url: str) -> None:
    md = _report(org, "md", url)
    assert "Read the guidance first." in md
    assert url not in md


@pytest.mark.parametrize("url", SAFE)
def test_a_safe_address_stays_a_link(org: Organisation, url: str) -> None:
    from django.utils.html import escape

    html = _report(org, "html", url)
    assert f'<a class="govuk-link" href="{escape(url)}">the guidance</a>' in html
    assert f"[the guidance]({url})" in _report(org, "md", url)


def test_markdown_output_holds_no_raw_html_or_other_syntax(org: Organisation, add: Any) -> None:
    org.functions_text = (
        "Hi <img src=x onerror=alert(1)> and <https://autolink.example>\n\n"
        "- one **bold**\n- two [ok](https://example.org/)"
    )
    org.save()
    md = render_text(annual_report_get(organisation=org, year=2022), "md")
    assert not re.search(r"(?<!\\)<", md)  # every "<" escaped: no raw HTML, no autolink
    assert "Hi \\<img src=x onerror=alert(1)\\> and \\<https://autolink.example\\>" in md
    assert "- one **bold**\n- two [ok](https://example.org/)" in md

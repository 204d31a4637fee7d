"""The privacy notice, accessibility statement, cookies page and whistleblowing policy:
written from the organisation's configuration (a TOML file through configure_organisation,
or the admin), with sound defaults for anything left out, and linked from every public
page's footer as "Privacy", "Accessibility" and "Cookies".
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.intake.conftest import submit, walk
from whistledesk.organisation.config_file import ConfigError, parse_config, read_config
from whistledesk.organisation.models import Organisation

pytestmark = pytest.mark.django_db

CCO_TOML = (
    Path(__file__).resolve().parents[2]
    / "whistledesk/organisation/configs/childrens_commissioner.toml"
)

CONFIGURED = """
[organisation]
name = "Northshire Care Regulator"
contact_email = "help@northshire.example"
policy_url = "https://northshire.example/whistleblowing"
policy_text = \"\"\"
We read every disclosure within **two working days**.

- We never ask who you are.
- See [our guidance](https://northshire.example/guidance).
\"\"\"

[privacy]
controller = "Northshire Council"
controller_address = "1 High Street\\nNorthtown\\nNT1 1AA"
dpo_email = "dpo@northshire.example"
ico_registration = "Z1234567"
lawful_basis = "We rely on **Article 6(1)(e)** and the Northshire Act."
recipients = "Only the Northshire safeguarding board."
retention = "We keep disclosures for 4 years."
more = "Ask us for this notice in Welsh."

[accessibility]
status = "not"
problems = "The inbox's file list is not announced by screen readers."
prepared_on = 2025-03-14
reviewed_on = 2026-01-20
method = "Audited by Access Testers Ltd in January 2026."
enforcement = "ecni"

[[services]]
label = "Care homes"

[[outcomes]]
label = "Referred"
further_action = true
"""


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    """The visible words, tags dropped and spaces folded, as a reader meets them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def configured(tmp_path: Path, db: Any) -> Organisation:
    path = tmp_path / "org.toml"
    path.write_text(CONFIGURED)
    call_command("configure_organisation", str(path))
    return Organisation.objects.get()


def test_privacy_notice_from_configuration(client: Client, configured: Organisation) -> None:
    text = text_of(page(client, "/privacy/"))
    for expected in [
        "Northshire Council is the controller",
        "1 High Street Northtown NT1 1AA",
        "help@northshire.example",
        "Our registration number with the Information Commissioner's Office is Z1234567.",
        "contact our data protection officer about anything in this notice at "
        "dpo@northshire.example",
        "We rely on Article 6(1)(e) and the Northshire Act.",
        "Only the Northshire safeguarding board.",
        "We keep disclosures for 4 years.",
        "Ask us for this notice in Welsh.",
        # Fixed by law, whatever the configuration: rights and the right to complain
        "ask for a copy of the information we hold about you",
        "object to our using it",
        "right to complain to the Information Commissioner's Office (ICO)",
        "0303 123 1113",
    ]:
        assert expected in text, expected
    assert "public interest and in our official authority" not in text  # the default basis


def test_privacy_notice_defaults(client: Client, organisation: Organisation) -> None:
    text = text_of(page(client, "/privacy/"))
    for expected in [
        "Example Regulator is the controller",
        # Article 13: purposes, lawful basis, recipients, retention, rights, complaint
        'to consider your concern as a "prescribed person" under the Public Interest '
        "Disclosure Act 1998",
        "UK GDPR Article 6(1)(e)",
        "Article 9(2)(g)",
        "We may pass your concern to the body that can act on it",
        "We do not send it outside the UK.",
        "We keep your information only for as long as we need it",
        "ask us to correct information that is wrong",
        "right to complain to the Information Commissioner's Office (ICO)",
        "Wycliffe House Water Lane Wilmslow Cheshire SK9 5AF",
        # Article 14: about people a disclosure names
        "If someone has told us about you in a disclosure, we got your information from them",
        "We do not record your IP address",
    ]:
        assert expected in text, expected


def test_privacy_notice_retention_comes_from_the_retention_policies(
    client: Client, organisation: Organisation
) -> None:
    from whistledesk.organisation.models import Outcome
    from whistledesk.retention.models import RetentionPolicy

    RetentionPolicy.objects.create(organisation=organisation, keep_years=6)
    RetentionPolicy.objects.create(
        organisation=organisation,
        outcome=Outcome.objects.get(label="No action"),
        keep_years=2,
    )
    text = text_of(page(client, "/privacy/"))
    assert "6 years after the case is closed, unless a period below applies" in text
    assert "2 years after the case is closed, for cases that ended: No action" in text
    assert "We keep your information only for as long as we need it" not in text


def test_accessibility_statement_from_configuration(
    client: Client, configured: Organisation
) -> None:
    text = text_of(page(client, "/accessibility/"))
    for expected in [
        "Accessibility statement for Whistledesk",
        "This service is not compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard.",
        "The inbox's file list is not announced by screen readers.",
        "help@northshire.example",
        "Equality Commission for Northern Ireland",
        "This statement was prepared on 14 March 2025. It was last reviewed on 20 January 2026.",
        "Audited by Access Testers Ltd in January 2026.",
    ]:
        assert expected in text, expected
    assert "Equality and Human Rights Commission" not in text


def test_accessibility_statement_defaults(client: Client, organisation: Organisation) -> None:
    text = text_of(page(client, "/accessibility/"))
    # The sections the 2018 Regulations require, each with default wording
    for expected in [
        "How accessible this service is",
        "This service is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard",
        "Non-accessible content",
        "in a different format, such as accessible PDF, large print, easy read",
        "Enforcement procedure",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Preparation of this accessibility statement",
        f"This statement was prepared on {organisation.created_at:%-d %B %Y}.",
        "tested with automated checks against WCAG 2.2 AA",
    ]:
        assert expected in text, expected


def test_cookies_page_explains_why_there_is_no_banner(
    client: Client, organisation: Organisation
) -> None:
    text = text_of(page(client, "/cookies/"))
    for name in ["sessionid", "wd_vault", "csrftoken", "messages"]:
        assert f"{name} " in text, name
    assert text.count("When you close your browser") == 4
    assert "Privacy and Electronic Communications Regulations 2003" in text
    assert "we do not show a cookie banner" in text


def test_policy_page_from_configuration(client: Client, configured: Organisation) -> None:
    html = page(client, "/whistleblowing-policy/")
    assert "We read every disclosure within <strong>two working days</strong>." in html
    assert "<li>We never ask who you are.</li>" in html
    assert '<a class="govuk-link" href="https://northshire.example/guidance">' in html
    assert 'href="https://northshire.example/whistleblowing"' in html
    assert "We acknowledge every disclosure within 7 days." not in html


def test_policy_page_default_and_start_page_link(
    client: Client, organisation: Organisation
) -> None:
    html = page(client, "/whistleblowing-policy/")
    assert "We acknowledge every disclosure within 7 days." in html
    assert "Read the full policy on our website" not in html  # no address configured
    start = page(client, "/")
    assert 'href="/whistleblowing-policy/">Read our whistleblowing policy' in start


def test_staff_markdown_on_legal_pages_is_escaped(
    client: Client, organisation: Organisation
) -> None:
    organisation.privacy_more = "<script>alert(1)</script> [x](javascript:alert) [y](/\\evil)"
    organisation.save()
    html = page(client, "/privacy/")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="/\\evil"' not in html


def test_pages_without_an_organisation_say_unavailable(client: Client, db: Any) -> None:
    for url in ["/privacy/", "/accessibility/", "/cookies/", "/whistleblowing-policy/"]:
        assert client.get(url).status_code == 503


# -- every public page's footer ------------------------------------------------------------

FOOTER_LINKS = [
    '<a class="govuk-footer__link" href="/privacy/">Privacy</a>',
    '<a class="govuk-footer__link" href="/accessibility/">Accessibility</a>',
    '<a class="govuk-footer__link" href="/cookies/">Cookies</a>',
]
PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def public_routes() -> list[str]:
    """Every URL route outside /staff/, /admin/ and /api/, from the resolver."""
    out: list[str] = []

    def walk_patterns(patterns: Any, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk_patterns(p.url_patterns, route)
            elif isinstance(p, URLPattern) and not route.startswith(("staff/", "admin/", "api/")):
                out.append(route)

    walk_patterns(get_resolver().url_patterns, "")
    return out


def test_every_public_page_has_the_three_footer_links(organisation: Organisation) -> None:
    # The Children's Commissioner's pages (the test organisation's questionnaire).
    slugs = [
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
        "files",
    ]
    # Given a visitor part-way through the form, and one signed in to the inbox
    drafting = Client()
    walk(drafting, organisation, identity="confidential", risk="yes", raised="yes")
    _, receipt = submit(Client(), organisation)
    inbox = Client()
    inbox.post("/follow-up/", {"receipt": receipt})
    sent = Client()
    walk(sent, organisation)
    sent.post("/report/check/", {})

    urls: list[tuple[Client, str]] = []
    for route in public_routes():
        names = PARAM.findall(route)
        if names == ["slug"]:
            urls += [(drafting, "/" + PARAM.sub(s, route)) for s in slugs]
        elif names == ["attachment_id"]:
            urls.append((inbox, "/" + PARAM.sub("99999", route)))  # not found: an error page
        elif route.startswith("follow-up/"):
            urls.append((inbox, "/" + route))
        elif route == "report/sent/":
            urls.append((sent, "/report/sent/"))
        else:
            urls.append((drafting, "/" + route))
    urls.append((Client(), "/no-such-page/"))
    checked, missing = [], []
    for client, url in urls:
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", "") or not response.content:
            continue  # the sign-out address answers GET with a bare 405
        checked.append(url)
        html = response.content.decode()
        missing += [(url, link) for link in FOOTER_LINKS if link not in html]
    assert not missing, missing
    # The walk did reach the pages that matter
    for url in [
        "/",
        "/report/check/",
        "/report/sent/",
        "/report/emergency/",
        "/report/contact/",
        "/follow-up/inbox/",
        "/privacy/",
        "/cookies/",
        "/accessibility/",
        "/whistleblowing-policy/",
        "/no-such-page/",
    ]:
        assert url in checked, url


# -- configuration file and admin ----------------------------------------------------------


def test_the_shipped_configuration_has_the_commissioners_legal_details() -> None:
    config = read_config(CCO_TOML)[0]
    assert config.legal.controller_name == "The Children's Commissioner for England"
    assert config.legal.dpo_email == "dpo@childrenscommissioner.gov.uk"
    assert "20 Great Smith Street" in config.legal.controller_address
    assert config.legal.accessibility_prepared_on == dt.date(2026, 11, 30)
    assert config.legal.accessibility_enforcement == "ehrc"
    assert config.policy_text.startswith("(Demo text.)")


@pytest.mark.parametrize(
    ("table", "line", "problem"),
    [
        ("[privacy]", 'dpo_email = "not an address"', "privacy.dpo_email must be an email"),
        ("[organisation]", 'contact_email = "x@"', "organisation.contact_email must be an email"),
        ("[accessibility]", 'status = "mostly"', "accessibility.status 'mostly' must be one of"),
        ("[accessibility]", 'enforcement = "ico"', "accessibility.enforcement 'ico' must be one"),
        (
            "[accessibility]",
            'prepared_on = "14/03/2025"',
            "accessibility.prepared_on must be a date, written 2026-11-30",
        ),
        ("[privacy]", 'dpo = "x"', "privacy: unknown key 'dpo'"),
    ],
)
def test_bad_legal_settings_are_refused_naming_the_key(table: str, line: str, problem: str) -> None:
    key = line.split(" = ")[0]
    text = re.sub(rf"^{key} = .*$", "", CONFIGURED, flags=re.MULTILINE)
    text = text.replace(f"{table}\n", f"{table}\n{line}\n", 1)
    with pytest.raises(ConfigError) as exc:
        parse_config(text)
    assert any(problem in p for p in exc.value.problems), exc.value.problems


def test_leaving_legal_settings_out_restores_the_defaults(
    client: Client, configured: Organisation, tmp_path: Path
) -> None:
    path = tmp_path / "plain.toml"
    before, after = CONFIGURED.split("[privacy]")[0], CONFIGURED.split('enforcement = "ecni"')[1]
    path.write_text(before + after)
    call_command("configure_organisation", str(path))
    text = text_of(page(client, "/privacy/"))
    assert "Northshire Care Regulator is the controller" in text  # not the council any more
    assert "UK GDPR Article 6(1)(e)" in text


def test_the_admin_edits_the_legal_pages(
    client: Client, configured: Organisation, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    admin_user = make_staff("ada", roles=[Role.MANAGER])
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin_user)
    html = client.get(f"/admin/organisation/organisation/{configured.pk}/change/").content.decode()
    for field in ["dpo_email", "privacy_lawful_basis", "accessibility_status", "policy_text"]:
        assert f'name="{field}"' in html, field

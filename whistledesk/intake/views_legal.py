"""The public information pages: privacy notice, accessibility statement, cookies, policy.

Their wording comes from the organisation's configuration (configure_organisation, the
admin); a field left blank takes the default wording in the template. None of them shows
anything personal, so they may be cached like any public page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from whistledesk.core.markup import markdown_html
from whistledesk.core.session_vault import COOKIE_NAME as VAULT_COOKIE
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.organisation.texts import localised
from whistledesk.retention.policy import Policies

ICO_COMPLAINTS_URL = "https://ico.org.uk/make-a-complaint/"


def _page(
    request: HttpRequest, template: str, context: Callable[[Organisation], dict[str, Any]]
) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return render(request, "intake/not_available.html", status=503)
    return render(request, template, {"org": organisation, **context(organisation)})


def _markdown(organisation: Organisation, *names: str) -> dict[str, Any]:
    """Each named field as HTML (None when blank, so the template shows its default)."""
    return {
        f"{name}_html": markdown_html(value) if (value := localised(organisation, name)) else None
        for name in names
    }


def _retention_periods(organisation: Organisation) -> list[str]:
    """The retention policies, in words, for a privacy notice with no retention text."""
    policies = Policies.of(organisation.pk)
    lines = []
    if policies.default is not None:
        years = policies.default.keep_years
        lines.append(
            (
                ngettext(
                    "{years} year after the case is closed",
                    "{years} years after the case is closed",
                    years,
                )
                if not policies.by_outcome
                else ngettext(
                    "{years} year after the case is closed, unless a period below applies",
                    "{years} years after the case is closed, unless a period below applies",
                    years,
                )
            ).format(years=years)
        )
    for policy in policies.by_outcome.values():
        lines.append(
            ngettext(
                "{years} year after the case is closed, for cases that ended: {outcome}",
                "{years} years after the case is closed, for cases that ended: {outcome}",
                policy.keep_years,
            ).format(years=policy.keep_years, outcome=policy.outcome)
        )
    return lines


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    def context(org: Organisation) -> dict[str, Any]:
        return {
            **_markdown(
                org,
                "privacy_lawful_basis",
                "privacy_recipients",
                "privacy_retention",
                "privacy_more",
            ),
            "retention_periods": [] if org.privacy_retention else _retention_periods(org),
            "ico_complaints_url": ICO_COMPLAINTS_URL,
        }

    return _page(request, "intake/legal/privacy.html", context)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    def context(org: Organisation) -> dict[str, Any]:
        return {
            **_markdown(org, "accessibility_problems", "accessibility_method"),
            "prepared_on": org.accessibility_prepared_on or org.created_at.date(),
            # The organisation's own address: its host, or the installation's with its prefix.
            "site": request.get_host() + get_script_prefix().rstrip("/"),
        }

    return _page(request, "intake/legal/accessibility.html", context)


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    def context(org: Organisation) -> dict[str, Any]:
        # Every cookie the public side can set; tests/intake/test_legal_pages.py checks this
        # list against the cookies a whole visit actually receives.
        return {
            "cookies": [
                (
                    settings.SESSION_COOKIE_NAME,
                    gettext(
                        "Keeps your answers together while you fill in the form, and keeps you "
                        "signed in to the follow-up inbox. Your answers are held on our "
                        "server, encrypted, and deleted after 30 minutes without activity."
                    ),
                ),
                (
                    VAULT_COOKIE,
                    gettext(
                        "Holds the key that unlocks your answers and your receipt on our "
                        "server. Only your browser has it: without it nobody can read them."
                    ),
                ),
                (
                    settings.CSRF_COOKIE_NAME,
                    gettext("Stops another website from sending forms to us in your name."),
                ),
                (
                    "messages",
                    gettext(
                        "Shows a message once on the next page, such as “You have "
                        "signed out”."
                    ),
                ),
            ],
        }

    return _page(request, "intake/legal/cookies.html", context)


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    def context(org: Organisation) -> dict[str, Any]:
        return _markdown(org, "policy_text")

    return _page(request, "intake/legal/policy.html", context)

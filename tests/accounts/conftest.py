"""Fixtures for the people pages: staff signed in through the sign-in form (so their private
key is unlocked into the session vault, as in a real browser), and a sealed case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-staff-password"
NARRATIVE = "The night manager at Larkspur Lodge locks the children in."


def case_file_url(reference: str) -> str:
    """Where staff read a sealed case (the narrative)."""
    return reverse("cases:casefile", args=[reference])


def sign_in(username: str, password: str = PASSWORD) -> Client:
    """A separate browser, signed in through the form."""
    browser = Client()
    response = browser.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser


@pytest.fixture
def sealed_case(organisation: Any) -> Any:
    """A web-style disclosure whose narrative is sealed to the staff entitled at creation
    (intake officers and managers) and whose identity is sealed to the custodians."""
    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create

    def make() -> Any:
        disclosure = DisclosureFactory(organisation=organisation)
        casefile_create(
            actor="public",
            disclosure=disclosure,
            documents={"narrative": NARRATIVE, "identity": "Ann Example"},
        )
        return disclosure

    return make

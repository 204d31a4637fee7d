"""Helpers for the public form: walk the pages with Django's test client."""

from __future__ import annotations

from typing import Any

import pytest

from whistledesk.organisation.models import ServiceCategory

CANARY_NAME = "Zebedee Quillfeather"
CANARY_EMAIL = "zebedee.quillfeather@example.org"
CANARY_SENTENCE = "The purple walrus counted eleven locked doors at Thistlewood House."


@pytest.fixture(autouse=True)
def _fast_failures(settings: Any) -> None:
    # The deliberate delay on a wrong receipt is tested on its own; elsewhere it only slows.
    settings.WHISTLEDESK_FAILURE_DELAY = 0


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def answers_for(organisation: Any, **overrides: Any) -> list[tuple[str, dict[str, Any]]]:
    """The pages and POST data of a complete anonymous disclosure, in order."""
    service = ServiceCategory.objects.filter(organisation=organisation).first()
    pages: list[tuple[str, dict[str, Any]]] = [
        ("risk", {"risk": overrides.get("risk", "no")}),
    ]
    if overrides.get("risk") == "yes":
        pages.append(("emergency", {}))
    pages += [
        ("service", {"service": overrides.get("service", str(service.pk))}),
        ("setting", {"setting_name": "Thistlewood House", "setting_area": "Camden"}),
        ("what-happened", {"narrative": overrides.get("narrative", CANARY_SENTENCE)}),
        ("raised-before", {"raised": overrides.get("raised", "no")}),
    ]
    if overrides.get("raised") == "yes":
        pages.append(("raised-details", {"raised_with": "the manager", "raised_times": "2-3"}))
    pages += [
        ("your-role", {"role": "agency"}),
        ("identity", {"identity": overrides.get("identity", "anonymous")}),
    ]
    if overrides.get("identity") in {"confidential", "open"}:
        pages.append(
            (
                "contact",
                {
                    "name": CANARY_NAME,
                    "email": CANARY_EMAIL,
                    "phone": "",
                    "contact_how": "email",
                },
            )
        )
    return pages


def walk(client: Any, organisation: Any, *, prefix: str = "", **overrides: Any) -> None:
    """Answer every page up to (and including) the files page's Continue. `prefix` is an
    organisation's path prefix ("/aldermoor"); a client with its HTTP_HOST needs none."""
    for slug, data in answers_for(organisation, **overrides):
        response = client.post(f"{prefix}/report/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
    response = client.post(f"{prefix}/report/files/", {"action": "continue"})
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/report/check/"


@pytest.fixture
def walked(client: Any, organisation: Any) -> Any:
    walk(client, organisation)
    return client


STAFF_PASSWORD = "a-long-staff-password"


def submit(
    client: Any, organisation: Any, *, prefix: str = "", **overrides: Any
) -> tuple[str, str]:
    """Send a complete disclosure; returns (reference, receipt) as the receipt page shows."""
    import re

    walk(client, organisation, prefix=prefix, **overrides)
    response = client.post(f"{prefix}/report/check/", {})
    assert response["Location"] == f"{prefix}/report/sent/", response.content[:3000]
    page = client.get(f"{prefix}/report/sent/").content.decode()
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page)
    assert receipt and reference
    return reference.group(1), receipt.group(1).strip()


@pytest.fixture
def officer(make_staff: Any) -> Any:
    from whistledesk.accounts.roles import Role

    return make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)


@pytest.fixture
def officer_client(officer: Any) -> Any:
    """A separate browser for staff, signed in through the form so their key is unlocked."""
    from django.test import Client

    staff = Client()
    response = staff.post(
        "/staff/account/sign-in/", {"username": "ivy", "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    return staff

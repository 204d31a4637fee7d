"""Shared fixtures: a configured organisation, staff users by role, and a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture
def organisation(db: Any) -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory()


@pytest.fixture
def make_staff(db: Any) -> Any:
    from whistledesk.accounts.roles import Role
    from whistledesk.accounts.services import user_create

    def make(
        username: str = "staff",
        roles: list[Role] | None = None,
        password: str = "a-long-staff-password",
    ) -> Any:
        from django.contrib.auth.models import Group

        # Transactional tests (browser tests) flush the tables, migration-made groups too.
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        return user_create(
            actor=None,
            username=username,
            password=password,
            roles=roles if roles is not None else [Role.CASEWORKER],
        )

    return make


@pytest.fixture
def staff_client(client: Any, make_staff: Any) -> Any:
    client.force_login(make_staff())
    return client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture
def page_nojs(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    yield p
    context.close()

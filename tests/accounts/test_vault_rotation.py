"""The vault cookie is replaced at staff sign-in.

A vault key set in the browser before sign-in (planted by someone who had the device, or
read from it) must not open the private key unlocked at sign-in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.casefiles.conftest import PASSWORD
from whistledesk.core.session_vault import COOKIE_NAME

pytestmark = pytest.mark.django_db


def test_staff_sign_in_replaces_the_vault_cookie(make_staff: Any, organisation: Any) -> None:
    make_staff("ada", password=PASSWORD)
    browser = Client()
    # Given a browser that already has a vault key (a public page's draft made one)
    browser.post("/report/risk/", {"risk": "no"})
    browser.get("/staff/account/sign-in/")
    before = browser.cookies[COOKIE_NAME].value
    assert before
    # When the member of staff signs in
    response = browser.post("/staff/account/sign-in/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    # Then a new vault key is sent (what it opens is tested below)
    after = response.cookies[COOKIE_NAME].value
    assert after and after != before
    assert browser.get("/staff/account/security/").status_code == 200


def test_a_planted_vault_key_cannot_open_the_staff_key(make_staff: Any, client: Client) -> None:
    from tests.accounts.test_keys import _signed_in_request
    from whistledesk.accounts.keyring import KeyLocked, staff_private_key

    user = make_staff("bo", password=PASSWORD)
    # Given a well-formed vault key planted in the browser before sign-in
    client.cookies[COOKIE_NAME] = "A" * 43 + "="
    client.post("/staff/account/sign-in/", {"username": "bo", "password": PASSWORD})
    assert client.cookies[COOKIE_NAME].value != "A" * 43 + "="
    assert staff_private_key(_signed_in_request(client, user))
    # When whoever planted it uses it with the signed-in session, the key stays locked
    client.cookies[COOKIE_NAME] = "A" * 43 + "="
    with pytest.raises(KeyLocked):
        staff_private_key(_signed_in_request(client, user))

"""Issue 9's abuse cases, against the production rehearsal (nginx, gunicorn, PostgreSQL).

Found on commit e08412f: behind the proxy every visitor had the proxy's address, so one
client's wrong receipts refused another whistleblower's correct receipt, one client's junk
submissions closed the form for everyone, and one client's failed sign-ins locked all staff
out. Each attacker and each victim here connects from its own loopback address, as distinct
people reach nginx from distinct addresses. Loops are bounded.
"""

from __future__ import annotations

import secrets

import requests

from tests.deploy.conftest import ProductionSite
from tests.deploy.journey import answer_up_to_files, disclose, follow_up_sign_in, post, send

ATTEMPTS = 20  # more than any per-client allowance the page promises


def test_wrong_receipts_from_one_client_never_refuse_anothers_right_receipt(
    production_site: ProductionSite,
) -> None:
    site = production_site
    # Given a whistleblower (B) who sent a disclosure and kept their receipt
    reference, receipt = disclose(site, site.client("127.0.0.20"))
    # When an attacker (A) guesses receipts until the service refuses them
    a = site.client("127.0.0.21")
    refused = False
    for i in range(ATTEMPTS):
        r = follow_up_sign_in(site, a, f"guess {i} {secrets.token_hex(4)}")
        assert r.status_code in (400, 429), r.status_code
        if r.status_code == 429:
            refused = True
            break
    assert refused, f"no refusal after {ATTEMPTS} wrong receipts from one client"
    # Then B, from their own address, still signs in with the right receipt
    b = site.client("127.0.0.22")
    r = follow_up_sign_in(site, b, receipt)
    assert r.status_code == 302 and r.headers["Location"] == "/follow-up/inbox/", r.status_code
    assert reference in b.get(f"{site.base}/follow-up/inbox/", timeout=60).text


def _junk_submission(site: ProductionSite, s: requests.Session) -> requests.Response:
    answer_up_to_files(site, s, f"junk {secrets.token_hex(8)}")
    return send(site, s)


def test_a_flood_from_one_client_does_not_close_the_form_for_others(
    production_site: ProductionSite,
) -> None:
    site = production_site
    # When one client (A) sends junk disclosures until the service stops taking them from it
    a = site.client("127.0.0.23")
    accepted = 0
    for _ in range(ATTEMPTS):
        r = _junk_submission(site, a)
        if r.status_code != 302:
            break
        accepted += 1
        a.get(f"{site.base}/report/sent/", timeout=60)  # the receipt page, once
    assert accepted < ATTEMPTS, f"one client sent {accepted} disclosures without a limit"
    # Then another whistleblower (B), from their own address, can still send theirs
    b = site.client("127.0.0.24")
    reference, receipt = disclose(site, b, "The night staff leave the side gate open.")
    assert reference.startswith("WD-") and receipt


def test_failed_sign_ins_from_one_client_do_not_lock_out_other_staff(
    production_site: ProductionSite,
) -> None:
    site = production_site
    login = "/staff/account/sign-in/"
    # When one client (A) fails to sign in, with made-up usernames, until it is locked out
    a = site.client("127.0.0.25")
    a.get(f"{site.base}{login}", timeout=60)
    locked = False
    for i in range(ATTEMPTS):
        r = post(site, a, login, {"username": f"guess-{i}", "password": "not-the-password-1"})
        if r.status_code == 429:
            locked = True
            break
    assert locked, f"no lock-out after {ATTEMPTS} failed sign-ins from one client"
    # Then a member of staff at another address signs in with their password: the next step
    # (setting up or entering the two-factor code) is reached, not the lock-out page
    b = site.client("127.0.0.26")
    b.get(f"{site.base}{login}", timeout=60)
    r = post(site, b, login, {"username": site.staff_username, "password": site.staff_password})
    assert r.status_code == 302, (r.status_code, r.text[:500])
    assert not r.headers["Location"].startswith(login)
    page = b.get(f"{site.base}{r.headers['Location']}", timeout=60)
    assert page.status_code == 200
    assert page.url.startswith(f"{site.base}/staff/account/two-factor/"), page.url

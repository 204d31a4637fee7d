"""The public journey as a browser without JavaScript makes it, through the rehearsal's proxy."""

from __future__ import annotations

import re

import requests

from tests.deploy.conftest import ProductionSite

# Every page up to "Add files", answered as an anonymous employee would.
PAGES_BEFORE_FILES = [
    ("risk", {"risk": "no"}),
    ("service", {"service": "not_sure"}),
    ("setting", {"setting_name": "A children's home"}),
    ("what-happened", {"narrative": "The night staff leave the side gate open."}),
    ("raised-before", {"raised": "no"}),
    ("your-role", {"role": "employee"}),
    ("identity", {"identity": "anonymous"}),
]


def post(site: ProductionSite, s: requests.Session, path: str, data: dict) -> requests.Response:
    token = s.cookies["csrftoken"]
    return s.post(
        f"{site.base}{path}",
        data={**data, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=60,
    )


def answer_up_to_files(site: ProductionSite, s: requests.Session, narrative: str = "") -> None:
    """Open the form and answer each page before "Add files" (each must move on: 302)."""
    s.get(f"{site.base}/report/risk/", timeout=60).raise_for_status()
    for slug, data in PAGES_BEFORE_FILES:
        if slug == "what-happened" and narrative:
            data = {"narrative": narrative}
        r = post(site, s, f"/report/{slug}/", data)
        assert r.status_code == 302, (slug, r.status_code, r.text[:500])


def send(site: ProductionSite, s: requests.Session) -> requests.Response:
    """From "Add files": continue, then press Send on the check page (not followed)."""
    r = post(site, s, "/report/files/", {"action": "continue"})
    assert r.status_code == 302, ("files", r.status_code, r.text[:500])
    return post(site, s, "/report/check/", {})


def receipt_page(site: ProductionSite, s: requests.Session) -> tuple[str, str]:
    """The sent page: (reference, receipt)."""
    page = s.get(f"{site.base}/report/sent/", timeout=60).text
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page)
    assert receipt and reference, page[:2000]
    return reference.group(1), receipt.group(1).strip()


def disclose(site: ProductionSite, s: requests.Session, narrative: str = "") -> tuple[str, str]:
    """The whole journey; (reference, receipt)."""
    answer_up_to_files(site, s, narrative)
    r = send(site, s)
    assert r.status_code == 302 and r.headers["Location"].endswith("/report/sent/"), (
        r.status_code,
        r.text[:2000],
    )
    return receipt_page(site, s)


def follow_up_sign_in(
    site: ProductionSite, s: requests.Session, receipt: str, **headers: str
) -> requests.Response:
    s.get(f"{site.base}/follow-up/", timeout=60)
    token = s.cookies["csrftoken"]
    return s.post(
        f"{site.base}/follow-up/",
        data={"receipt": receipt, "csrfmiddlewaretoken": token},
        headers=headers,
        allow_redirects=False,
        timeout=60,
    )

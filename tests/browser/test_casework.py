"""A helpline disclosure walked through casework in Debian's Chromium, then counted by the
annual report under the right service and outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _sign_out(page: Any, username: str) -> None:
    page.get_by_role("button", name=f"Sign out {username}").click()


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_helpline_disclosure_from_call_to_closure_and_the_report(
    live_server: Any, page: Any, make_staff: Any, organisation: Any
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.cases.models import Disclosure, ReferralBody, Status
    from whistledesk.organisation.models import Outcome, ServiceCategory

    base = live_server.url
    make_staff("casey", roles=[Role.INTAKE_OFFICER, Role.CASEWORKER])
    make_staff("sam", roles=[Role.SAFEGUARDING_LEAD])
    service = ServiceCategory.objects.get(organisation=organisation, label="Hospitals")
    referred = Outcome.objects.get(organisation=organisation, label="Referred")
    # The directory is seeded by a data migration, which a transactional test's flush empties.
    ReferralBody.objects.get_or_create(
        name="Local authority children's services", defaults={"kind": "la_childrens_services"}
    )
    received = dt.date.today() - dt.timedelta(days=1)

    # An intake officer records the helpline call.
    _sign_in(page, base, "casey")
    page.get_by_role("link", name="Record a disclosure").click()
    page.get_by_role("link", name="Advice helpline").click()
    page.fill("#id_received_on", received.isoformat())
    page.check("#id_anonymous")
    page.fill("#id_summary", "Night staffing on a children's ward")
    page.fill("#id_setting_name", "Riverside Children's Ward")
    page.fill("#id_call_notes", "Caller says one nurse covers the ward overnight.")
    page.fill("#id_anonymity_discussion", "Caller wants to stay anonymous; explained our duty.")
    _click(page, "Record disclosure")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recorded as WD-")
    reference = Disclosure.objects.get().reference
    expect(page.locator("#case-status")).to_have_text("Received")

    # Acknowledged (the intake officer's triage), taken on as caseworker, and assessed.
    _click(page, "Acknowledge")
    _click(page, "Take this case")
    expect(page.locator("#handler")).to_have_text("casey")
    _click(page, "Start assessment")
    page.get_by_role("link", name="Assess").click()
    page.check("text=Danger to the health or safety of any individual")
    page.check("#id_public_interest_0")
    page.check("#id_within_remit_0")
    page.select_option("#id_service", str(service.pk))
    page.check("text=Immediate risk to a child")
    _click(page, "Save")
    expect(page.locator("#qualifying")).to_have_text("Yes")
    expect(page.locator("#service")).to_have_text("Hospitals")

    # A safeguarding concern is raised; action starts with a referral to the local authority.
    page.get_by_role("link", name="Raise a safeguarding concern").click()
    page.fill("#id_summary", "Children may be left without care overnight.")
    _click(page, "Save")
    _click(page, "Start action")
    page.get_by_role("link", name="Record a referral").click()
    page.select_option("#id_body", label="Local authority children's services")
    page.fill("#id_shared_summary", "Overnight staffing on the children's ward.")
    page.fill("#id_body_reference", "LA-2023-118")
    _click(page, "Save")
    _click(page, "Await reassurance")
    expect(page.locator("#case-status")).to_have_text("Awaiting reassurance")

    # The local authority's reassurance arrives.
    page.get_by_role("link", name="Record response").click()
    page.fill("#id_summary", "Trust has added a second nurse on nights.")
    _click(page, "Save")
    expect(page.get_by_text("Trust has added a second nurse on nights.")).to_be_visible()

    # Closing is refused while the safeguarding concern is open.
    page.get_by_role("link", name="Close case").click()
    page.select_option("#id_outcome", str(referred.pk))
    _click(page, "Close case")
    expect(page.locator(".govuk-error-summary")).to_contain_text("open safeguarding concern")
    _sign_out(page, "casey")

    # The safeguarding lead records the action taken.
    _sign_in(page, base, "sam")
    page.goto(f"{base}/staff/cases/{reference}/")
    page.get_by_role("link", name="Confirm safeguarding action").click()
    page.fill("#id_action_taken", "Strategy discussion; ward staffing checked by the LA.")
    page.fill("#id_action_taken_by", "Local authority children's services")
    _click(page, "Save")
    expect(page.get_by_text("Action confirmed", exact=True)).to_be_visible()
    _sign_out(page, "sam")

    # Now the caseworker closes it with an outcome.
    _sign_in(page, base, "casey")
    page.goto(f"{base}/staff/cases/{reference}/")
    page.get_by_role("link", name="Close case").click()
    page.select_option("#id_outcome", str(referred.pk))
    _click(page, "Close case")
    expect(page.locator("#case-status")).to_have_text("Closed")
    expect(page.locator("#outcome")).to_have_text("Referred")

    disclosure = Disclosure.objects.get(reference=reference)
    assert disclosure.status == Status.CLOSED

    # The annual report counts it under the right service and outcome.
    from whistledesk.reports.selectors import annual_report_get

    report = annual_report_get(organisation=organisation, year=organisation.year_of(received))
    assert report.qualifying == 1
    assert report.further_action == 1
    assert {r.label: r.count for r in report.by_service}["Hospitals"] == 1
    assert {r.label: r.count for r in report.by_outcome}["Referred"] == 1
    assert {r.label: r.count for r in report.by_channel}["helpline"] == 1

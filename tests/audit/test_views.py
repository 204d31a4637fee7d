"""The staff audit log: who may see it, filters, the streamed CSV export, a case's history."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import transaction
from django.template.loader import render_to_string

from whistledesk.accounts.roles import Role
from whistledesk.audit.selectors import audit_events_for_disclosure
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _event(action: str, disclosure_id: int | None = None, **details: Any) -> None:
    with transaction.atomic():
        audit_record(actor="system", action=action, disclosure_id=disclosure_id, details=details)


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ([Role.AUDITOR], 200),
        ([Role.MANAGER], 200),
        ([Role.CASEWORKER], 403),
        ([Role.CUSTODIAN], 403),
        ([Role.INTAKE_OFFICER], 403),
    ],
)
def test_only_auditors_and_managers_see_the_log(
    client: Any, make_staff: Any, roles: list[Role], status: int
) -> None:
    client.force_login(make_staff(username="u", roles=roles))
    assert client.get("/staff/audit/").status_code == status
    assert client.get("/staff/audit/export.csv").status_code == status


def test_signed_out_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/staff/audit/")
    assert response.status_code == 302
    assert "/staff/account/sign-in/" in response["Location"]


def test_log_lists_and_filters_events(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff(username="aud", roles=[Role.AUDITOR]))
    _event("case.closed", disclosure_id=7, outcome="referred")
    _event("case.assigned", disclosure_id=8)
    page = client.get("/staff/audit/").content.decode()
    assert "case.closed" in page and "case.assigned" in page
    assert "Current head" in page
    filtered = client.get("/staff/audit/", {"disclosure": 7}).content.decode()
    assert "case.closed" in filtered and "case.assigned" not in filtered
    by_action = client.get("/staff/audit/", {"action": "case.ass"}).content.decode()
    assert "case.assigned" in by_action and "case.closed" not in by_action


def test_bad_filter_shows_an_error_not_a_crash(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff(username="aud", roles=[Role.AUDITOR]))
    response = client.get("/staff/audit/", {"date_from": "2024-05-01", "date_to": "2024-01-01"})
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_export_streams_csv_with_hashes_and_is_itself_audited(
    client: Any, make_staff: Any
) -> None:
    client.force_login(make_staff(username="aud", roles=[Role.AUDITOR]))
    _event("case.closed", disclosure_id=7, note="=HYPERLINK(1)")
    response = client.get("/staff/audit/export.csv")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    closed = next(r for r in rows if r["action"] == "case.closed")
    assert len(closed["hash"]) == 64 and len(closed["prev_hash"]) == 64
    # A cell that a spreadsheet would run as a formula is neutralised.
    assert not closed["details"].startswith("=")
    # Taking the export is on the record, by the auditor, and the chain still verifies.
    last = client.get("/staff/audit/", {"action": "audit.exported"}).content.decode()
    assert "audit.exported" in last and "aud" in last
    assert verify_chain().ok


def test_formula_cells_are_neutralised(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff(username="aud", roles=[Role.AUDITOR]))
    with transaction.atomic():
        audit_record(actor="=cmd|' /C calc'!A0", action="x.y")
    body = b"".join(client.get("/staff/audit/export.csv").streaming_content).decode()
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["action"] == "x.y")
    assert row["actor_label"].startswith("'=")


def test_case_history_include_shows_only_that_case() -> None:
    from tests.factories import DisclosureFactory

    case, other = DisclosureFactory(), DisclosureFactory()
    _event("case.received", disclosure_id=case.pk)
    _event("case.acknowledged", disclosure_id=case.pk, to="acknowledged")
    _event("case.received", disclosure_id=other.pk)
    events = audit_events_for_disclosure(case.pk)
    assert [e.action for e in events] == ["case.received", "case.acknowledged"]
    html = render_to_string("audit/_case_history.html", {"events": events})
    # In words, not codes (issue 8): an unlabelled action is spelt out, the status named.
    assert "Case acknowledged" in html and "To: Acknowledged" in html
    assert "case.acknowledged" not in html
    empty = render_to_string("audit/_case_history.html", {"events": []})
    assert "Nothing has been recorded" in empty


@pytest.mark.parametrize(("roles", "shown"), [([Role.AUDITOR], True), ([Role.CASEWORKER], False)])
def test_navigation_links_to_the_log_only_for_those_who_may_see_it(
    client: Any, make_staff: Any, roles: list[Role], shown: bool
) -> None:
    client.force_login(make_staff(username="u", roles=roles))
    html = client.get("/staff/account/security/").content.decode()
    assert ('href="/staff/audit/"' in html) is shown
    assert "Sign-in and security" in html

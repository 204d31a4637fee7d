"""One audit chain per organisation (ADR 0017), through the pages and commands people use.

Two organisations, A and B: each chain starts at its own genesis and links only its own
events; B's auditor sees none of A's events on the page or in the CSV; verify_audit walks
each organisation by name and finds tampering in A while B still verifies; anchors are an
organisation's.
"""

from __future__ import annotations

import csv
import io
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.factories import DisclosureFactory, OrganisationFactory
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain
from whistledesk.organisation import tenancy

pytestmark = pytest.mark.django_db

GENESIS = "0" * 64


def _staff(org: Any, username: str, roles: list[Role]) -> Any:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return user_create(
        actor=None,
        username=username,
        password="a-long-staff-password",
        roles=roles,
        organisation=org,
    )


def _record(action: str, **kwargs: Any) -> AuditEvent:
    with transaction.atomic():
        return audit_record(action=action, **{"actor": "system", **kwargs})


@pytest.fixture
def two() -> tuple[Any, Any]:
    return OrganisationFactory(slug="alpha"), OrganisationFactory(slug="beta")


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_each_organisation_has_its_own_chain_from_its_own_genesis(two: Any) -> None:
    a, b = two
    a1 = _record("test.a1", organisation=a)
    b1 = _record("test.b1", organisation=b)
    a2 = _record("test.a2", organisation=a)
    # Then each chain counts from 1 and links only its own events
    assert (a1.seq, a1.prev_hash) == (1, GENESIS)
    assert (b1.seq, b1.prev_hash) == (1, GENESIS)
    assert (a2.seq, a2.prev_hash) == (2, a1.hash)
    assert verify_chain(organisation=a).verified == 2
    assert verify_chain(organisation=b).verified == 1


def test_the_organisation_comes_from_the_case_then_the_actor_then_the_request(
    two: Any,
) -> None:
    a, b = two
    case_in_a = DisclosureFactory(organisation=a)
    b_officer = _staff(b, "bea", [Role.CASEWORKER])
    # The case's organisation wins (even over the actor's)
    assert _record("test.case", actor=b_officer, disclosure_id=case_in_a.pk).organisation == a
    # Then the actor's
    assert _record("test.actor", actor=b_officer).organisation == b
    # Then the organisation the command or request is for
    with tenancy.activate(a):
        assert _record("test.current").organisation == a
    # With several and none of these, it concerns no organisation: the installation's chain
    event = _record("test.installation")
    assert event.organisation is None and event.seq == 1 and event.prev_hash == GENESIS


def test_b_auditor_sees_only_b_events_on_the_page_and_in_the_csv(client: Any, two: Any) -> None:
    a, b = two
    _record("alpha.secret_thing", organisation=a)
    _record("alpha.other_thing", organisation=a)
    client.force_login(_staff(b, "auditor", [Role.AUDITOR]))
    _record("beta.own_thing", organisation=b)
    page = client.get("/beta/staff/audit/").content.decode()
    assert "beta.own_thing" in page
    assert "alpha." not in page
    assert "verify_audit --organisation beta" in page
    response = client.get("/beta/staff/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    # B's auditor's own account, B's event and the export itself are on B's record
    assert [r["action"] for r in rows] == ["user.created", "beta.own_thing", "audit.exported"]
    assert [r["seq"] for r in rows] == ["1", "2", "3"]
    # A filter never reaches into A
    filtered = client.get("/beta/staff/audit/", {"action": "alpha."}).content.decode()
    assert "secret_thing" not in filtered
    # And A's chain is untouched by B's export
    assert list(
        AuditEvent.objects.filter(organisation=a).order_by("seq").values_list("action", flat=True)
    ) == ["alpha.secret_thing", "alpha.other_thing"]


def test_verify_names_each_organisation_and_finds_tampering_in_a_while_b_verifies(
    two: Any,
) -> None:
    a, b = two
    for i in range(3):
        _record("test.a", organisation=a, details={"n": i})
    for i in range(2):
        _record("test.b", organisation=b, details={"n": i})
    out = _verify()
    assert "alpha: 3 events verified" in out
    assert "beta: 2 events verified" in out
    # When someone edits A's second event in the database
    AuditEvent.objects.filter(organisation=a, seq=2).update(action="forged")
    # Then the walk of every organisation fails, naming A, and B still verifies
    with pytest.raises(CommandError) as exc:
        _verify()
    assert str(exc.value) == "alpha: Audit chain BROKEN: edited event: hash mismatch at seq 2"
    assert "beta: 2 events verified" in _verify("--organisation", "beta")
    with pytest.raises(CommandError) as exc:
        _verify("--organisation", "alpha")
    assert "hash mismatch at seq 2" in str(exc.value)


def test_an_event_moved_to_another_organisation_breaks_the_chain(two: Any) -> None:
    a, b = two
    _record("test.a", organisation=a)
    _record("test.a", organisation=a)
    # Relabelling A's only-later event as B's: B's chain now holds an event hashed for A
    AuditEvent.objects.filter(organisation=a, seq=2).update(organisation=b, seq=1)
    result = verify_chain(organisation=b)
    assert not result.ok


def test_unknown_organisation_is_a_clear_error(two: Any) -> None:
    with pytest.raises(CommandError) as exc:
        _verify("--organisation", "nope")
    assert str(exc.value) == "No organisation has the slug 'nope' (there are: alpha, beta)."


def test_anchors_are_an_organisations(two: Any) -> None:
    a, b = two
    a_events = [_record("test.a", organisation=a) for _ in range(2)]
    _record("test.b", organisation=b)
    out = StringIO()
    call_command("audit_anchor", "--organisation", "alpha", stdout=out)
    assert out.getvalue().splitlines()[0] == f"2:{a_events[1].hash}"
    # With several organisations, the anchor names its organisation
    with pytest.raises(CommandError) as exc:
        call_command("audit_anchor", stdout=StringIO())
    assert "name one with --organisation SLUG" in str(exc.value)
    assert "1 anchor(s) confirmed" in _verify(
        "--organisation", "alpha", "--anchor", f"2:{a_events[1].hash}"
    )
    # A's anchor is not on B's chain
    with pytest.raises(CommandError) as exc:
        _verify("--organisation", "beta", "--anchor", f"2:{a_events[1].hash}")
    assert "beyond the last event" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        _verify("--anchor", f"2:{a_events[1].hash}")
    assert "name one with --organisation SLUG" in str(exc.value)

"""The fixture world itself: A's case is whole, and B's people are who they say."""

from __future__ import annotations

import pytest

from tests.isolation.conftest import A_DISCLOSURES, B_DISCLOSURES, World

pytestmark = pytest.mark.django_db


def test_world_has_a_full_case_in_a_and_people_in_b(world: World) -> None:
    from whistledesk.cases.models import Disclosure

    assert Disclosure.objects.filter(organisation=world.org_a).count() == A_DISCLOSURES
    assert Disclosure.objects.filter(organisation=world.org_b).count() == B_DISCLOSURES
    for key in (
        "disclosure",
        "attachment",
        "message",
        "referral",
        "reminder",
        "token",
        "concern",
        "sent",
        "hold",
    ):
        assert world.a_ids[key] > 0
    assert set(world.b_staff) >= {"intake_officer", "caseworker", "superuser"}
    assert all(u.organisation_id == world.org_b.pk for u in world.b_staff.values())


def test_snapshot_covers_a(world: World) -> None:
    from tests.isolation.conftest import snapshot_of

    snap = snapshot_of(world)
    assert snap["cases.Disclosure"]
    assert any(label.startswith("casefiles.") and rows for label, rows in snap.items())

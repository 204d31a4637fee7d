"""Keys stay inside their organisation (ADR 0017), through the pages and commands people use.

Two organisations, alpha and beta, each with its own staff (the same usernames in both, as a
person who works for two has two accounts) and its own recovery key. A disclosure sent
through alpha's public form is sealed to alpha's staff and alpha's recovery key only;
a key can be given only to staff of the case's organisation; the recovery commands name
their organisation.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.factories import OrganisationFactory
from tests.intake.conftest import CANARY_SENTENCE, answers_for
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.casefiles.management.commands.create_recovery_key import (
    decode_private_key,
    encode_private_key,
)
from whistledesk.casefiles.models import IdentityKey, KeyGrant, RecoveryKey
from whistledesk.casefiles.organisation_checks import OtherOrganisation
from whistledesk.casefiles.services import casefile_grant
from whistledesk.cases.models import Disclosure

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"


def _staff(org: Any, username: str, roles: list[Role]) -> Any:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return user_create(
        actor=None, username=username, password=PASSWORD, roles=roles, organisation=org
    )


def _recovery_key(slug: str) -> bytes:
    out = io.StringIO()
    call_command("create_recovery_key", "--organisation", slug, stdout=out)
    match = re.search(r"Recovery key: (\S+)", out.getvalue())
    assert match
    assert f"Organisation: {slug}" in out.getvalue()
    return decode_private_key(match.group(1))


@pytest.fixture
def world() -> dict[str, Any]:
    alpha = OrganisationFactory(slug="alpha")
    beta = OrganisationFactory(slug="beta")
    people = {}
    for org in (alpha, beta):
        people[org.slug] = {
            "ivy": _staff(org, "ivy", [Role.INTAKE_OFFICER]),
            "mona": _staff(org, "mona", [Role.MANAGER]),
            "cora": _staff(org, "cora", [Role.CUSTODIAN]),
            "carl": _staff(org, "carl", [Role.CASEWORKER]),
        }
    return {
        "alpha": alpha,
        "beta": beta,
        "people": people,
        "alpha_recovery": _recovery_key("alpha"),
        "beta_recovery": _recovery_key("beta"),
    }


def _send_through_the_public_form(org: Any) -> str:
    client = Client()
    prefix = f"/{org.slug}/report"
    for slug, data in answers_for(org, identity="confidential"):
        response = client.post(f"{prefix}/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
    assert client.post(f"{prefix}/files/", {"action": "continue"}).status_code == 302
    response = client.post(f"{prefix}/check/", {})
    assert response.status_code == 302, response.content[:2000]
    page = client.get(response["Location"]).content.decode()
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page)
    assert reference
    return reference.group(1)


def test_a_new_case_in_alpha_is_sealed_to_alpha_staff_and_recovery_key_only(
    world: dict[str, Any],
) -> None:
    alpha = world["alpha"]
    reference = _send_through_the_public_form(alpha)
    case = Disclosure.objects.get(organisation=alpha, reference=reference)
    grants = KeyGrant.objects.filter(disclosure=case)
    staff = sorted(
        (g.kind, g.scope, g.user.organisation.slug, g.user.username)
        for g in grants.filter(user__isnull=False)
    )
    # Intake officers and managers get the case key, custodians the identity key: alpha's only
    assert staff == [
        ("staff", "case", "alpha", "ivy"),
        ("staff", "case", "alpha", "mona"),
        ("staff", "identity", "alpha", "cora"),
    ]
    recovery = [g.recovery_key for g in grants.filter(kind="recovery")]
    alpha_key = RecoveryKey.objects.get(organisation=alpha, active=True)
    assert recovery == [alpha_key]
    assert IdentityKey.objects.get(disclosure=case).recovery_key == alpha_key
    # Nothing of the case is sealed to anyone at beta
    assert not grants.filter(user__organisation=world["beta"]).exists()
    # Alpha's recovery key opens it; beta's recovery command does not find it
    stdin = io.StringIO(encode_private_key(world["alpha_recovery"]) + "\n")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", stdin)
        call_command("recover_case", reference, "--organisation", "alpha", stdout=out)
    assert f"Case {reference}" in out.getvalue()
    assert CANARY_SENTENCE in out.getvalue()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(encode_private_key(world["beta_recovery"]) + "\n"))
        with pytest.raises(CommandError) as exc:
            call_command("recover_case", reference, "--organisation", "beta", stdout=io.StringIO())
    assert str(exc.value) == "No disclosure has that reference."


def test_a_key_cannot_be_given_to_another_organisations_account(world: dict[str, Any]) -> None:
    alpha = world["alpha"]
    reference = _send_through_the_public_form(alpha)
    case = Disclosure.objects.get(organisation=alpha, reference=reference)
    mona = world["people"]["alpha"]["mona"]
    beta_carl = world["people"]["beta"]["carl"]
    with pytest.raises(OtherOrganisation) as exc:
        casefile_grant(
            actor=mona, disclosure=case, user=beta_carl, private_key=private_key_of(mona)
        )
    assert exc.value.message == (
        "That account belongs to another organisation: a case's keys can be given only "
        "to staff of the case's own organisation."
    )
    assert not KeyGrant.objects.filter(disclosure=case, user=beta_carl).exists()
    # The same person's alpha account can be given it
    alpha_carl = world["people"]["alpha"]["carl"]
    casefile_grant(actor=mona, disclosure=case, user=alpha_carl, private_key=private_key_of(mona))
    assert KeyGrant.objects.filter(disclosure=case, user=alpha_carl, scope="case").exists()


def test_recovery_keys_are_per_organisation(world: dict[str, Any]) -> None:
    # Each organisation has one active key; rotating beta's leaves alpha's alone
    alpha_before = RecoveryKey.objects.get(organisation=world["alpha"], active=True)
    out = io.StringIO()
    call_command("create_recovery_key", "--organisation", "beta", "--rotate", stdout=out)
    assert RecoveryKey.objects.get(organisation=world["alpha"], active=True) == alpha_before
    assert RecoveryKey.objects.filter(organisation=world["beta"]).count() == 2
    # With several organisations the command will not guess
    with pytest.raises(CommandError) as exc:
        call_command("create_recovery_key", stdout=io.StringIO())
    assert str(exc.value) == (
        "This installation has several organisations (alpha, beta): "
        "name one with --organisation SLUG."
    )
    with pytest.raises(CommandError) as exc:
        call_command("create_recovery_key", "--organisation", "alpha", stdout=io.StringIO())
    assert "alpha already has a recovery key" in str(exc.value)

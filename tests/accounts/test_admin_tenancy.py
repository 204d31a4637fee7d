"""The Django admin is inside the request's organisation (ADR 0017, accounts/admin_site.py).

A superuser of B is a superuser of B only: A's rows are not listed, not offered as choices,
and opening one by its number answers 404, as for a number nobody has.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DisclosureFactory, OrganisationFactory
from whistledesk.accounts.admin_site import INSTALLATION, OrganisationScopedAdmin
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.audit.models import AuditEvent
from whistledesk.organisation.models import Organisation, Outcome, ReportYear
from whistledesk.retention.models import LegalHold, RetentionPolicy

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"


def superuser(org: Any, username: str) -> User:
    user = user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        roles=[Role.MANAGER],
        organisation=org,
        is_superuser=True,
    )
    return user


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    a = OrganisationFactory(slug="alpha", name="Alpha Regulator")
    b = OrganisationFactory(slug="beta", name="Beta Commissioner")
    ann = superuser(a, "ann")
    bob = superuser(b, "bob")
    case_a = DisclosureFactory(organisation=a)
    policy_a = RetentionPolicy.objects.create(organisation=a, outcome=None, keep_years=6)
    year_a = ReportYear.objects.create(organisation=a, year=2023)
    hold_a = LegalHold.objects.create(
        disclosure=case_a, placed_by=ann, reason="Litigation", placed_at=timezone.now()
    )
    jane = user_create(
        actor=None, username="jane", password=PASSWORD, roles=[Role.CASEWORKER], organisation=a
    )
    device_a = TOTPDevice.objects.create(user=jane, name="Authenticator app", confirmed=True)
    event_a = AuditEvent.objects.filter(actor=None).first()
    AuditEvent.objects.filter(pk=getattr(event_a, "pk", None)).update(actor=ann)
    return {
        "a": a,
        "b": b,
        "ann": ann,
        "bob": bob,
        "rows_of_a": {
            "accounts/user": ann.pk,
            "organisation/organisation": a.pk,
            "organisation/reportyear": year_a.pk,
            "cases/disclosure": case_a.pk,
            "retention/retentionpolicy": policy_a.pk,
            "retention/legalhold": hold_a.pk,
            "otp_totp/totpdevice": device_a.pk,
            "audit/auditevent": AuditEvent.objects.get(actor=ann).pk,
        },
    }


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(*label.split("/"))


def admin_of(user: User) -> Client:
    """A browser signed in as `user` (the admin's own sign-in is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "organisation/organisation",
        "organisation/reportyear",
        "cases/disclosure",
        "retention/retentionpolicy",
        "retention/legalhold",
        "otp_totp/totpdevice",
        "audit/auditevent",
    ],
)
def test_bs_superuser_gets_404_for_as_rows_by_id(world: dict[str, Any], model: str) -> None:
    # Given Bob, superuser and manager of B, in B's admin
    bob = admin_of(world["bob"])
    pk = world["rows_of_a"][model]
    # When he opens one of A's rows by its number (change, history)
    for page in ("change", "history"):
        response = bob.get(f"/beta/admin/{model}/{pk}/{page}/")
        # Then it is 404, exactly as a number nobody has
        assert response.status_code == 404, (model, page)
        assert bob.get(f"/beta/admin/{model}/987654/{page}/").status_code == 404
    # Deleting answers as for a number nobody has too (403 where nothing may be deleted)
    deleting = bob.post(f"/beta/admin/{model}/{pk}/delete/", {"post": "yes"})
    assert deleting.status_code in (403, 404)
    missing = bob.post(f"/beta/admin/{model}/987654/delete/", {"post": "yes"})
    assert deleting.status_code == missing.status_code
    assert pk in _model(model).objects.values_list("pk", flat=True)
    # and A's own superuser opens it at A
    ann = admin_of(world["ann"])
    assert ann.get(f"/alpha/admin/{model}/{pk}/change/").status_code == 200, model


def test_lists_show_only_the_organisations_own_rows(world: dict[str, Any]) -> None:
    bob = admin_of(world["bob"])
    organisations = bob.get("/beta/admin/organisation/organisation/").content.decode()
    assert "Beta Commissioner" in organisations and "Alpha Regulator" not in organisations
    users = bob.get("/beta/admin/accounts/user/").content.decode()
    assert "bob" in users and ">ann<" not in users
    assert f"/beta/admin/accounts/user/{world['ann'].pk}/" not in users
    policies = bob.get("/beta/admin/retention/retentionpolicy/").content.decode()
    assert "0 retention policys" in policies or "0 retention policies" in policies
    cases = bob.get("/beta/admin/cases/disclosure/").content.decode()
    assert "0 disclosures" in cases


def test_a_filter_by_a_related_row_lists_only_the_organisations_own(
    world: dict[str, Any],
) -> None:
    # A's service categories have the same labels as B's (the factory's): rename A's one
    from whistledesk.organisation.models import ServiceCategory

    ServiceCategory.objects.filter(organisation=world["a"], label="Prisons").delete()
    ServiceCategory.objects.filter(organisation=world["a"], label="Schools").update(
        label="Alpha-only schools"
    )
    DisclosureFactory(organisation=world["b"])
    bob = admin_of(world["bob"])
    cases = bob.get("/beta/admin/cases/disclosure/").content.decode()
    assert "Alpha-only schools" not in cases


def test_foreign_key_choices_are_the_organisations_own(world: dict[str, Any]) -> None:
    bob = admin_of(world["bob"])
    page = bob.get("/beta/admin/retention/retentionpolicy/add/").content.decode()
    a_outcome = Outcome.objects.filter(organisation=world["a"]).first()
    b_outcome = Outcome.objects.filter(organisation=world["b"]).first()
    assert a_outcome is not None and b_outcome is not None
    assert f'value="{b_outcome.pk}"' in page and f'value="{a_outcome.pk}"' not in page
    assert f'value="{world["b"].pk}"' in page and f'value="{world["a"].pk}"' not in page
    # Posting A's organisation and outcome anyway is refused, and nothing is stored
    response = bob.post(
        "/beta/admin/retention/retentionpolicy/add/",
        {
            "organisation": world["a"].pk,
            "outcome": a_outcome.pk,
            "keep_years": "8",
            "unassessed_keep_years": "",
            "basis": "Sneaky",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RetentionPolicy.objects.filter(basis="Sneaky").exists()


def test_no_organisation_is_added_or_deleted_in_the_admin(world: dict[str, Any]) -> None:
    bob = admin_of(world["bob"])
    assert bob.get("/beta/admin/organisation/organisation/add/").status_code == 403
    assert (
        bob.get(f"/beta/admin/organisation/organisation/{world['b'].pk}/delete/").status_code == 403
    )
    assert Organisation.objects.count() == 2


def test_installation_tables_are_nobodys_when_there_are_several(world: dict[str, Any]) -> None:
    # axes' table and the referral directory belong to no organisation: with several
    # organisations no organisation's administrator sees or changes them
    bob = admin_of(world["bob"])
    index = bob.get("/beta/admin/").content.decode()
    assert "/beta/admin/axes/" not in index
    assert bob.get("/beta/admin/axes/accessattempt/").status_code == 403
    assert bob.get("/beta/admin/cases/referralbody/add/").status_code == 403


def test_installation_tables_are_the_only_organisations(organisation: Any) -> None:
    root = superuser(organisation, "root")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/axes/accessattempt/").status_code == 200


def test_a_session_of_a_is_not_signed_in_to_bs_admin(world: dict[str, Any]) -> None:
    ann = admin_of(world["ann"])
    assert ann.get("/alpha/admin/").status_code == 200
    response = ann.get("/beta/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beta/admin/login/")


def test_every_model_admin_on_the_site_is_organisation_scoped() -> None:
    from whistledesk.accounts.admin_site import organisation_lookup_for

    lookups = {}
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, OrganisationScopedAdmin), model
        lookups[model._meta.label] = organisation_lookup_for(model)
    # Typed out: how each model reaches its organisation (a new model admin is added here)
    assert lookups == {
        "otp_totp.TOTPDevice": "user__organisation",
        "axes.AccessAttempt": INSTALLATION,
        "axes.AccessLog": INSTALLATION,
        "axes.AccessFailureLog": INSTALLATION,
        "accounts.User": "organisation",
        "audit.AuditEvent": lookups["audit.AuditEvent"],
        "organisation.Organisation": "pk",
        "organisation.ReportYear": "organisation",
        "cases.Disclosure": "organisation",
        "cases.ReferralBody": lookups["cases.ReferralBody"],
        "retention.RetentionPolicy": "organisation",
        "retention.LegalHold": "disclosure__organisation",
        "retention.RetentionRecord": "disclosure__organisation",
        "django_tasks_database.DBTaskResult": INSTALLATION,
    }
    # Audit events and referral bodies may gain their own organisation column
    assert lookups["audit.AuditEvent"] in ("organisation", "actor__organisation")
    assert lookups["cases.ReferralBody"] in ("organisation", INSTALLATION)


def test_the_admins_password_change_is_the_staff_page_of_the_organisation(
    world: dict[str, Any],
) -> None:
    bob = admin_of(world["bob"])
    response = bob.get("/beta/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/beta/staff/account/password/"

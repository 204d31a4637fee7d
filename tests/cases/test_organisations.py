"""Casework with two organisations in one installation (issue 12, ADR 0017).

Organisation A is served at its own host name ("localhost"), B under its path prefix
(/<slug>/). Each has one member of staff per role, with the same usernames. B's staff try
everything on A's cases through the pages: every answer is the 404 of a case that does not
exist, and nothing in A's case changes. Expectations are typed out, not derived from
cases.permissions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.factories import OrganisationFactory
from tests.intake.conftest import walk as answer_the_form
from tests.pages import without_csrf
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.casefiles.models import Attachment
from whistledesk.cases.assessment import disclosure_assign
from whistledesk.cases.models import CaseReminder, Disclosure, Status
from whistledesk.cases.permissions import Perm, allowed_cases, refusal, register_visible
from whistledesk.cases.reminders import reminder_set
from whistledesk.cases.safeguarding import safeguarding_concern_raise
from whistledesk.cases.services import disclosure_record
from whistledesk.core.exceptions import DomainError

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
NOT_FOUND_PAGE_STATUS = 404


def _staff(org: Any) -> dict[str, Any]:
    return {
        role.value: user_create(
            actor=None, username=role.value, password=PASSWORD, roles=[role], organisation=org
        )
        for role in Role
    }


def _snapshot(d: Disclosure) -> dict[str, Any]:
    """What a write to the case would change: the row and the counts of its rows."""
    d = Disclosure.objects.get(pk=d.pk)
    return {
        "row": (d.status, d.handler_id, d.updated_at, d.urgent, d.feedback_due_on, d.summary),
        "referrals": d.referrals.count(),
        "actions": d.actions.count(),
        "consents": d.consents.count(),
        "concerns": d.safeguarding_concerns.count(),
        "conflicts": d.conflicts.count(),
        "history": d.status_changes.count(),
        "reminders": CaseReminder.objects.filter(disclosure=d).count(),
        "attachments": Attachment.objects.filter(disclosure=d).count(),
    }


@pytest.fixture
def world(organisation: Any, users: dict[str, Any], walk: Any, new_case: Any) -> dict[str, Any]:
    """A (the `organisation` fixture, at host "localhost") with a case in action, with a
    referral, a concern and a reminder, and a web case with a file; B with its own case."""
    org_a = organisation
    org_a.host = "localhost"
    org_a.save(update_fields=["host"])
    manager = users["manager"]
    key = private_key_of(manager)
    case = walk(new_case(summary="A's own case"), Status.AWAITING_REASSURANCE, actor=manager)
    concern = safeguarding_concern_raise(
        actor=manager, disclosure=case, summary="A worry", private_key=key
    )
    reminder = reminder_set(
        actor=manager,
        disclosure=case,
        remind_on=dt.date.today() + dt.timedelta(days=3),
        note="Ring them",
        private_key=key,
    )
    # A web disclosure with a file, sent through A's public form.
    cache.clear()
    public = Client(HTTP_HOST="localhost")
    answer_the_form(public, org_a)
    public.post(
        "/report/files/",
        {"action": "upload", "file": SimpleUploadedFile("rota.txt", b"night rota")},
    )
    public.post("/report/files/", {"action": "continue"})
    assert public.post("/report/check/", {})["Location"] == "/report/sent/"
    web = Disclosure.objects.filter(organisation=org_a, channel="web").get()
    attachment = Attachment.objects.filter(disclosure=web).first()
    assert attachment is not None

    org_b = OrganisationFactory()
    b_staff = _staff(org_b)
    b_case = disclosure_record(
        actor=b_staff["intake_officer"],
        organisation=org_b,
        received_on=dt.date.today() - dt.timedelta(days=1),
        channel="email",
        service=None,
        qualifying=None,
        anonymous=False,
        summary="B's own case",
    )
    return {
        "a": org_a,
        "b": org_b,
        "a_staff": users,
        "b_staff": b_staff,
        "case": case,
        "web": web,
        "b_case": b_case,
        "ids": {
            "referral": case.referrals.get().pk,
            "concern": concern.pk,
            "reminder": reminder.pk,
            "attachment": attachment.pk,
        },
    }


def _b_client(world: dict[str, Any], role: str) -> tuple[Client, str]:
    client = Client()
    client.force_login(world["b_staff"][role])
    return client, f"/{world['b'].slug}"


# Every case URL under /staff/, relative to the case (REF), in the order tried. {referral},
# {concern}, {reminder} and {attachment} are A's own rows.
GET_PATHS = [
    "",
    "content/",
    "files/{attachment}/",
    "move/action/",
    "move/closed/",
    "assess/",
    "assign/",
    "conflict/",
    "consent/",
    "refer/",
    "referral/{referral}/response/",
    "action/",
    "concern/",
    "concern/{concern}/confirm/",
    "receipt/",
    "follow-up/acknowledgement/",
    "follow-up/sent/1/",
    "follow-up/sent/1/letter.pdf",
    "feedback-deadline/",
    "reminders/",
    "signpost/",
    "signpost/confirm/",
    "signpost/1/",
]
POST_PATHS = [
    "move/action/",
    "move/closed/",
    "assess/",
    "assign/",
    "take/",
    "conflict/",
    "consent/",
    "refer/",
    "referral/{referral}/response/",
    "action/",
    "concern/",
    "concern/{concern}/confirm/",
    "reply/",
    "receipt/",
    "call-notes/share/",
    "follow-up/acknowledgement/",
    "feedback-deadline/",
    "reminders/",
    "reminders/{reminder}/done/",
    "signpost/confirm/",
]


def _url(prefix: str, reference: str, path: str, ids: dict[str, int]) -> str:
    return f"{prefix}/staff/cases/{reference}/{path.format(**ids)}"


class TestAnotherOrganisationsCaseIsNotFound:
    def test_the_404_is_the_same_as_for_a_reference_nobody_has(self, world: dict[str, Any]) -> None:
        # Given B's manager
        client, prefix = _b_client(world, "manager")
        # When they open A's case and a reference that exists nowhere
        theirs = client.get(f"{prefix}/staff/cases/{world['case'].reference}/")
        nowhere = client.get(f"{prefix}/staff/cases/WD-0000-0000/")
        # Then both are the same 404 page
        assert theirs.status_code == nowhere.status_code == 404
        assert without_csrf(theirs.content) == without_csrf(nowhere.content)
        assert world["case"].reference.encode() not in theirs.content

    @pytest.mark.parametrize("role", [r.value for r in Role])
    def test_every_case_page_of_a_is_404_for_every_role_of_b(
        self, world: dict[str, Any], role: str
    ) -> None:
        client, prefix = _b_client(world, role)
        for which in ("case", "web"):
            reference = world[which].reference
            for path in GET_PATHS:
                url = _url(prefix, reference, path, world["ids"])
                assert client.get(url).status_code == 404, url

    @pytest.mark.parametrize("role", [r.value for r in Role])
    def test_every_write_to_a_case_of_a_is_404_and_changes_nothing(
        self, world: dict[str, Any], role: str
    ) -> None:
        # Given a member of B's staff and the state of A's cases
        client, prefix = _b_client(world, role)
        before = {w: _snapshot(world[w]) for w in ("case", "web")}
        # Plausible data for every form: a refusal must not depend on the form being wrong.
        data = {
            "reason": "Because",
            "summary": "Something done",
            "shared_summary": "Shared",
            "body": world["case"].referrals.get().body_id,
            "referred_on": dt.date.today().isoformat(),
            "handler": world["b_staff"]["caseworker"].pk,
            "user": world["b_staff"]["caseworker"].pk,
            "given_by": "The whistleblower",
            "scope": "All",
            "text": "Hello",
            "note": "Note",
            "remind_on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
            "new_due_on": (dt.date.today() + dt.timedelta(days=120)).isoformat(),
            "via": "inbox",
            "action_taken": "Done",
            "action_taken_by": "Lead",
            "kind": "advice",
            "categories": ["health_safety"],
            "public_interest": "yes",
            "within_remit": "yes",
            "risk_level": "low",
        }
        # When they post to every case action of A's two cases
        for which in ("case", "web"):
            for path in POST_PATHS:
                url = _url(prefix, world[which].reference, path, world["ids"])
                # Then each is not found
                assert client.post(url, data).status_code == 404, url
        # And nothing in A's cases changed
        assert {w: _snapshot(world[w]) for w in ("case", "web")} == before

    def test_a_file_of_a_is_404_even_with_bs_own_reference(self, world: dict[str, Any]) -> None:
        # B's own case reference with A's file id: the file is looked up within the case.
        client, prefix = _b_client(world, "manager")
        url = (
            f"{prefix}/staff/cases/{world['b_case'].reference}/files/{world['ids']['attachment']}/"
        )
        assert client.get(url).status_code == 404

    def test_as_staff_of_a_on_as_pages_the_case_opens(self, world: dict[str, Any]) -> None:
        # The control: the same URL works for A's own manager at A's host.
        client = Client(HTTP_HOST="localhost")
        client.force_login(world["a_staff"]["manager"])
        assert client.get(f"/staff/cases/{world['case'].reference}/").status_code == 200
        # and B's case, at A's host, is not found either
        assert client.get(f"/staff/cases/{world['b_case'].reference}/").status_code == 404


class TestRegister:
    TABS = [
        "all",
        "immediate_risk",
        "mine",
        "replies_waiting",
        "unassigned",
        "urgent",
        "ack_due",
        "feedback_due",
        "reassurance_overdue",
    ]

    @pytest.mark.parametrize("role", ["manager", "caseworker", "safeguarding_lead", "auditor"])
    def test_bs_register_and_every_tab_hold_none_of_as_cases(
        self, world: dict[str, Any], role: str
    ) -> None:
        client, prefix = _b_client(world, role)
        a_refs = [world["case"].reference.encode(), world["web"].reference.encode()]
        for tab in self.TABS:
            page = client.get(f"{prefix}/staff/?list={tab}")
            assert page.status_code == 200, tab
            for ref in a_refs:
                assert ref not in page.content, tab
        # B's one case, and the count says one
        page = client.get(f"{prefix}/staff/").content.decode()
        assert world["b_case"].reference in page
        assert ">1 disclosure<" in page

    def test_as_register_counts_only_as_cases(self, world: dict[str, Any]) -> None:
        client = Client(HTTP_HOST="localhost")
        client.force_login(world["a_staff"]["manager"])
        page = client.get("/staff/").content.decode()
        assert ">2 disclosures<" in page
        assert world["b_case"].reference not in page

    def test_search_for_as_reference_from_b_finds_nothing(self, world: dict[str, Any]) -> None:
        client, prefix = _b_client(world, "manager")
        reference = world["case"].reference
        for term in (reference, reference[3:7], "A's own case"):
            page = client.get(f"{prefix}/staff/", {"q": term}).content.decode()
            # (the search box and tab links repeat the term; no row links to the case)
            assert f"cases/{reference}/" not in page, term
            assert ">0 disclosures<" in page, term

    def test_the_same_search_at_a_finds_it(self, world: dict[str, Any]) -> None:
        client = Client(HTTP_HOST="localhost")
        client.force_login(world["a_staff"]["manager"])
        page = client.get("/staff/", {"q": world["case"].reference}).content.decode()
        assert ">1 disclosure<" in page


class TestAssignment:
    def test_assigning_to_another_organisations_account_is_refused(
        self, world: dict[str, Any]
    ) -> None:
        # Given A's manager on A's unassigned web case
        client = Client(HTTP_HOST="localhost")
        client.force_login(world["a_staff"]["manager"])
        web = world["web"]
        url = f"/staff/cases/{web.reference}/assign/"
        # The list offers A's caseworker (pk) and not B's
        page = client.get(url).content.decode()
        assert f'value="{world["a_staff"]["caseworker"].pk}"' in page
        assert f'value="{world["b_staff"]["caseworker"].pk}"' not in page
        # When they post B's caseworker (same username, another account)
        response = client.post(url, {"handler": world["b_staff"]["caseworker"].pk})
        # Then the form says what to do, and the case has no handler
        assert response.status_code == 200
        assert "Choose a member of this organisation&#x27;s staff from the list." in (
            response.content.decode()
        )
        assert Disclosure.objects.get(pk=web.pk).handler_id is None

    def test_the_service_refuses_it_too(self, world: dict[str, Any]) -> None:
        with pytest.raises(DomainError) as exc:
            disclosure_assign(
                actor=world["a_staff"]["manager"],
                disclosure=world["web"],
                handler=world["b_staff"]["caseworker"],
            )
        assert exc.value.message == (
            "That account is not on this organisation's staff: choose someone who works here."
        )
        assert Disclosure.objects.get(pk=world["web"].pk).handler_id is None

    def test_a_conflict_cannot_name_another_organisations_account(
        self, world: dict[str, Any]
    ) -> None:
        client = Client(HTTP_HOST="localhost")
        client.force_login(world["a_staff"]["manager"])
        url = f"/staff/cases/{world['web'].reference}/conflict/"
        response = client.post(url, {"user": world["b_staff"]["caseworker"].pk, "reason": "x"})
        assert "Choose a member of this organisation&#x27;s staff from the list." in (
            response.content.decode()
        )
        assert world["web"].conflicts.count() == 0


class TestReferences:
    def _record(self, org: Any, actor: Any, reference: str) -> Disclosure:
        return disclosure_record(
            actor=actor,
            organisation=org,
            received_on=dt.date.today(),
            channel="letter",
            service=None,
            qualifying=None,
            anonymous=False,
            reference=reference,
        )

    def test_the_same_reference_may_be_used_in_both_organisations(
        self, world: dict[str, Any]
    ) -> None:
        a = self._record(world["a"], world["a_staff"]["intake_officer"], "OLD-0001")
        b = self._record(world["b"], world["b_staff"]["intake_officer"], "OLD-0001")
        assert a.pk != b.pk
        # and each organisation's page shows its own
        client, prefix = _b_client(world, "manager")
        assert client.get(f"{prefix}/staff/cases/OLD-0001/").context["d"].pk == b.pk
        a_client = Client(HTTP_HOST="localhost")
        a_client.force_login(world["a_staff"]["manager"])
        assert a_client.get("/staff/cases/OLD-0001/").context["d"].pk == a.pk

    def test_but_only_once_within_one(self, world: dict[str, Any]) -> None:
        self._record(world["a"], world["a_staff"]["intake_officer"], "OLD-0002")
        with pytest.raises(DomainError) as exc:
            self._record(world["a"], world["a_staff"]["intake_officer"], "OLD-0002")
        assert exc.value.message == "reference OLD-0002 is already in the register"

    def test_recording_at_b_makes_a_case_of_b(self, world: dict[str, Any]) -> None:
        client, prefix = _b_client(world, "intake_officer")
        response = client.post(
            f"{prefix}/staff/record/letter/",
            {
                "received_on": dt.date.today().isoformat(),
                "summary": "Recorded at B",
                "letter_text": "What the letter says.",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        made = Disclosure.objects.get(summary="Recorded at B")
        assert made.organisation_id == world["b"].pk


HEADER = "reference,received_on,channel,service,outcome,qualifying,anonymous,summary\n"
ROWS = (
    "ER-001,2023-04-01,email,Schools,Referred,yes,no,Imported one.\n"
    "ER-002,2024-03-31,letter,Hospitals,,no,yes,Imported two.\n"
)


class TestImporter:
    def test_rows_go_into_the_named_organisation_only(
        self, world: dict[str, Any], tmp_path: Path
    ) -> None:
        path = tmp_path / "in.csv"
        path.write_text(HEADER + ROWS)
        a_before = Disclosure.objects.filter(organisation=world["a"]).count()
        call_command("import_disclosures", str(path), organisation=world["b"].slug)
        assert set(
            Disclosure.objects.filter(summary__startswith="Imported").values_list(
                "organisation__slug", "reference"
            )
        ) == {(world["b"].slug, "ER-001"), (world["b"].slug, "ER-002")}
        assert Disclosure.objects.filter(organisation=world["a"]).count() == a_before
        # The same file into A: A's register does not hold them yet, so they are added.
        call_command("import_disclosures", str(path), organisation=world["a"].slug)
        assert Disclosure.objects.filter(reference="ER-001").count() == 2

    def test_an_unknown_slug_is_refused_clearly(
        self, world: dict[str, Any], tmp_path: Path
    ) -> None:
        path = tmp_path / "in.csv"
        path.write_text(HEADER + ROWS)
        with pytest.raises(CommandError) as exc:
            call_command("import_disclosures", str(path), organisation="nope")
        assert str(exc.value).startswith("No organisation has the slug 'nope'")
        assert not Disclosure.objects.filter(summary__startswith="Imported").exists()

    def test_with_two_organisations_one_must_be_named(
        self, world: dict[str, Any], tmp_path: Path
    ) -> None:
        path = tmp_path / "in.csv"
        path.write_text(HEADER + ROWS)
        with pytest.raises(CommandError) as exc:
            call_command("import_disclosures", str(path))
        assert "name one with --organisation SLUG" in str(exc.value)
        assert not Disclosure.objects.filter(summary__startswith="Imported").exists()


# Every role of B against a case of A, for every permission: refused as "not found".
# fmt: off
REFUSED_ACROSS: dict[str, str] = {
    "intake_officer":    "No case has this reference.",
    "caseworker":        "No case has this reference.",
    "safeguarding_lead": "No case has this reference.",
    "manager":           "No case has this reference.",
    "auditor":           "No case has this reference.",
    "custodian":         "No case has this reference.",
}
# fmt: on


class TestPermissionsTable:
    def test_the_table_covers_every_role(self) -> None:
        assert set(REFUSED_ACROSS) == {r.value for r in Role}

    @pytest.mark.parametrize("role", sorted(REFUSED_ACROSS))
    def test_every_perm_on_another_organisations_case_is_refused(
        self, world: dict[str, Any], role: str
    ) -> None:
        user = world["b_staff"][role]
        for case in (world["case"], world["web"]):
            for perm in Perm:
                assert refusal(user, perm, case) == REFUSED_ACROSS[role], perm

    @pytest.mark.parametrize("role", sorted(REFUSED_ACROSS))
    def test_lists_hold_only_the_users_organisation(self, world: dict[str, Any], role: str) -> None:
        user = world["b_staff"][role]
        everything = Disclosure.objects.all()
        assert set(register_visible(user, everything).values_list("pk", flat=True)) <= {
            world["b_case"].pk
        }
        for perm in Perm:
            assert world["case"].pk not in set(
                allowed_cases(user, perm, everything).values_list("pk", flat=True)
            ), perm


class TestWorkerAlerts:
    def test_a_chaser_for_as_case_goes_to_as_staff_only(self, world: dict[str, Any]) -> None:
        from whistledesk.cases.models import Referral
        from whistledesk.notifications.deadline_alerts import reassurance_chase
        from whistledesk.notifications.models import OutboundEmail

        # Given managers with email addresses in both organisations (same username "manager")
        # and A's unassigned case whose referral's reassurance date has passed
        for org, staff in (("a", world["a_staff"]), ("b", world["b_staff"])):
            for role in ("manager", "safeguarding_lead"):
                staff[role].email = f"{role}@{org}.example"
                staff[role].save(update_fields=["email"])
        Disclosure.objects.filter(pk=world["case"].pk).update(handler=None, urgent=True)
        Referral.objects.filter(disclosure=world["case"]).update(
            reassurance_due=dt.date.today() - dt.timedelta(days=1)
        )
        # When the worker's job runs (over every organisation)
        reassurance_chase()
        # Then only A's staff are written to
        assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
            "manager@a.example",
            "safeguarding_lead@a.example",
        ]


class TestSignpostingMessage:
    TEXT = "Your concern is for {body}: {contact}. Reference {reference}."

    def test_bs_manager_words_bs_message_only(self, world: dict[str, Any]) -> None:
        from whistledesk.signposting.selectors import signpost_template

        client, prefix = _b_client(world, "manager")
        response = client.post(f"{prefix}/staff/signposting/message/", {"text": self.TEXT})
        assert response.status_code == 302, response.content.decode()[:2000]
        world["a"].refresh_from_db()
        world["b"].refresh_from_db()
        assert signpost_template(organisation=world["b"]) == self.TEXT
        assert signpost_template(organisation=world["a"]) != self.TEXT

    def test_the_service_refuses_another_organisations_message(self, world: dict[str, Any]) -> None:
        from whistledesk.core.exceptions import NotPermitted
        from whistledesk.signposting.services import signpost_message_set

        with pytest.raises(NotPermitted):
            signpost_message_set(
                actor=world["b_staff"]["manager"], organisation=world["a"], text=self.TEXT
            )

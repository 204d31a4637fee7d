"""Staff-written texts checked against what the register holds in clear (ADR 0015).

A text naming a setting, an Ofsted URN, a local authority with few disclosures this year, a
referral body that is not a national regulator, or a member of staff is a warning: change
the text, or publish it as it is with a reason. Publishing waits until each is resolved.
"""

from __future__ import annotations

import html
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import BodyKind, ReferralBody
from whistledesk.organisation.models import Organisation, ReportYear
from whistledesk.reports.models import PublishedReport

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/2022/prepare"


def words(text: str) -> str:
    return " ".join(html.unescape(text).split())


@pytest.fixture
def manager_client(client: Any, make_staff: Any) -> Any:
    client.force_login(make_staff("manager", roles=[Role.MANAGER]))
    return client


@pytest.fixture
def org(organisation: Organisation) -> Organisation:
    """The factory organisation with the product's threshold (3)."""
    organisation.small_cell_threshold = 3
    organisation.save(update_fields=["small_cell_threshold"])
    return organisation


@pytest.fixture
def register(org: Organisation, add: Any) -> None:
    """2022/23: 6 disclosures about schools, one of them recorded with its setting."""
    add(5)
    add(
        1,
        setting_name="St Mary's C of E Primary School",
        setting_key="saint marys primary school",
        ofsted_urn="SC123456",
        local_authority="Rutland",
    )


def write(client: Any, section: str, text: str) -> Any:
    return client.post(f"{PAGE}/text/{section}", {"text": text, "action": "save"})


def open_warnings(client: Any) -> list[str]:
    page = words(client.get(PAGE).content.decode())
    if 'id="open-warnings"' not in page:
        return []
    block = page.split('id="open-warnings">', 1)[1].split("</ul>", 1)[0]
    return [item.split("</li>")[0].strip() for item in block.split("<li>")[1:]]


def test_a_text_naming_a_setting_from_the_register_is_flagged_until_accepted(
    manager_client: Any, register: None
) -> None:
    # Given an impact text that names the setting, spelt differently from the register
    text = "Concerns about St Marys Primary School, Anytown, led to a review of our guidance."
    assert write(manager_client, "impact", text).status_code == 302
    # Then the prepare page names it as an open warning
    assert open_warnings(manager_client) == [
        "Impact on our functions names a setting named in the register "
        "(“St Mary's C of E Primary School”)"
    ]
    # And publishing is refused, saying which
    with pytest.raises(CommandError) as refused:
        call_command("publish_report", "--year", "2022", stdout=StringIO())
    assert str(refused.value) == (
        "The report cannot be published while 1 disclosure warning is unresolved: Impact on "
        "our functions names a setting named in the register (“St Mary's C of E Primary "
        "School”). Resolve each on the report's prepare page."
    )
    # Accepting needs a reason
    key = "text:impact:setting:saint marys primary school"
    response = manager_client.post(f"{PAGE}/decide", {"warning": key, "text-0-reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for publishing the text as it is, or change the text" in words(
        response.content.decode()
    )
    reason = "The school's own inspection report is public and names the concern."
    response = manager_client.post(f"{PAGE}/decide", {"warning": key, "text-0-reason": reason})
    assert response.status_code == 302
    assert open_warnings(manager_client) == []
    call_command("publish_report", "--year", "2022", stdout=StringIO())
    (stored,) = PublishedReport.objects.get().disclosure_control["texts"]
    assert stored["section"] == "impact"
    assert stored["kind"] == "setting"
    assert stored["value"] == "St Mary's C of E Primary School"
    assert stored["decision"]["action"] == "accept"
    assert stored["decision"]["reason"] == reason
    # The audit event names the section and the decision, never the setting or the reason
    event = AuditEvent.objects.get(action="report.disclosure_decided")
    assert event.details == {
        "year": 2022,
        "warning_kind": "text",
        "where": "impact",
        "decision": "accept",
    }


def test_changing_the_text_resolves_the_warning(manager_client: Any, register: None) -> None:
    write(manager_client, "impact", "Concerns about St Mary's Primary School were passed on.")
    assert len(open_warnings(manager_client)) == 1
    write(manager_client, "impact", "Concerns about a primary school were passed on.")
    assert open_warnings(manager_client) == []
    call_command("publish_report", "--year", "2022", stdout=StringIO())


def test_urns_local_authorities_bodies_and_staff_names_are_found(
    manager_client: Any, register: None, make_staff: Any
) -> None:
    ReferralBody.objects.create(name="Rutland LADO", kind=BodyKind.LADO)
    # The directory's starting entries are generic: Ofsted, Police, the LADO
    assert ReferralBody.objects.filter(name__in=["Ofsted", "Police"]).count() == 2
    from whistledesk.accounts.services import user_create

    user_create(
        actor=None,
        username="jo",
        password="a-long-staff-password",
        roles=[Role.CASEWORKER],
        first_name="Joanna",
        last_name="Brightwater",
    )
    write(
        manager_client,
        "further_action_example",
        "A nursery (URN sc 123456) in Rutland was referred to the Rutland LADO, the Police and "
        "Ofsted, and the local authority designated officer (LADO) was told; "
        "joanna  brightwater handled it.",
    )
    assert open_warnings(manager_client) == [
        "Example of further action names an Ofsted URN in the register (“SC123456”)",
        "Example of further action names a local authority with few disclosures this year "
        "(“Rutland”)",
        "Example of further action names a referral body that is not a national regulator "
        "(“Rutland LADO”)",
        "Example of further action names the name of a member of staff (“Joanna Brightwater”)",
    ]


def test_a_local_authority_with_many_disclosures_is_not_flagged(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(3, local_authority="Kent")
    add(1, local_authority="Rutland")
    write(manager_client, "impact", "Most concerns came from Kent.")
    assert open_warnings(manager_client) == []
    write(manager_client, "impact", "Some concerns came from Rutland.")
    assert len(open_warnings(manager_client)) == 1


def test_the_preview_shows_what_the_text_names_before_it_is_saved(
    manager_client: Any, register: None, organisation: Organisation
) -> None:
    response = manager_client.post(
        f"{PAGE}/text/no_further_action_example",
        {"text": "A complaint about **St Mary's** Primary School.", "action": "preview"},
    )
    assert response.status_code == 200
    page = words(response.content.decode())
    assert "This text names something from the register." in page
    assert "<li>A setting named in the register: “St Mary's C of E Primary School”</li>" in page
    # Nothing is saved by a preview
    assert not ReportYear.objects.filter(organisation=organisation, year=2022).exists()
    assert open_warnings(manager_client) == []

"""The public form from the organisation's questionnaire: versions kept per draft and per
disclosure, branching by answer and by service, several choices and dates, and the managers'
"Public form" page (check, preview, publish, audited; refused to others)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.intake.conftest import CANARY_SENTENCE, STAFF_PASSWORD, submit, walk
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import Organisation, QuestionnaireVersion, ServiceCategory
from whistledesk.organisation.questionnaire_services import questionnaire_publish

pytestmark = pytest.mark.django_db

CONFIGS = Path(__file__).resolve().parents[2] / "whistledesk" / "organisation" / "configs"


def signed_in(make_staff: Any, username: str, roles: list[Any]) -> Client:
    make_staff(username, roles=roles, password=STAFF_PASSWORD)
    staff = Client()
    response = staff.post(
        "/staff/account/sign-in/", {"username": username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    return staff


def renamed_risk_question(organisation: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(QuestionnaireVersion.objects.get(number=1).document))
    doc["pages"][0]["questions"][0]["label"] = "Is a child in danger right now?"
    doc["pages"][0]["questions"][0]["summary"] = "Child in danger now"
    return doc


def test_a_draft_keeps_its_version_when_a_new_one_is_published(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    # Given a person half-way through the form (version 1)
    walk(client, organisation)
    # When a manager publishes version 2 with a reworded first question
    from django.db import transaction

    with transaction.atomic():
        questionnaire_publish(
            actor=None,
            organisation=organisation,
            document=renamed_risk_question(organisation),
            source="tests",
        )
    # Then the person's check page still shows the question they answered
    page = client.get("/report/check/").content.decode()
    assert "Child at immediate risk" in page
    assert "Child in danger now" not in page
    # And a new visitor gets version 2
    fresh = Client()
    assert "Is a child in danger right now?" in fresh.get("/report/risk/").content.decode()
    # And once sent, the staff case file shows the answers as version 1 asked them
    client.post("/report/check/", {})
    reference = Disclosure.objects.get().reference
    staff_page = officer_client.get(f"/staff/cases/{reference}/content/").content.decode()
    assert "Answered version 1 of the questionnaire." in staff_page
    assert "Child at immediate risk" in staff_page
    assert "Child in danger now" not in staff_page
    assert "Agency worker" in staff_page


def test_the_staff_case_file_lists_every_answer_by_its_label(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation, raised="yes")
    page = officer_client.get(f"/staff/cases/{reference}/content/").content.decode()
    for label, value in [
        ("Child at immediate risk", "No"),
        ("Concern is about", "Schools"),
        ("Organisation or setting", "Thistlewood House<br>Camden"),
        ("Raised before", "Yes"),
        ("Raised with", "the manager<br>2 or 3 times"),
        ("Your connection", "Agency worker"),
        ("Telling us who you are", "Anonymous"),
    ]:
        assert re.search(
            rf'<dt class="govuk-summary-list__key">{label}</dt><dd[^>]*>{value}</dd>', page
        ), label
    assert CANARY_SENTENCE in page


def load(name: str) -> Organisation:
    call_command("configure_organisation", str(CONFIGS / name), stdout=io.StringIO())
    return Organisation.objects.get()


def post(client: Client, slug: str, data: dict[str, Any]) -> str:
    response = client.post(f"/report/{slug}/", data)
    assert response.status_code == 302, (slug, response.content.decode()[:3000])
    return str(response["Location"])


def test_financial_regulator_branches_by_service_and_takes_choices_and_dates(
    client: Any,
) -> None:
    load("financial_services_regulator.toml")
    markets = ServiceCategory.objects.get(label="Wholesale markets and trading")
    banking = ServiceCategory.objects.get(label="Retail banking and payments")
    assert post(client, "ongoing-harm", {"ongoing_harm": "no"}) == "/report/area/"
    # A service without the instruments page goes from the firm to the wrongdoing...
    post(client, "area", {"service": str(banking.pk)})
    post(client, "firm", {"firm_name": "Example Bank plc", "firm_reference": ""})
    assert post(client, "wrongdoing", {"wrongdoing": ["fraud", "systems"]}) == ("/report/started/")
    # ...and the markets service asks which instruments
    post(client, "area", {"service": str(markets.pk)})
    assert post(client, "wrongdoing", {"wrongdoing": ["market-abuse"]}) == "/report/instruments/"
    post(client, "instruments", {"instruments": "XYZ plc shares"})
    # A date in the future is refused with a message saying what to fix
    response = client.post(
        "/report/started/", {"started_on_0": "1", "started_on_1": "1", "started_on_2": "2999"}
    )
    assert "When did it start? must be today or in the past" not in response.content.decode()
    assert "Started must be today or in the past" in response.content.decode()
    response = client.post(
        "/report/started/", {"started_on_0": "31", "started_on_1": "2", "started_on_2": "2024"}
    )
    assert "Started must be a real date" in response.content.decode()
    for day, month, year in [("99999999999999999999", "1", "2024"), ("１", "2", "2024")]:
        response = client.post(
            "/report/started/", {"started_on_0": day, "started_on_1": month, "started_on_2": year}
        )
        assert response.status_code == 200
        assert "Started must be a real date" in response.content.decode()
    post(client, "started", {"started_on_0": "3", "started_on_1": "4", "started_on_2": "2024"})
    post(client, "what-happened", {"narrative": CANARY_SENTENCE})
    post(client, "raised-before", {"raised": "no"})
    post(client, "your-role", {"role": "former"})
    post(client, "identity", {"identity": "anonymous"})
    assert client.post("/report/files/", {"action": "continue"})["Location"] == "/report/check/"
    page = client.get("/report/check/").content.decode()
    assert "Market abuse or insider dealing" in page
    assert "3 April 2024" in page
    assert "XYZ plc shares" in page
    assert client.post("/report/check/", {})["Location"] == "/report/sent/"
    disclosure = Disclosure.objects.get()
    assert disclosure.setting_name == "Example Bank plc"
    assert disclosure.service == markets
    assert not disclosure.urgent
    assert disclosure.immediate_risk_answer == "no"


def test_health_regulator_urgent_answer_marks_the_case_urgent(client: Any) -> None:
    load("health_care_regulator.toml")
    home = ServiceCategory.objects.get(label="Adult social care: care homes")
    assert post(client, "risk", {"risk": "yes"}) == "/report/emergency/"
    page = client.get("/report/emergency/").content.decode()
    assert "adult safeguarding team of the local council" in page
    post(client, "emergency", {})
    post(client, "service", {"service": str(home.pk)})
    post(client, "provider", {"provider_name": "Rosewood Care Home", "provider_town": ""})
    assert post(client, "care-affected", {"care_affected": ["abuse"]}) == "/report/residents/"
    post(client, "residents", {"people_affected": "some"})
    post(client, "when", {"last_happened_0": "", "last_happened_1": "", "last_happened_2": ""})
    post(client, "what-happened", {"narrative": CANARY_SENTENCE})
    assert post(client, "raised-before", {"raised": "yes"}) == "/report/provider-response/"
    post(client, "provider-response", {"provider_response": "Nothing."})
    post(client, "your-role", {"role": "care_worker"})
    post(client, "identity", {"identity": "anonymous"})
    client.post("/report/files/", {"action": "continue"})
    assert client.post("/report/check/", {})["Location"] == "/report/sent/"
    disclosure = Disclosure.objects.get()
    assert disclosure.urgent
    assert disclosure.immediate_risk_answer == "yes"
    assert disclosure.setting_name == "Rosewood Care Home"
    assert disclosure.safeguarding_concerns.exists()


def test_managers_check_preview_and_publish_a_questionnaire(
    organisation: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    manager = signed_in(make_staff, "maya", [Role.MANAGER])
    page = manager.get("/staff/public-form/")
    assert page.status_code == 200
    assert "In use: version 1" in page.content.decode()
    doc = renamed_risk_question(organisation)
    # A questionnaire that loses check-answers is refused, saying what to fix
    broken = {**doc, "pages": [p for p in doc["pages"] if p.get("kind") != "check"]}
    response = manager.post(
        "/staff/public-form/", {"document": json.dumps(broken), "action": "publish"}
    )
    assert response.status_code == 400
    assert "the check page is missing: add a page with kind = &#x27;check&#x27;" in (
        response.content.decode()
    )
    assert QuestionnaireVersion.objects.count() == 1
    # Bad TOML is named as such
    response = manager.post("/staff/public-form/", {"document": "[[pages]\n", "action": "preview"})
    assert "the text is not valid TOML or JSON" in response.content.decode()
    # The preview shows the pages and publishes nothing
    response = manager.post(
        "/staff/public-form/", {"document": json.dumps(doc), "action": "preview"}
    )
    assert "Preview: the questionnaire is ready to publish" in response.content.decode()
    assert "Is a child in danger right now?" in response.content.decode()
    assert QuestionnaireVersion.objects.count() == 1
    # Publishing makes version 2, audited
    response = manager.post(
        "/staff/public-form/", {"document": json.dumps(doc), "action": "publish"}
    )
    assert response.status_code == 302
    assert QuestionnaireVersion.objects.get(number=2).document == doc
    assert AuditEvent.objects.filter(action="questionnaire.published").count() == 1
    assert "Is a child in danger right now?" in Client().get("/report/risk/").content.decode()


def test_only_managers_may_change_the_public_form(organisation: Any, officer_client: Any) -> None:
    response = officer_client.post("/staff/public-form/", {"document": "{}", "action": "publish"})
    assert response.status_code == 403
    assert "change the public form (managers only)" in response.content.decode()
